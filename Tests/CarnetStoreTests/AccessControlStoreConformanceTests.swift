import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The patient's access controls on every engine: defaults, versioned saves, creation with controls.
@Suite("Access control store conformance")
struct AccessControlStoreConformanceTests {
    func audit(_ record: HealthRecord) -> AuditEvent {
        AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .patient(record.ins), action: .manageAccess, outcome: .success, rule: nil)
    }

    @Test("defaults until saved; each save needs the version it was read at, and writes its audit event", arguments: TestEngine.available)
    func versionedSaves(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: audit(record))
            #expect(try await store.accessControls(recordID: record.id) == AccessControls())

            var controls = AccessControls(authorisations: ["99700000011": Authorisation(basis: .patientGrant, since: testInstant)],
                                          blocked: ["99700000022": testInstant], breakTheGlassAllowed: false, version: 1)
            try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record))
            #expect(try await store.accessControls(recordID: record.id) == controls)
            await #expect(throws: StoreError.versionConflict) { try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record)) }

            controls.treatingPhysician = TreatingPhysician(rpps: "99700000011", since: testInstant)
            controls.version = 2
            try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record))
            controls.version = 4
            await #expect(throws: StoreError.versionConflict) { try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record)) }
            #expect(try await store.accessControls(recordID: record.id).version == 2)
            #expect(try await store.auditEvents(recordID: record.id, limit: 10).count == 3)
        }
    }

    @Test("a record created with controls has them; a repeated creation does not touch them", arguments: TestEngine.available)
    func creationWithControls(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let controls = AccessControls(authorisations: ["99700000011": Authorisation(basis: .recordCreation, since: testInstant)], version: 1)
            _ = try await store.createRecord(record, controls: controls, audit: audit(record))
            let again = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let creation = try await store.createRecord(again, controls: AccessControls(version: 1), audit: audit(again))
            #expect(creation == .existing(record))
            #expect(try await store.accessControls(recordID: record.id) == controls)
        }
    }

    @Test("a revocation is kept on every engine (issue 23.4); controls stored before revocations existed read as none", arguments: TestEngine.available)
    func revocations(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: audit(record))
            var controls = AccessControls(careTeamOpposed: ["99700000022"], version: 1)
            controls.revoked = ["99700000022": testInstant]
            try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record))
            let read = try await store.accessControls(recordID: record.id)
            #expect(read == controls && read.isRevoked("99700000022") && !read.isRevoked("99700000011"))
        }
        let older = #"{"authorisations":{},"blocked":{},"careTeamOpposed":[],"breakTheGlassAllowed":true,"regulationAllowed":true,"documentsHiddenFromProfessionals":false,"legalRepresentatives":[],"version":3}"#
        let decoded = try AccessControls(storedJSON: older)
        #expect(decoded.revoked == nil && decoded.version == 3)
    }
}
