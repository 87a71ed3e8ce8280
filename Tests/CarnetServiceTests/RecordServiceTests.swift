import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The one door: every operation decides, acts and leaves an audit event; refusals change nothing.
@Suite("Record service")
struct RecordServiceTests {
    /// Runs `body` with a service over a fresh SQLite store, its clock pinned to `testInstant`.
    func withService(_ body: (RecordService, any RecordStore) async throws -> Void) async throws {
        try await TestEngine.sqlite.withStore { store async throws in
            try await TemporaryDirectory.with { directory async throws in
                let blobs = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
                try await body(RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled(), clock: { testInstant }), store)
            }
        }
    }

    @Test("creating a record audits who created it and under which rule")
    func creationIsAudited() async throws {
        try await withService { service, store async throws in
            let creation = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .doctor())
            guard case .created(let record) = creation else { Issue.record("expected a creation"); return }
            let trail = try await store.auditEvents(recordID: record.id, limit: 10)
            #expect(trail.count == 1)
            #expect(trail.first?.action == .createRecord && trail.first?.outcome == .success)
            #expect(trail.first?.rule == .professionalCreatesWithConsent && trail.first?.actorID == "99700000011")
            #expect(trail.first?.profession == "10")
        }
    }

    @Test("creating twice returns the same record")
    func creationIsIdempotent() async throws {
        try await withService { service, _ async throws in
            let first = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent)
            let second = try await service.createRecord(ins: .fixture(), identity: .fixture(family: "X"), by: .patient(.fixture()))
            #expect(second == .existing(first.record))
        }
    }

    @Test("a patient cannot create someone else's record, and the refusal is audited without a record")
    func patientCreatesOwnOnly() async throws {
        try await withService { service, store async throws in
            await #expect(throws: AccessError.notFound) {
                try await service.createRecord(ins: .fixture(1), identity: .fixture(), by: .patient(.fixture(2)))
            }
            #expect(try await store.record(ins: .fixture(1)) == nil)
        }
    }

    @Test("a professional is refused a closed record but told by the existence check (TD0.2) that it is closed; all in the trail")
    func closedRecordRefused() async throws {
        try await withService { service, store async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            _ = try await service.transition(record.id, .closeRecord, reason: "patient's wish", by: .patient(.fixture()))
            await #expect(throws: AccessError.denied(.recordClosed)) { try await service.readRecord(record.id, by: .doctor()) }
            var trail = try await store.auditEvents(recordID: record.id, limit: 10)
            #expect(trail.first?.outcome == .denied && trail.first?.rule == .recordClosed)
            let check = try await service.checkExistence(ins: .fixture(), by: .pharmacist())
            #expect(check?.record.state == .closed && check?.access == RecordService.ProfessionalAccess.none)
            trail = try await store.auditEvents(recordID: record.id, limit: 10)
            #expect(trail.first?.outcome == .success && trail.first?.detail == "existence check (TD0.2)")
            #expect(trail.contains { $0.action == .closeRecord && $0.outcome == .success && $0.detail == "patient's wish" })
        }
    }

    @Test("close and reopen by the patient; a professional may not close")
    func lifecycleThroughTheDoor() async throws {
        try await withService { service, store async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .doctor()).record
            await #expect(throws: AccessError.denied(.roleNotAllowed)) {
                try await service.transition(record.id, .closeRecord, reason: nil, by: .doctor())
            }
            #expect(try await store.record(id: record.id)?.state == .active)
            let closed = try await service.transition(record.id, .closeRecord, reason: nil, by: .patient(.fixture()))
            #expect(closed.state == .closed && closed.version == 2)
            let reopened = try await service.transition(record.id, .reopenRecord, reason: nil, by: .agent)
            #expect(reopened.state == .active && reopened.version == 3)
            #expect(try await store.record(id: record.id) == reopened)
        }
    }

    @Test("an illegal transition changes nothing and is audited as failed")
    func illegalTransition() async throws {
        try await withService { service, store async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            await #expect(throws: RecordError.illegalTransition(from: .active, transition: .reopen)) {
                try await service.transition(record.id, .reopenRecord, reason: nil, by: .patient(.fixture()))
            }
            #expect(try await store.record(id: record.id) == record)
            let last = try await store.auditEvents(recordID: record.id, limit: 1).first
            #expect(last?.action == .reopenRecord && last?.outcome == .failed)
        }
    }

    @Test("looking up an unknown INS or id finds nothing and is audited")
    func missesAreAudited() async throws {
        try await withService { service, _ async throws in
            #expect(try await service.findRecord(ins: .fixture(9), by: .doctor()) == nil)
            await #expect(throws: AccessError.notFound) { try await service.readRecord(RecordID(), by: .doctor()) }
        }
    }

    @Test("reads are audited with the actor's access mode and reason")
    func emergencyReadAudited() async throws {
        try await withService { service, store async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            _ = try await service.readRecord(record.id, by: .doctor(mode: .breakTheGlass, reason: "unconscious"))
            let read = try await store.auditEvents(recordID: record.id, limit: 1).first
            #expect(read?.action == .readIdentity && read?.accessMode == .breakTheGlass && read?.emergencyReason == "unconscious")
        }
    }

    @Test("the audit trail is for the patient and agents only")
    func auditTrailAccess() async throws {
        try await withService { service, _ async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            #expect(try await service.auditTrail(of: record.id, by: .patient(.fixture())).count >= 1)
            await #expect(throws: AccessError.denied(.roleNotAllowed)) { try await service.auditTrail(of: record.id, by: .doctor()) }
            await #expect(throws: AccessError.notFound) { try await service.auditTrail(of: record.id, by: .patient(.fixture(3))) }
        }
    }
}
