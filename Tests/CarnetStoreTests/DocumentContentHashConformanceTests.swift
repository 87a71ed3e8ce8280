import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Duplicates (issue 18, migration 020 / version 20) on every engine: a record's documents found by
/// their content's SHA-256, and each entry's content address and submission in its index columns.
@Suite("Document content hash conformance")
struct DocumentContentHashConformanceTests {
    @Test("a record's documents with some content, any status, oldest recorded first; never another record's", arguments: TestEngine.available)
    func byContent(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let other = HealthRecord(ins: .fixture(2), identity: .fixture(), createdAt: testInstant)
            func audit(_ recordID: RecordID) -> AuditEvent {
                AuditEvent(recordID: recordID, recordedAt: testInstant, actor: .doctor(), action: .createRecord, outcome: .success, rule: nil)
            }
            _ = try await store.createRecord(record, audit: audit(record.id))
            _ = try await store.createRecord(other, audit: audit(other.id))
            func entry(in recordID: RecordID, sha256: String, recordedAt offset: TimeInterval, submission: String) -> DocumentEntry {
                var entry = DocumentEntry.fixture(in: recordID)
                entry.content.sha256 = sha256
                entry.recordedAt = testInstant.addingTimeInterval(offset)
                entry.submissionID = submission
                return entry
            }
            let same = String(repeating: "c", count: 64)
            let later = entry(in: record.id, sha256: same, recordedAt: 60, submission: "s2")
            var earlier = entry(in: record.id, sha256: same, recordedAt: 0, submission: "s1")
            let different = entry(in: record.id, sha256: String(repeating: "d", count: 64), recordedAt: 30, submission: "s3")
            let elsewhere = entry(in: other.id, sha256: same, recordedAt: 0, submission: "s4")
            for (added, auditedRecord) in [(later, record.id), (earlier, record.id), (different, record.id), (elsewhere, other.id)] {
                try await store.addDocument(added, superseding: nil, audit: audit(auditedRecord))
            }
            earlier.status = .archived
            earlier.beginNextVersion(at: testInstant)
            try await store.updateDocument(earlier, audit: audit(record.id))

            #expect(try await store.documents(recordID: record.id, contentSHA256: same).map(\.id) == [earlier.id, later.id])
            #expect(try await store.documents(recordID: record.id, contentSHA256: String(repeating: "e", count: 64)).isEmpty)
            #expect(try await store.document(id: later.id)?.submissionID == "s2", "the submission is kept with the entry")
            let index = try await store.documentIndex(recordID: record.id, statuses: [.current, .archived], from: nil, until: nil, newestFirst: true)
            #expect(Set(index.map(\.submissionKey)) == ["s1", "s2", "s3"] && index.first { $0.id == later.id }?.contentSHA256 == same)
        }
    }

    @Test("the migration that adds the columns fills them from the stored entries; older entries' submission is submitter and time",
          arguments: TestEngine.available)
    func migrationBackfills(_ engine: TestEngine) async throws {
        try await engine.withDatabaseLocation { location async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            func audit() -> AuditEvent {
                AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .doctor(), action: .createRecord, outcome: .success, rule: nil)
            }
            let sha256 = String(repeating: "f", count: 64)
            var kept = DocumentEntry.fixture(in: record.id)
            kept.content.sha256 = sha256
            kept.submissionID = "s1"
            var older = DocumentEntry.fixture(in: record.id)
            older.content.sha256 = sha256
            let store = try await location.open()
            _ = try await store.createRecord(record, audit: audit())
            for entry in [kept, older] { try await store.addDocument(entry, superseding: nil, audit: audit()) }
            await store.shutdown()

            // Back to the schema before the columns: they, their index and the migration's mark gone.
            try await location.execute("DROP INDEX documents_by_record_content")
            try await location.execute("ALTER TABLE documents DROP COLUMN content_sha256")
            try await location.execute("ALTER TABLE documents DROP COLUMN submission_key")
            try await location.execute(engine == .sqlite ? "DELETE FROM grdb_migrations WHERE identifier = '020_document_content_hash'"
                                                         : "DELETE FROM carnet_schema_migrations WHERE version = 20")

            let migrated = try await location.open()
            #expect(Set(try await migrated.documents(recordID: record.id, contentSHA256: sha256).map(\.id)) == [kept.id, older.id])
            let index = try await migrated.documentIndex(recordID: record.id, statuses: [.current], from: nil, until: nil, newestFirst: true)
            #expect(Set(index) == [DocumentIndexEntry(kept), DocumentIndexEntry(older)], "the columns as a new row would have them")
            #expect(index.first { $0.id == older.id }?.submissionKey == "99700000011@\(Int64((testInstant.timeIntervalSince1970 * 1000).rounded()))")
            await migrated.shutdown()
        }
    }
}
