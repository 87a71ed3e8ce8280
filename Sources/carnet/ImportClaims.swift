import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import Foundation
import Logging

/// `carnet import …`: bulk feeds.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import bulk feeds.", subcommands: [ImportClaims.self, ImportDirectory.self])
}

/// `carnet import claims FILE`: the insurer's care history feed (NDJSON or CSV, README "Care history feed").
struct ImportClaims: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "Import claims (NDJSON, or CSV with a header): idempotent by claim id, resumable, bad lines to FILE.rejects.")

    @OptionGroup var storage: StorageOptions

    @Argument(help: "The feed file (.ndjson/.jsonl, or .csv).")
    var file: String

    @Option(help: "ndjson or csv (default: from the file's extension).")
    var format: String?

    func validate() throws {
        if let format, ClaimImporter.Format(rawValue: format) == nil { throw ValidationError("--format must be ndjson or csv") }
    }

    @Flag(help: "Check the key of test and demo INS too.")
    var strictTestINS = false

    func run() async throws {
        // Through the door, as the HTTP feed: decided by the policy and audited.
        try await storage.withService(logLabel: "carnet.import") { service in
            let meter = ProgressMeter(interactive: isatty(STDERR_FILENO) == 1)
            do {
                let summary = try await service.importCareHistory(file: URL(fileURLWithPath: file), format: format.flatMap(ClaimImporter.Format.init),
                                                                  keyChecking: strictTestINS ? .strict : .relaxedForTestIdentities,
                                                                  by: Actor(role: .insurer(id: "import:\(ProcessInfo.processInfo.userName)"))) { progress in
                    meter.show(progress)
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

/// Progress on stderr: a bar redrawn in place on a terminal, a plain line every few seconds otherwise
/// (a log or a pipe gets whole lines it can read, not carriage returns).
final class ProgressMeter: @unchecked Sendable {
    let interactive: Bool
    let started: Date
    private var lastPrinted = Date.distantPast
    private let lock = NSLock()
    private let output: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - output: where the text goes (standard error; tests read it).
    ///   - clock: the time, for rates, the ETA and how often plain lines are printed.
    init(interactive: Bool, output: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
         clock: @escaping @Sendable () -> Date = Date.init) {
        self.interactive = interactive
        self.output = output
        self.clock = clock
        started = clock()
    }

    func show(_ progress: ClaimImporter.Progress) {
        let fraction = progress.totalBytes > 0 ? min(1, Double(progress.bytes) / Double(progress.totalBytes)) : 0
        show(count: progress.lines, unit: "lines", fraction: fraction,
             detail: "\(progress.imported) imported, \(progress.duplicates) already there, \(progress.rejected) rejected")
    }

    /// Draws `count` items done (`unit`, with their rate), `fraction` of the whole, and the ETA.
    func show(count: Int, unit: String, fraction: Double, detail: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = clock()
        guard interactive || now.timeIntervalSince(lastPrinted) >= 2 else { return }
        lastPrinted = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(count) / elapsed
        let remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let eta = String(format: "%d:%02d", Int(remaining) / 60, Int(remaining) % 60)
        let counts = "\(count) \(unit), \(Int(rate)) \(unit)/s, \(detail)"
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            output("\r[\(bar)] \(Int(fraction * 100))% \(counts), ETA \(eta)  ")
        } else {
            output("progress: \(Int(fraction * 100))% \(counts), ETA \(eta)\n")
        }
    }

    func finish() {
        if interactive { output("\n") }
    }
}

/// `carnet care-history purge`: removes claims older than the 24-month window (audited).
struct CareHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "care-history", abstract: "Maintain the care history.",
                                                    subcommands: [PurgeCareHistory.self])
}

struct PurgeCareHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "purge", abstract: "Remove claims older than 24 months.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await storage.withService(logLabel: "carnet.care-history") { service in
            let purged = try await service.purgeCareHistory(by: Actor(role: .insurer(id: "purge:\(ProcessInfo.processInfo.userName)")))
            print("\(purged) claims older than \(Claim.retentionMonths) months removed")
        }
    }
}
