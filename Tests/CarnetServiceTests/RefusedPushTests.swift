import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// A submission is decided whole before anything is written (issue 15): a push refused for its
/// replacement, its unique id or the profession's right to write leaves no content on disk.
@Suite("Refused pushes write nothing")
struct RefusedPushTests {
    static func draft(_ uniqueID: String, replaces: DocumentID? = nil, type: String = "11488-4") -> DocumentDraft {
        DocumentDraft(uniqueID: uniqueID, type: Code(system: "http://loinc.org", code: type), title: "Synthetic", contentType: "text/plain",
                      language: "fr-FR", replaces: replaces)
    }

    /// Files under the content store's directory.
    static func contentFiles(_ directory: URL) -> Int {
        (FileManager.default.enumerator(atPath: directory.appendingPathComponent("blobs").path)?.allObjects as? [String] ?? [])
            .filter { $0.split(separator: "/").count == 2 }.count
    }

    @Test("a refused replacement, a taken unique id and a bundle repeating one store no content", arguments: TestEngine.available)
    func nothingWritten(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, directory async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            let author = Actor.doctor()
            let colleague = Actor.doctor("99700000022")
            let first = try await service.publishDocument(Self.draft("urn:oid:1.2.250.1.999.9.1"), content: Data("Synthetic one".utf8),
                                                          for: .record(record.id), by: author)
            #expect(Self.contentFiles(directory) == 1)

            await #expect(throws: DocumentInputError.replacedDocumentNotFound(first.id), "not authorised: as if missing") {
                _ = try await service.publishDocument(Self.draft("urn:oid:1.2.250.1.999.9.2", replaces: first.id), content: Data("Forged".utf8),
                                                      for: .record(record.id), by: colleague)
            }
            await #expect(throws: AccessError.denied(.onlyAuthorReplaces), "the holder sees it but did not write it") {
                _ = try await service.publishDocument(Self.draft("urn:oid:1.2.250.1.999.9.3", replaces: first.id), content: Data("Mine?".utf8),
                                                      for: .record(record.id), by: .patient(.fixture()))
            }
            await #expect(throws: DocumentInputError.duplicateUniqueID("urn:oid:1.2.250.1.999.9.1")) {
                _ = try await service.publishDocument(Self.draft("urn:oid:1.2.250.1.999.9.1"), content: Data("Other bytes".utf8),
                                                      for: .record(record.id), by: author)
            }
            await #expect(throws: DocumentInputError.duplicateUniqueID("urn:oid:1.2.250.1.999.9.5")) {
                _ = try await service.publishDocuments([
                    RecordService.Submission(draft: Self.draft("urn:oid:1.2.250.1.999.9.5"), content: Data("Twice, first".utf8)),
                    RecordService.Submission(draft: Self.draft("urn:oid:1.2.250.1.999.9.5"), content: Data("Twice, second".utf8)),
                ], for: .record(record.id), by: author)
            }
            #expect(Self.contentFiles(directory) == 1, "no refused push left content behind")
            let refusals = try await store.auditEvents(recordID: record.id, limit: 50).filter { $0.outcome == .denied }
            #expect(refusals.contains { $0.rule == .onlyAuthorReplaces && $0.resources == ["DocumentReference/\(first.id)"] })
        }
    }
}
