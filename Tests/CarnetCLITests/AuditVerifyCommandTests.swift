import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import Logging
import Testing
@testable import carnet

/// `carnet audit verify`: passes on a real history, fails naming the row after a tamper.
@Suite("carnet audit verify")
struct AuditVerifyCommandTests {
    @Test("verifies, then reports the altered row", arguments: TestEngine.available)
    func verifyThenTamper(_ engine: TestEngine) async throws {
        try await engine.withDatabaseURL { url async throws in
            try await TemporaryDirectory.with { directory async throws in
                let arguments = ["audit", "verify", "--data", directory.path] + (url.map { ["--database", $0] } ?? [])
                let command = try #require(try Carnet.parseAsRoot(arguments) as? AuditVerify)
                let configuration = CarnetConfiguration(dataDirectory: directory, databaseURL: url)
                let store = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
                let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
                _ = try await store.createRecord(record, audit: AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .agent,
                                                                           action: .createRecord, outcome: .success, rule: .agentAdministersRecord))
                try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .doctor(mode: .breakTheGlass, reason: "coma"),
                                                       action: .searchDocuments, outcome: .success, rule: .breakTheGlass))
                await store.shutdown()

                let intact = try await AuditVerify.report(command.storage)
                #expect(intact.isIntact && intact.events == 2, "\(intact)")

                let location: DatabaseLocation = url.map { .postgres(url: $0) } ?? .sqlite(path: configuration.sqlitePath.path)
                try await location.execute("UPDATE audit_events SET emergency_reason = NULL WHERE emergency_reason = 'coma'")
                let broken = try await AuditVerify.report(command.storage)
                #expect(!broken.isIntact && broken.description.hasPrefix("BROKEN: chain record:\(record.id), event 2"), "\(broken)")
                await #expect(throws: ExitCode(1)) { try await command.run() }
            }
        }
    }
}
