import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The audit trail's hash chains on every engine: intact after real writes, broken by any edit,
/// removal or insertion made behind the store's back.
@Suite("Audit chain conformance")
struct AuditChainConformanceTests {
    /// Writes a small history on two records and one unmatched search, then hands over the location.
    func withHistory(_ engine: TestEngine, _ body: (DatabaseLocation, HealthRecord) async throws -> Void) async throws {
        try await engine.withDatabaseLocation { location async throws in
            let store = try await location.open()
            let record = HealthRecord(ins: .fixture(1), identity: .fixture(), createdAt: testInstant)
            let other = HealthRecord(ins: .fixture(2), identity: .fixture(), createdAt: testInstant)
            for created in [record, other] {
                _ = try await store.createRecord(created, audit: AuditEvent(recordID: created.id, recordedAt: testInstant, actor: .agent,
                                                                            action: .createRecord, outcome: .success, rule: .agentAdministersRecord))
            }
            for index in 0..<5 {
                try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: testInstant.addingTimeInterval(Double(index)),
                                                       actor: .doctor(mode: .breakTheGlass, reason: "coma \(index)"), action: .searchDocuments,
                                                       resources: ["Patient/\(record.id)"], outcome: .success, rule: .breakTheGlass))
            }
            try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: testInstant, actor: .doctor(), action: .readIdentity,
                                                   outcome: .failed, rule: nil, detail: "no record for this INS"))
            let report = try await AuditChainVerifier.verify(store, pageSize: 2)
            #expect(report.isIntact && report.chains == 3 && report.events == 8, "\(report)")
            await store.shutdown()
            try await body(location, record)
        }
    }

    func verify(_ location: DatabaseLocation) async throws -> AuditChainReport {
        let store = try await location.open()
        do {
            let report = try await AuditChainVerifier.verify(store, pageSize: 2)
            await store.shutdown()
            return report
        } catch {
            await store.shutdown()
            throw error
        }
    }

    @Test("an altered row breaks its chain at that row", arguments: TestEngine.available)
    func alteredRow(_ engine: TestEngine) async throws {
        try await withHistory(engine) { location, record async throws in
            try await location.execute("UPDATE audit_events SET emergency_reason = 'routine' WHERE emergency_reason = 'coma 2'")
            let report = try await verify(location)
            #expect(report.firstBreak?.contains("record:\(record.id), event 4") == true && report.firstBreak?.contains("altered") == true, "\(report)")
        }
    }

    @Test("a removed event, in the middle or at the end, is found", arguments: TestEngine.available)
    func removedRows(_ engine: TestEngine) async throws {
        try await withHistory(engine) { location, _ async throws in
            try await location.execute("DELETE FROM audit_events WHERE emergency_reason = 'coma 4'")
            #expect(try await verify(location).firstBreak?.contains("removed") == true)
            try await location.execute("DELETE FROM audit_events WHERE emergency_reason = 'coma 1'")
            #expect(try await verify(location).firstBreak?.contains("missing") == true)
        }
    }

    @Test("a chain's hash links cannot be recomputed for one row without breaking the next", arguments: TestEngine.available)
    func rehashedRow(_ engine: TestEngine) async throws {
        try await withHistory(engine) { location, _ async throws in
            try await location.execute("UPDATE audit_events SET prev_hash = hash WHERE emergency_reason = 'coma 3'")
            #expect(try await verify(location).firstBreak?.contains("link") == true)
        }
    }

    @Test("the audit trail pages newest first within a time range, with the range's total", arguments: TestEngine.available)
    func pages(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: AuditEvent(recordID: record.id, recordedAt: testInstant.addingTimeInterval(-60), actor: .agent,
                                                                       action: .createRecord, outcome: .success, rule: nil))
            for second in 0..<5 {
                try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: testInstant.addingTimeInterval(Double(second)), actor: .doctor(),
                                                       action: .searchDocuments, outcome: .success, rule: nil, detail: "t\(second)"))
            }
            let all = try await store.auditEventPage(recordID: record.id, from: testInstant, until: nil, limit: 2, offset: 1)
            #expect(all.total == 5 && all.events.map(\.detail) == ["t3", "t2"])
            let range = try await store.auditEventPage(recordID: record.id, from: testInstant.addingTimeInterval(1), until: testInstant.addingTimeInterval(3),
                                                       limit: 10, offset: 0)
            #expect(range.total == 2 && range.events.map(\.detail) == ["t2", "t1"])
            #expect(try await store.auditEventPage(recordID: record.id, from: nil, until: nil, limit: 0, offset: 0).total == 6)
        }
    }
}
