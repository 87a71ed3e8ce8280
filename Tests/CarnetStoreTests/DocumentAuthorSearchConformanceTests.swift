import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The author filter decided by the engine: a folded substring of who wrote or sent each document,
/// the same answer on every engine, kept as entries change, and filled for existing data by the
/// migration that adds it.
@Suite("Document author search conformance")
struct DocumentAuthorSearchConformanceTests {
    func audit(_ record: HealthRecord) -> AuditEvent {
        AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .patient(record.ins), action: .createDocument, outcome: .success, rule: nil)
    }

    /// Three documents: by Dr Hélène DUPONT, by Dr Marc Petit, and one the patient added (no author).
    func documents(in record: HealthRecord) -> [DocumentEntry] {
        var helene = DocumentEntry.fixture(in: record.id, date: testInstant)
        helene.authors = [DocumentAuthor(identifierSystem: RPPS.nationalIDSystem, identifierValue: "899700000011", display: "Dr Hélène DUPONT")]
        helene.submitterID = "99700000011"
        var marc = DocumentEntry.fixture(in: record.id, date: testInstant.addingTimeInterval(-60))
        marc.authors = [DocumentAuthor(identifierSystem: RPPS.nationalIDSystem, identifierValue: "899700000022", display: "Dr Marc Petit")]
        marc.submitterID = "99700000022"
        var own = DocumentEntry.fixture(in: record.id, date: testInstant.addingTimeInterval(-120))
        own.authors = []
        own.submitterID = record.ins.value
        return [helene, marc, own]
    }

    func found(_ store: any RecordStore, _ record: HealthRecord, _ text: String?) async throws -> [DocumentID] {
        try await store.documentIndex(recordID: record.id, statuses: [.current], from: nil, until: nil,
                                      authorText: text.map(DocumentQuery.folded), newestFirst: true).map(\.id)
    }

    @Test("names in any case and without accents, RPPS, submitter; nothing for a stranger; all without a filter", arguments: TestEngine.available)
    func filters(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: audit(record))
            let entries = documents(in: record)
            for entry in entries { try await store.addDocument(entry, superseding: nil, audit: audit(record)) }
            let (helene, marc, own) = (entries[0].id, entries[1].id, entries[2].id)

            #expect(try await found(store, record, nil) == [helene, marc, own])
            #expect(try await found(store, record, "helene") == [helene], "accents ignored")
            #expect(try await found(store, record, "dupont") == [helene], "case ignored")
            #expect(try await found(store, record, "HÉLÈNE Dup") == [helene])
            #expect(try await found(store, record, "PETIT") == [marc])
            #expect(try await found(store, record, "8997000000") == [helene, marc], "by national id")
            #expect(try await found(store, record, "99700000022") == [marc], "by submitter")
            #expect(try await found(store, record, record.ins.value) == [own], "the patient's own documents by their INS")
            #expect(try await found(store, record, "Durand").isEmpty)

            let read = try #require(try await store.documentSearch(recordID: record.id, statuses: [.current], from: nil, until: nil,
                                                                   authorText: DocumentQuery.folded("petit"), newestFirst: true) { _, _, index in
                (index.map(\.id), index.count)
            })
            #expect(read.entries.map(\.id) == [marc] && read.conclusion == 1, "the one-trip search filters the same way")

            var renamed = entries[1]
            renamed.authors = [DocumentAuthor(identifierSystem: RPPS.nationalIDSystem, identifierValue: "899700000022", display: "Dr Zoé Martin")]
            renamed.beginNextVersion(at: testInstant)
            try await store.updateDocument(renamed, audit: audit(record))
            #expect(try await found(store, record, "zoe") == [marc], "kept in step with the entry")
            #expect(try await found(store, record, "petit").isEmpty)
        }
    }

    @Test("the migration that adds the column fills it from the stored entries", arguments: TestEngine.available)
    func migrationBackfills(_ engine: TestEngine) async throws {
        try await engine.withDatabaseLocation { location async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let entries = documents(in: record)
            let store = try await location.open()
            _ = try await store.createRecord(record, audit: audit(record))
            for entry in entries { try await store.addDocument(entry, superseding: nil, audit: audit(record)) }
            await store.shutdown()

            // Back to the schema before the column: it and the migration's mark gone.
            try await location.execute("ALTER TABLE documents DROP COLUMN author_search")
            try await location.execute(engine == .sqlite ? "DELETE FROM grdb_migrations WHERE identifier = '012_document_author_search'"
                                                         : "DELETE FROM carnet_schema_migrations WHERE version = 12")

            let migrated = try await location.open()
            #expect(try await found(migrated, record, "hélène") == [entries[0].id])
            #expect(try await found(migrated, record, "8997000000") == [entries[0].id, entries[1].id])
            await migrated.shutdown()
        }
    }
}
