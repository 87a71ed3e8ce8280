import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// ITI-67 through the service: the index narrows and decides, the page is loaded whole; the total and
/// the page never count or show what the actor may not see, whichever path a query takes.
@Suite("Document search")
struct DocumentSearchTests {
    /// A record with 30 documents a day apart (newest = index 0): every third masked to professionals,
    /// every fifth an archived one, the two newest of type 11502-2; all pushed by physician 99700000037,
    /// and physician 99700000011 (``Actor/doctor(_:mode:reason:)``) authorised by the patient.
    func withRecord(_ engine: TestEngine,
                    _ body: (RecordService, HealthRecord, [DocumentEntry]) async throws -> Void) async throws {
        try await engine.withStore { store async throws in
            try await TemporaryDirectory.with { directory async throws in
                let blobs = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
                let service = RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled(), clock: { testInstant })
                let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
                var entries: [DocumentEntry] = []
                for index in 0..<30 {
                    var entry = DocumentEntry.fixture(in: record.id, uniqueID: "1.2.250.1.999.7.\(index)", type: index < 2 ? "11502-2" : "11488-4",
                                                      date: testInstant.addingTimeInterval(-86_400 * Double(index)))
                    entry.visibility.maskedToProfessionals = index % 3 == 0
                    if index % 5 == 4 { entry.status = .archived }
                    entry.submitterID = "99700000037"
                    entries.append(entry)
                    try await store.addDocument(entry, superseding: nil, audit: AuditEvent(
                        recordID: record.id, recordedAt: testInstant, actor: .agent, action: .createDocument, outcome: .success, rule: nil))
                }
                _ = try await service.changeAccess(of: record.id, .authorize(try RPPS("99700000011")), by: .patient(.fixture()))
                try await body(service, record, entries)
            }
        }
    }

    func ids(_ entries: some Sequence<DocumentEntry>) -> [DocumentID] { entries.map(\.id) }

    @Test("an authorised physician pages through the current, unmasked documents, newest first, with their total",
          arguments: TestEngine.available)
    func paging(_ engine: TestEngine) async throws {
        try await withRecord(engine) { service, record, entries async throws in
            let visible = entries.filter { $0.status == .current && !$0.visibility.maskedToProfessionals }
            var query = DocumentQuery()
            query.count = 5
            query.offset = 5
            let result = try await service.searchDocuments(of: .record(record.id), query, by: .doctor())
            #expect(result.total == visible.count)
            #expect(ids(result.page) == ids(visible[5..<10]))

            query.newestFirst = false
            query.offset = 0
            let oldest = try await service.searchDocuments(of: .record(record.id), query, by: .doctor())
            #expect(ids(oldest.page) == ids(visible.reversed().prefix(5)))
        }
    }

    @Test("the holder sees masked documents; the author of a masked one sees it; criteria combine on either path",
          arguments: TestEngine.available)
    func criteria(_ engine: TestEngine) async throws {
        try await withRecord(engine) { service, record, entries async throws in
            var query = DocumentQuery()
            query.count = 100
            let holder = try await service.searchDocuments(of: .record(record.id), query, by: .patient(.fixture()))
            #expect(ids(holder.page) == ids(entries.filter { $0.status == .current }))

            // Index path: type and date window; the author sees their masked index 0.
            query.types = ["http://loinc.org|11502-2"]
            let author = try await service.searchDocuments(of: .record(record.id), query, by: .doctor("99700000037"))
            #expect(ids(author.page) == ids(entries[0..<2]))

            query.types = []
            query.statuses = [.archived, .current]
            query.dates = [DateCondition(.ge, lower: entries[12].date, upper: entries[12].date.addingTimeInterval(86_400)),
                           DateCondition(.ne, lower: entries[13].date, upper: entries[13].date.addingTimeInterval(86_400))]
            let window = try await service.searchDocuments(of: .record(record.id), query, by: .doctor())
            let expected = entries[0...12].filter { !$0.visibility.maskedToProfessionals }
            #expect(ids(window.page) == ids(expected) && window.total == expected.count)

            // Whole-entry path (a category criterion): same answer.
            query.categories = ["urn:oid:1.2.250.1.213.1.1.4.1|10"]
            let whole = try await service.searchDocuments(of: .record(record.id), query, by: .doctor())
            #expect(ids(whole.page) == ids(expected) && whole.total == expected.count)
            query.categories = ["other|10"]
            #expect(try await service.searchDocuments(of: .record(record.id), query, by: .doctor()).total == 0)
        }
    }

    @Test("a pharmacist, not authorised, finds nothing; the count says nothing either", arguments: TestEngine.available)
    func unauthorised(_ engine: TestEngine) async throws {
        try await withRecord(engine) { service, record, _ async throws in
            let result = try await service.searchDocuments(of: .record(record.id), DocumentQuery(), by: .pharmacist())
            #expect(result.page.isEmpty && result.total == 0)
        }
    }
}
