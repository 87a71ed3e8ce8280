import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The full-text index and the recorded-since condition decided by the engine (issue 18): the same
/// answers on both engines, within one record only, and a deleted document's words leave with it.
@Suite("Document text index conformance")
struct DocumentTextConformanceTests {
    func audit(_ record: HealthRecord) -> AuditEvent {
        AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .patient(record.ins), action: .createDocument, outcome: .success, rule: nil)
    }

    func found(_ store: any RecordStore, _ record: HealthRecord, _ words: String, statuses: Set<DocumentStatus> = [.current],
               since: Date? = nil) async throws -> [DocumentID] {
        try await store.documentIndex(recordID: record.id, statuses: statuses, from: nil, until: nil,
                                      narrowing: DocumentNarrowing(textTerms: FrenchText.queryTerms(words), recordedSince: since),
                                      newestFirst: true).map(\.id)
    }

    @Test("every term must match, within the record; recorded-since narrows; a deleted document is found no more", arguments: TestEngine.available)
    func textIndex(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let other = HealthRecord(ins: .fixture(7), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: audit(record))
            _ = try await store.createRecord(other, audit: audit(other))
            var mitral = DocumentEntry.fixture(in: record.id, date: testInstant)
            mitral.recordedAt = testInstant
            var aortic = DocumentEntry.fixture(in: record.id, date: testInstant.addingTimeInterval(-60))
            aortic.recordedAt = testInstant.addingTimeInterval(60)
            let elsewhere = DocumentEntry.fixture(in: other.id, date: testInstant)
            try await store.addDocuments([DocumentAddition(entry: mitral, superseding: nil, searchText: FrenchText.indexText("Fuite mitrale minime")),
                                          DocumentAddition(entry: aortic, superseding: nil, searchText: FrenchText.indexText("Insuffisance aortique"))],
                                         audits: [audit(record)])
            try await store.addDocuments([DocumentAddition(entry: elsewhere, superseding: nil, searchText: FrenchText.indexText("Fuite mitrale"))],
                                         audits: [audit(other)])

            #expect(try await found(store, record, "fuites mitrales") == [mitral.id])
            #expect(try await found(store, record, "aortique") == [aortic.id])
            #expect(try await found(store, record, "fuite aortique").isEmpty)
            #expect(try await found(store, other, "mitrale") == [elsewhere.id], "each record its own words")
            #expect(try await found(store, record, "minime", since: testInstant.addingTimeInterval(1)).isEmpty)
            #expect(try await store.documentIndex(recordID: record.id, statuses: [.current], from: nil, until: nil,
                                                  narrowing: DocumentNarrowing(recordedSince: testInstant.addingTimeInterval(1)),
                                                  newestFirst: true).map(\.id) == [aortic.id])

            var deleted = mitral
            deleted.status = .deleted
            deleted.metadataVersion += 1
            try await store.updateDocument(deleted, audit: audit(record))
            #expect(try await found(store, record, "mitrale", statuses: [.deleted, .current]).isEmpty, "its words left with it")
            #expect(try await found(store, other, "mitrale") == [elsewhere.id])
        }
    }
}
