import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import Foundation
import Logging

/// `carnet import directory FILE`: the national directory of professionals (the RPPS public extract,
/// README "Directory of professionals"), so that pages name professionals instead of numbers.
struct ImportDirectory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Import the RPPS directory extract (PS_LibreAcces_Personne_activite, |-separated): idempotent, bad lines to FILE.rejects.")

    @OptionGroup var storage: StorageOptions

    @Argument(help: "The extract file (PS_LibreAcces_Personne_activite_*.txt, UTF-8, header line, fields separated by |).")
    var file: String

    func run() async throws {
        // Through the door: decided by the policy (an operator's bulk action) and audited.
        try await storage.withService(logLabel: "carnet.import") { service in
            let meter = ProgressMeter(interactive: isatty(STDERR_FILENO) == 1)
            do {
                let summary = try await service.importDirectory(file: URL(fileURLWithPath: file),
                                                                by: Actor(role: .insurer(id: "directory-import:\(ProcessInfo.processInfo.userName)"))) { progress in
                    let fraction = progress.totalBytes > 0 ? min(1, Double(progress.bytes) / Double(progress.totalBytes)) : 0
                    meter.show(count: progress.lines, unit: "lines", fraction: fraction,
                               detail: "\(progress.added) added, \(progress.updated) updated, \(progress.rejected) rejected")
                }
                meter.finish()
                print(summary)
            } catch {
                meter.finish()
                throw error
            }
        }
    }
}
