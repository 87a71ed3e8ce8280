import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The index of legal representatives on every engine: a representative finds the records whose
/// controls name them, kept in step with every save of the controls and filled for existing data by
/// the migration that adds it (DOMAIN.md, Minors).
@Suite("Legal representation store conformance")
struct LegalRepresentationStoreConformanceTests {
    let parent = INS.fixture(900), otherParent = INS.fixture(901), stranger = INS.fixture(902)

    func audit(_ record: HealthRecord) -> AuditEvent {
        AuditEvent(recordID: record.id, recordedAt: testInstant, actor: Actor(role: .agent(id: "agent-1")), action: .manageLegalRepresentatives,
                   outcome: .success, rule: nil)
    }

    func minor(_ seed: Int, _ given: String, createdAt: Date = testInstant) -> HealthRecord {
        HealthRecord(ins: .fixture(seed), identity: .fixture(family: "BERNARD", given: [given]), createdAt: createdAt)
    }

    /// Saves `representatives` as the record's whole set, at the next version.
    func represent(_ store: any RecordStore, _ record: HealthRecord, _ representatives: Set<String>) async throws {
        var controls = try await store.accessControls(recordID: record.id)
        controls.legalRepresentatives = representatives
        controls.version += 1
        try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record))
    }

    @Test("added, several minors, removed: a representative finds exactly the records that name them", arguments: TestEngine.available)
    func addAndRemove(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let ines = minor(10, "Inès"), jules = minor(11, "Jules", createdAt: testInstant.addingTimeInterval(60)), alone = minor(12, "Zoé")
            for record in [ines, jules, alone] { _ = try await store.createRecord(record, audit: audit(record)) }
            #expect(try await store.recordsRepresented(by: parent.value).isEmpty, "nobody represents anybody yet")

            try await represent(store, ines, [parent.value])
            #expect(try await store.recordsRepresented(by: parent.value) == [ines])
            try await represent(store, jules, [parent.value, otherParent.value])
            #expect(try await store.recordsRepresented(by: parent.value) == [ines, jules], "several minors, oldest record first")
            #expect(try await store.recordsRepresented(by: otherParent.value) == [jules])
            #expect(try await store.recordsRepresented(by: stranger.value).isEmpty, "a person who represents nobody")

            try await represent(store, jules, [otherParent.value])
            #expect(try await store.recordsRepresented(by: parent.value) == [ines], "a removed representative no longer finds the minor")
            #expect(try await store.recordsRepresented(by: otherParent.value) == [jules])
            try await represent(store, ines, [])
            #expect(try await store.recordsRepresented(by: parent.value).isEmpty)
        }
    }

    @Test("a refused save (version conflict) leaves the index as it was", arguments: TestEngine.available)
    func conflictLeavesIndex(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let ines = minor(10, "Inès")
            _ = try await store.createRecord(ines, audit: audit(ines))
            try await represent(store, ines, [parent.value])
            var stale = AccessControls(legalRepresentatives: [stranger.value], version: 1)
            await #expect(throws: StoreError.versionConflict) { try await store.saveAccessControls(stale, recordID: ines.id, audit: audit(ines)) }
            stale.version = 5
            await #expect(throws: StoreError.versionConflict) { try await store.saveAccessControls(stale, recordID: ines.id, audit: audit(ines)) }
            #expect(try await store.recordsRepresented(by: stranger.value).isEmpty)
            #expect(try await store.recordsRepresented(by: parent.value) == [ines])
        }
    }

    @Test("a record created with controls naming a representative is found by them", arguments: TestEngine.available)
    func creationWithRepresentatives(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let ines = minor(10, "Inès")
            _ = try await store.createRecord(ines, controls: AccessControls(legalRepresentatives: [parent.value], version: 1), audit: audit(ines))
            #expect(try await store.recordsRepresented(by: parent.value) == [ines])
        }
    }

    @Test("the migration that adds the index fills it from the controls already stored", arguments: TestEngine.available)
    func migrationBackfills(_ engine: TestEngine) async throws {
        try await engine.withDatabaseLocation { location async throws in
            let ines = minor(10, "Inès"), jules = minor(11, "Jules", createdAt: testInstant.addingTimeInterval(60)), alone = minor(12, "Zoé")
            let store = try await location.open()
            for record in [ines, jules, alone] { _ = try await store.createRecord(record, audit: audit(record)) }
            try await represent(store, ines, [parent.value])
            try await represent(store, jules, [parent.value, otherParent.value])
            try await represent(store, alone, [])
            await store.shutdown()

            // Back to the schema before the index: the table and the migration's mark gone.
            try await location.execute("DROP TABLE legal_representations")
            try await location.execute(engine == .sqlite ? "DELETE FROM grdb_migrations WHERE identifier = '011_legal_representations'"
                                                         : "DELETE FROM carnet_schema_migrations WHERE version = 11")

            let migrated = try await location.open()
            #expect(try await migrated.recordsRepresented(by: parent.value) == [ines, jules])
            #expect(try await migrated.recordsRepresented(by: otherParent.value) == [jules])
            #expect(try await migrated.recordsRepresented(by: stranger.value).isEmpty)
            await migrated.shutdown()
        }
    }
}
