import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// One conformance suite, run on every engine (ARCHITECTURE.md, invariant 6): SQLite always,
/// PostgreSQL when `scripts/test` provides a cluster.
@Suite("Record store conformance")
struct RecordStoreConformanceTests {
    static func record(_ seed: Int = 1, system: INSSystem = .nir) -> HealthRecord {
        HealthRecord(ins: .fixture(seed, system: system), identity: .fixture(), createdAt: testInstant)
    }

    static func audit(_ record: HealthRecord, _ action: Action = .createRecord, at offset: TimeInterval = 0,
                      outcome: AuditEvent.Outcome = .success) -> AuditEvent {
        AuditEvent(recordID: record.id, recordedAt: testInstant.addingTimeInterval(offset), actor: .doctor(), action: action,
                   resources: ["Patient/\(record.id)"], outcome: outcome, rule: .professionalCreatesWithConsent, detail: "note")
    }

    @Test("a created record reads back identical by id and by INS", arguments: TestEngine.available)
    func createAndRead(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = Self.record()
            #expect(try await store.createRecord(record, audit: Self.audit(record)) == .created(record))
            #expect(try await store.record(id: record.id) == record)
            #expect(try await store.record(ins: record.ins) == record)
            #expect(try await store.record(id: RecordID()) == nil)
            #expect(try await store.record(ins: .fixture(99)) == nil)
        }
    }

    @Test("creating again for the same INS returns the existing record and audits against it", arguments: TestEngine.available)
    func idempotentCreation(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let first = Self.record()
            _ = try await store.createRecord(first, audit: Self.audit(first))
            let second = HealthRecord(ins: first.ins, identity: .fixture(family: "OTHER"), createdAt: testInstant.addingTimeInterval(5))
            let result = try await store.createRecord(second, audit: Self.audit(second, at: 5))
            #expect(result == .existing(first))
            #expect(try await store.record(id: second.id) == nil)
            let trail = try await store.auditEvents(recordID: first.id, limit: 10)
            #expect(trail.count == 2)
            #expect(trail.allSatisfy { $0.recordID == first.id && $0.resources == ["Patient/\(first.id)"] })
        }
    }

    @Test("the same number under another INS system is another record", arguments: TestEngine.available)
    func systemsAreDistinct(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let production = Self.record(3, system: .nir)
            let demo = Self.record(3, system: .demo)
            #expect(try await store.createRecord(production, audit: Self.audit(production)) == .created(production))
            #expect(try await store.createRecord(demo, audit: Self.audit(demo)) == .created(demo))
            #expect(try await store.record(ins: demo.ins)?.id == demo.id)
        }
    }

    @Test("concurrent creations for one INS make exactly one record", arguments: TestEngine.available)
    func concurrentCreation(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let ins = INS.fixture(5)
            let results = try await withThrowingTaskGroup(of: RecordCreation.self) { group in
                for attempt in 0..<8 {
                    group.addTask {
                        let record = HealthRecord(ins: ins, identity: .fixture(), createdAt: testInstant.addingTimeInterval(Double(attempt)))
                        return try await store.createRecord(record, audit: Self.audit(record))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = results.filter { if case .created = $0 { true } else { false } }
            #expect(created.count == 1)
            #expect(Set(results.map(\.record.id)).count == 1)
        }
    }

    @Test("an update needs the version it was read at; a stale one changes nothing", arguments: TestEngine.available)
    func optimisticUpdate(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = Self.record()
            _ = try await store.createRecord(record, audit: Self.audit(record))
            let closed = try record.applying(.close, at: testInstant.addingTimeInterval(60), reason: "moving")
            try await store.updateRecord(closed, audit: Self.audit(closed, .closeRecord, at: 60))
            #expect(try await store.record(id: record.id) == closed)

            // A second writer that read version 1 too must not overwrite version 2, nor leave a trace of success.
            let staleClose = try record.applying(.close, at: testInstant.addingTimeInterval(61), reason: "stale")
            await #expect(throws: StoreError.versionConflict) {
                try await store.updateRecord(staleClose, audit: Self.audit(staleClose, .closeRecord, at: 61))
            }
            #expect(try await store.record(id: record.id) == closed)
            #expect(try await store.auditEvents(recordID: record.id, limit: 10).count == 2)
        }
    }

    @Test("updating a record that does not exist is a conflict", arguments: TestEngine.available)
    func updateMissing(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let ghost = try Self.record().applying(.close, at: testInstant)
            await #expect(throws: StoreError.versionConflict) { try await store.updateRecord(ghost, audit: Self.audit(ghost)) }
        }
    }

    @Test("audit events read back whole, newest first, within the limit", arguments: TestEngine.available)
    func auditTrail(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = Self.record()
            let creation = Self.audit(record)
            _ = try await store.createRecord(record, audit: creation)
            let emergency = AuditEvent(recordID: record.id, recordedAt: testInstant.addingTimeInterval(30),
                                       actor: .doctor(mode: .breakTheGlass, reason: "unconscious"), action: .readIdentity,
                                       resources: ["Patient/\(record.id)"], outcome: .success, rule: .professionalChecksActiveRecord)
            let refusal = AuditEvent(recordID: record.id, recordedAt: testInstant.addingTimeInterval(30), actor: .insurer,
                                     action: .closeRecord, outcome: .denied, rule: .roleNotAllowed)
            try await store.appendAudit(emergency)
            try await store.appendAudit(refusal)
            let trail = try await store.auditEvents(recordID: record.id, limit: 10)
            #expect(trail == [refusal, emergency, creation])
            #expect(trail[1].emergencyReason == "unconscious" && trail[1].accessMode == .breakTheGlass)
            #expect(try await store.auditEvents(recordID: record.id, limit: 1) == [refusal])
        }
    }

    @Test("an audit event about no record is kept", arguments: TestEngine.available)
    func auditWithoutRecord(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let miss = AuditEvent(recordID: nil, recordedAt: testInstant, actor: .doctor(), action: .readIdentity,
                                  outcome: .failed, rule: nil, detail: "no record for this INS")
            try await store.appendAudit(miss)
            try await store.ping()
        }
    }

    @Test("data survives closing and reopening the database; migrations run once", arguments: TestEngine.available)
    func persistence(_ engine: TestEngine) async throws {
        try await engine.withDatabaseLocation { location async throws in
            let record = Self.record()
            let first = try await location.open()
            _ = try await first.createRecord(record, audit: Self.audit(record))
            await first.shutdown()
            let second = try await location.open()
            #expect(try await second.record(ins: record.ins) == record)
            await second.shutdown()
        }
    }
}
