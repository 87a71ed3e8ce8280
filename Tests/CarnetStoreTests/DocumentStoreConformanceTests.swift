import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Document metadata on every engine: versions, supersession in one transaction, unique ids.
@Suite("Document store conformance")
struct DocumentStoreConformanceTests {
    /// A store holding one record, for documents to attach to.
    func withRecord(_ engine: TestEngine, _ body: (any RecordStore, HealthRecord) async throws -> Void) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: audit(record))
            try await body(store, record)
        }
    }

    func audit(_ record: HealthRecord) -> AuditEvent {
        AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .doctor(), action: .createRecord, outcome: .success, rule: nil)
    }

    @Test("an added document reads back identical, by id and among the record's", arguments: TestEngine.available)
    func addAndRead(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let entry = DocumentEntry.fixture(in: record.id)
            try await store.addDocument(entry, superseding: nil, audit: audit(record))
            #expect(try await store.document(id: entry.id) == entry)
            #expect(try await store.documents(recordID: record.id) == [entry])
            #expect(try await store.document(id: DocumentID()) == nil)
            #expect(try await store.auditEvents(recordID: record.id, limit: 10).count == 2)
        }
    }

    @Test("documents come newest first", arguments: TestEngine.available)
    func ordering(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let old = DocumentEntry.fixture(in: record.id, date: testInstant.addingTimeInterval(-86_400))
            let new = DocumentEntry.fixture(in: record.id, date: testInstant)
            try await store.addDocument(old, superseding: nil, audit: audit(record))
            try await store.addDocument(new, superseding: nil, audit: audit(record))
            #expect(try await store.documents(recordID: record.id).map(\.id) == [new.id, old.id])
        }
    }

    @Test("a unique id names one document per record; the refused push leaves nothing", arguments: TestEngine.available)
    func duplicateUniqueID(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            try await store.addDocument(.fixture(in: record.id, uniqueID: "1.2.3.4"), superseding: nil, audit: audit(record))
            await #expect(throws: StoreError.duplicateDocument(uniqueID: "1.2.3.4")) {
                try await store.addDocument(.fixture(in: record.id, uniqueID: "1.2.3.4"), superseding: nil, audit: audit(record))
            }
            #expect(try await store.documents(recordID: record.id).count == 1)
            #expect(try await store.auditEvents(recordID: record.id, limit: 10).count == 2)
        }
    }

    @Test("replacing supersedes the old version in the same transaction", arguments: TestEngine.available)
    func replacement(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let original = DocumentEntry.fixture(in: record.id)
            try await store.addDocument(original, superseding: nil, audit: audit(record))
            var superseded = original
            superseded.status = try original.status.applying(.replace)
            superseded.metadataVersion += 1
            let replacement = DocumentEntry.fixture(in: record.id, lineageID: original.lineageID, replaces: original.id)
            try await store.addDocument(replacement, superseding: superseded, audit: audit(record))
            #expect(try await store.document(id: original.id)?.status == .superseded)
            #expect(try await store.document(id: replacement.id)?.replaces == original.id)

            // A second replacement of the same old version (read before the first) must fail whole.
            let stale = DocumentEntry.fixture(in: record.id, lineageID: original.lineageID, replaces: original.id)
            await #expect(throws: StoreError.versionConflict) {
                try await store.addDocument(stale, superseding: superseded, audit: audit(record))
            }
            #expect(try await store.document(id: stale.id) == nil)
        }
    }

    @Test("metadata changes need the version they were read at", arguments: TestEngine.available)
    func metadataUpdate(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let entry = DocumentEntry.fixture(in: record.id)
            try await store.addDocument(entry, superseding: nil, audit: audit(record))
            var masked = entry
            masked.visibility.maskedToProfessionals = true
            masked.metadataVersion = 2
            try await store.updateDocument(masked, audit: audit(record))
            #expect(try await store.document(id: entry.id) == masked)
            await #expect(throws: StoreError.versionConflict) { try await store.updateDocument(masked, audit: audit(record)) }
        }
    }

    @Test("every metadata version is kept, oldest first, and a refused change adds none", arguments: TestEngine.available)
    func versions(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let entry = DocumentEntry.fixture(in: record.id)
            try await store.addDocument(entry, superseding: nil, audit: audit(record))
            var archived = entry
            archived.status = .archived
            archived.beginNextVersion(at: testInstant.addingTimeInterval(60))
            try await store.updateDocument(archived, audit: audit(record))
            await #expect(throws: StoreError.versionConflict) { try await store.updateDocument(archived, audit: audit(record)) }
            var superseded = archived
            superseded.status = .superseded
            superseded.beginNextVersion(at: testInstant.addingTimeInterval(120))
            try await store.addDocument(.fixture(in: record.id, replaces: entry.id), superseding: superseded, audit: audit(record))
            #expect(try await store.documentVersions(id: entry.id) == [entry, archived, superseded])
            #expect(try await store.documentVersions(id: DocumentID()).isEmpty)
        }
    }

    @Test("a submission set is stored with its documents, whole or not at all; its unique id is one per submitter and record",
          arguments: TestEngine.available)
    func submissionSets(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let first = DocumentEntry.fixture(in: record.id)
            let set = SubmissionSet(recordID: record.id, uniqueID: "1.2.250.1.999.7.1", sourceID: "1.2.250.1.999.7",
                                    authors: [DocumentAuthor(identifierSystem: "urn:oid:1.2.250.1.71.4.2.1", identifierValue: "899700000011")],
                                    designationType: Code(system: "http://loinc.org", code: "11488-4"), submitterID: "899700000011",
                                    submittedAt: testInstant, documentIDs: [first.id])
            try await store.addDocuments([DocumentAddition(entry: first, superseding: nil)], submissionSet: set, audits: [audit(record)])
            #expect(try await store.submissionSets(recordID: record.id) == [set])

            // Same set unique id again by the same submitter: refused, and the document that came with it is not stored either.
            let second = DocumentEntry.fixture(in: record.id)
            let again = SubmissionSet(recordID: record.id, uniqueID: set.uniqueID, submitterID: set.submitterID, submittedAt: testInstant,
                                      documentIDs: [second.id])
            await #expect(throws: StoreError.duplicateSubmissionSet(uniqueID: set.uniqueID)) {
                try await store.addDocuments([DocumentAddition(entry: second, superseding: nil)], submissionSet: again, audits: [audit(record)])
            }
            #expect(try await store.document(id: second.id) == nil)
            #expect(try await store.submissionSets(recordID: record.id).count == 1)
            #expect(try await store.submissionSets(recordID: RecordID()).isEmpty)
            #expect(try await store.submissionSet(recordID: record.id, submitterID: set.submitterID, uniqueID: set.uniqueID) == set,
                    "found by its unique id in its record")
            #expect(try await store.submissionSet(recordID: record.id, submitterID: set.submitterID, uniqueID: set.uniqueID + ".9") == nil)
            #expect(try await store.submissionSet(recordID: RecordID(), submitterID: set.submitterID, uniqueID: set.uniqueID) == nil,
                    "only in the record named")
            #expect(try await store.submissionSet(recordID: record.id, submitterID: "someone else", uniqueID: set.uniqueID) == nil,
                    "only the submitter's")
            // Another submitter's set with the same unique id is theirs: no collision (issue 23.6).
            let third = DocumentEntry.fixture(in: record.id)
            let theirs = SubmissionSet(recordID: record.id, uniqueID: set.uniqueID, submitterID: "x", submittedAt: testInstant, documentIDs: [third.id])
            try await store.addDocuments([DocumentAddition(entry: third, superseding: nil)], submissionSet: theirs, audits: [audit(record)])
            #expect(try await store.submissionSets(recordID: record.id).count == 2)
            #expect(try await store.submissionSet(recordID: record.id, submitterID: "x", uniqueID: set.uniqueID) == theirs)
            #expect(try await store.documents(uniqueID: first.uniqueID, recordID: record.id, limit: 1).map(\.id) == [first.id])
            #expect(try await store.documents(uniqueID: first.uniqueID, recordID: RecordID(), limit: 1).isEmpty)
        }
    }

    @Test("the index lists a record's entries by status and date range, in either order, with what the policy reads",
          arguments: TestEngine.available)
    func index(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let day = 86_400.0
            var masked = DocumentEntry.fixture(in: record.id, type: "11502-2", date: testInstant.addingTimeInterval(-2 * day))
            masked.visibility = DocumentVisibility(maskedToProfessionals: true, invisibleToLegalRepresentatives: true, maskedToThirdParties: true,
                                                   confidentiality: .restricted)
            masked.submitterID = "99700000029"
            let old = DocumentEntry.fixture(in: record.id, date: testInstant.addingTimeInterval(-10 * day))
            let new = DocumentEntry.fixture(in: record.id, date: testInstant)
            for entry in [masked, old, new] { try await store.addDocument(entry, superseding: nil, audit: audit(record)) }
            var archived = old
            archived.status = .archived
            archived.beginNextVersion(at: testInstant)
            try await store.updateDocument(archived, audit: audit(record))
            _ = try await withRecordElsewhere(store)

            let current = try await store.documentIndex(recordID: record.id, statuses: [.current], from: nil, until: nil, newestFirst: true)
            #expect(current == [DocumentIndexEntry(new), DocumentIndexEntry(masked)])
            let oldestFirst = try await store.documentIndex(recordID: record.id, statuses: [.current, .archived], from: nil, until: nil,
                                                             newestFirst: false)
            #expect(oldestFirst == [DocumentIndexEntry(archived), DocumentIndexEntry(masked), DocumentIndexEntry(new)])
            // [from, until): the lower bound is in, the upper out.
            let window = try await store.documentIndex(recordID: record.id, statuses: [.current, .archived], from: masked.date,
                                                       until: new.date, newestFirst: true)
            #expect(window.map(\.id) == [masked.id])
            #expect(try await store.documentIndex(recordID: record.id, statuses: [], from: nil, until: nil, newestFirst: true).isEmpty)
            #expect(try await store.documentIndex(recordID: RecordID(), statuses: [.current], from: nil, until: nil, newestFirst: true).isEmpty)
        }
    }

    /// Adds another record with a document, so scoping by record is tested against something.
    private func withRecordElsewhere(_ store: any RecordStore) async throws -> DocumentEntry {
        let other = HealthRecord(ins: .fixture(2), identity: .fixture(), createdAt: testInstant)
        _ = try await store.createRecord(other, audit: audit(other))
        let entry = DocumentEntry.fixture(in: other.id)
        try await store.addDocument(entry, superseding: nil, audit: audit(other))
        return entry
    }

    @Test("entries by id come in the order asked, only from the record named", arguments: TestEngine.available)
    func byIDs(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let entries = (0..<3).map { DocumentEntry.fixture(in: record.id, uniqueID: "1.2.3.\($0)", date: testInstant.addingTimeInterval(Double($0))) }
            for entry in entries { try await store.addDocument(entry, superseding: nil, audit: audit(record)) }
            let elsewhere = try await withRecordElsewhere(store)
            let asked = [entries[2].id, DocumentID(), entries[0].id, elsewhere.id, entries[1].id]
            #expect(try await store.documents(recordID: record.id, ids: asked) == [entries[2], entries[0], entries[1]])
            #expect(try await store.documents(recordID: record.id, ids: []).isEmpty)
        }
    }

    @Test("a search's one read gives the record, its controls, the narrowed index to choose from, and the chosen entries in order",
          arguments: TestEngine.available)
    func searchRead(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let entries = (0..<4).map { DocumentEntry.fixture(in: record.id, uniqueID: "1.2.4.\($0)", date: testInstant.addingTimeInterval(Double($0))) }
            for entry in entries { try await store.addDocument(entry, superseding: nil, audit: audit(record)) }
            _ = try await withRecordElsewhere(store)
            var controls = AccessControls()
            controls.version = 1
            controls.breakTheGlassAllowed = false
            try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record))

            let read = try #require(try await store.documentSearch(recordID: record.id, statuses: [.current], from: entries[1].date, until: nil,
                                                                   newestFirst: true) { seenRecord, controls, index in
                // Newest first, from entries[1] on; choose every other one, and say what was seen.
                (ids: index.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element.id),
                 conclusion: (seen: index.map(\.id), breakTheGlass: controls.breakTheGlassAllowed, record: seenRecord.id))
            })
            #expect(read.conclusion.seen == [entries[3].id, entries[2].id, entries[1].id])
            #expect(read.conclusion.breakTheGlass == false && read.controls.version == 1)
            #expect(read.record == record && read.conclusion.record == record.id)
            #expect(read.entries == [entries[3], entries[1]])

            let none = try await store.documentSearch(recordID: RecordID(), statuses: [.current], from: nil, until: nil,
                                                      newestFirst: true) { _, _, index in (ids: [], conclusion: index.count) }
            #expect(none == nil)
        }
    }

    @Test("a search's one read gives the reader's previous access, and narrows by it when asked; nothing else moves it",
          arguments: TestEngine.available)
    func searchReadWithLastAccess(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let entries = (0..<4).map { second in
                var entry = DocumentEntry.fixture(in: record.id, uniqueID: "1.2.5.\(second)", date: testInstant.addingTimeInterval(Double(second)))
                entry.recordedAt = testInstant.addingTimeInterval(Double(second * 10))
                return entry
            }
            for entry in entries { try await store.addDocument(entry, superseding: nil, audit: audit(record)) }
            let reader = Actor.doctor("99700000021")
            func event(_ seconds: Double, _ actor: Actor, _ outcome: AuditEvent.Outcome = .success, on target: RecordID? = nil) -> AuditEvent {
                AuditEvent(recordID: target ?? record.id, recordedAt: testInstant.addingTimeInterval(seconds), actor: actor, action: .searchDocuments,
                           outcome: outcome, rule: nil)
            }
            let elsewhere = try await withRecordElsewhere(store)
            for appended in [event(15, reader), event(25, reader, .denied), event(26, .doctor("99700000022")), event(27, reader, on: elsewhere.recordID),
                             event(45, reader)] {
                try await store.appendAudit(appended)
            }
            // Accesses before 30 s count: the reader's last successful one on this record is at 15 s.
            let filter = AuditFilter(until: testInstant.addingTimeInterval(30), actorKinds: [reader.kind], actorID: reader.identifier,
                                     actions: [.searchDocuments], outcome: .success)
            func search(_ lookup: LastAccessLookup?) async throws -> DocumentSearchRead<[DocumentID]> {
                try #require(try await store.documentSearch(recordID: record.id, statuses: [.current], from: nil, until: nil,
                                                            narrowing: DocumentNarrowing(lastAccess: lookup), newestFirst: false) { _, _, index in
                    (ids: index.map(\.id), conclusion: index.map(\.id))
                })
            }
            let narrowed = try await search(LastAccessLookup(filter: filter, narrows: true))
            #expect(narrowed.lastAccess.map { abs($0.timeIntervalSince(testInstant.addingTimeInterval(15))) < 0.01 } == true)
            #expect(narrowed.conclusion == [entries[2].id, entries[3].id], "only what was recorded since, in the index chosen from")
            #expect(narrowed.entries.map(\.id) == [entries[2].id, entries[3].id])

            let marked = try await search(LastAccessLookup(filter: filter, narrows: false))
            #expect(marked.lastAccess == narrowed.lastAccess)
            #expect(marked.conclusion == entries.map(\.id), "read, not narrowed by")

            var stranger = filter
            stranger.actorID = "99700000029"
            let first = try await search(LastAccessLookup(filter: stranger, narrows: true))
            #expect(first.lastAccess == nil)
            #expect(first.conclusion == entries.map(\.id), "a reader who never came: everything is new")

            let plain = try await search(nil)
            #expect(plain.lastAccess == nil && plain.conclusion == entries.map(\.id))
        }
    }

    @Test("a document comes with its record and the record's controls in one read; an unknown id gives nothing",
          arguments: TestEngine.available)
    func documentWithRecord(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            let entry = DocumentEntry.fixture(in: record.id)
            try await store.addDocument(entry, superseding: nil, audit: audit(record))
            let elsewhere = try await withRecordElsewhere(store)
            var controls = AccessControls()
            controls.version = 1
            controls.regulationAllowed = false
            try await store.saveAccessControls(controls, recordID: record.id, audit: audit(record))

            let found = try #require(try await store.documentWithRecord(id: entry.id))
            #expect(found.entry == entry && found.record == record && found.controls == controls)
            let other = try #require(try await store.documentWithRecord(id: elsewhere.id))
            #expect(other.record.id == elsewhere.recordID && other.controls.version == 0)
            #expect(try await store.documentWithRecord(id: DocumentID()) == nil)
        }
    }

    @Test("the index columns are filled from the stored JSON when the migration adds them to an existing database",
          arguments: TestEngine.available)
    func indexMigrationBackfills(_ engine: TestEngine) async throws {
        try await engine.withDatabaseLocation { location async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            var masked = DocumentEntry.fixture(in: record.id, type: "11502-2")
            masked.visibility = DocumentVisibility(invisibleToPatient: true, maskedToSocialProfessionals: true, confidentiality: .veryRestricted)
            masked.recordedAt = testInstant.addingTimeInterval(0.125)  // milliseconds survive the JSON round trip
            let plain = DocumentEntry.fixture(in: record.id, date: testInstant.addingTimeInterval(-60))
            let store = try await location.open()
            _ = try await store.createRecord(record, audit: audit(record))
            for entry in [masked, plain] { try await store.addDocument(entry, superseding: nil, audit: audit(record)) }
            await store.shutdown()

            // Back to the schema before the index: the columns and the migration's mark gone.
            let columns = ["type_system", "type_code", "submitter_id", engine == .sqlite ? "recorded_at_ms" : "recorded_at",
                           "visibility_flags", "confidentiality"]
            try await location.execute("DROP INDEX documents_by_record_status_date")
            for column in columns { try await location.execute("ALTER TABLE documents DROP COLUMN \(column)") }
            try await location.execute(engine == .sqlite ? "DELETE FROM grdb_migrations WHERE identifier = '010_document_index'"
                                                         : "DELETE FROM carnet_schema_migrations WHERE version = 10")

            let migrated = try await location.open()
            let index = try await migrated.documentIndex(recordID: record.id, statuses: [.current], from: nil, until: nil, newestFirst: true)
            #expect(index == [DocumentIndexEntry(masked), DocumentIndexEntry(plain)])
            await migrated.shutdown()
        }
    }

    @Test("migration 014 fills each submission set's submitter from the stored set, and keys the unique id by it",
          arguments: TestEngine.available)
    func submitterMigrationBackfills(_ engine: TestEngine) async throws {
        try await engine.withDatabaseLocation { location async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let entry = DocumentEntry.fixture(in: record.id)
            let set = SubmissionSet(recordID: record.id, uniqueID: "1.2.250.1.999.8.1", submitterID: "899700000011", submittedAt: testInstant,
                                    documentIDs: [entry.id])
            let store = try await location.open()
            _ = try await store.createRecord(record, audit: audit(record))
            try await store.addDocuments([DocumentAddition(entry: entry, superseding: nil)], submissionSet: set, audits: [audit(record)])
            await store.shutdown()

            // Back to the schema before 014: the unique id one per record, no submitter column.
            try await location.execute("DROP INDEX submission_sets_by_unique_id")
            try await location.execute("ALTER TABLE submission_sets DROP COLUMN submitter_id")
            try await location.execute("CREATE UNIQUE INDEX submission_sets_by_unique_id ON submission_sets (record_id, unique_id)")
            try await location.execute(engine == .sqlite ? "DELETE FROM grdb_migrations WHERE identifier = '014_submission_sets_by_submitter'"
                                                         : "DELETE FROM carnet_schema_migrations WHERE version = 14")

            let migrated = try await location.open()
            #expect(try await migrated.submissionSet(recordID: record.id, submitterID: "899700000011", uniqueID: set.uniqueID) == set)
            let other = DocumentEntry.fixture(in: record.id)
            let theirs = SubmissionSet(recordID: record.id, uniqueID: set.uniqueID, submitterID: "x", submittedAt: testInstant, documentIDs: [other.id])
            try await migrated.addDocuments([DocumentAddition(entry: other, superseding: nil)], submissionSet: theirs, audits: [audit(record)])
            #expect(try await migrated.submissionSets(recordID: record.id).count == 2)
            await migrated.shutdown()
        }
    }

    @Test("concurrent pushes each commit or fail alone: a refused one among them leaves nothing, the others are all there",
          arguments: TestEngine.available)
    func concurrentPushes(_ engine: TestEngine) async throws {
        try await withRecord(engine) { store, record async throws in
            // 40 pushes at once. The last 10 each carry a submission set whose unique id repeats in pairs, so
            // 5 of them are refused after their document row was written: that row must go with them.
            let entries = (0..<40).map { DocumentEntry.fixture(in: record.id, uniqueID: "1.2.250.1.999.9.\($0)") }
            let outcomes = await withTaskGroup(of: (DocumentEntry, Bool).self) { group in
                for (index, entry) in entries.enumerated() {
                    let set = index < 30 ? nil : SubmissionSet(recordID: record.id, uniqueID: "1.2.250.1.999.8.\((index - 30) / 2)",
                                                               submitterID: "x", submittedAt: testInstant, documentIDs: [entry.id])
                    group.addTask {
                        do {
                            try await store.addDocuments([DocumentAddition(entry: entry, superseding: nil)], submissionSet: set,
                                                         audits: [audit(record)])
                            return (entry, true)
                        } catch {
                            #expect(set != nil && error as? StoreError == .duplicateSubmissionSet(uniqueID: set?.uniqueID ?? ""))
                            return (entry, false)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let stored = outcomes.filter(\.1).map(\.0)
            #expect(stored.count == 35)
            #expect(Set(try await store.documents(recordID: record.id).map(\.id)) == Set(stored.map(\.id)))
            #expect(try await store.submissionSets(recordID: record.id).count == 5)
            // One audit event for the record's creation, one per stored push: a refused push wrote none.
            #expect(try await store.auditEvents(recordID: record.id, limit: 100).count == 36)
            #expect(try await AuditChainVerifier.verify(store).isIntact)
        }
    }
}
