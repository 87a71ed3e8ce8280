import ArgumentParser
import CarnetServer
import CarnetStore
import Foundation
import Logging

/// `carnet audit …`: operator checks on the audit trail.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the audit trail.", subcommands: [AuditVerify.self])
}

/// `carnet audit verify`: walks every record's hash chain and reports the first broken link.
///
/// Exit status 0 when every chain verifies, 1 at the first break (named: chain, event, what is wrong),
/// so a scheduler can alert on it.
struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify every audit hash chain.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let report = try await Self.report(storage)
        print(report)
        if !report.isIntact { throw ExitCode(1) }
    }

    static func report(_ storage: StorageOptions) async throws -> AuditChainReport {
        var logger = Logger(label: "carnet.audit")
        logger.logLevel = .warning
        let configuration = storage.configuration
        let store = try await StoreOpening.open(configuration, logger: logger)
        do {
            let report = try await AuditChainVerifier.verify(store)
            await store.shutdown()
            return report
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
