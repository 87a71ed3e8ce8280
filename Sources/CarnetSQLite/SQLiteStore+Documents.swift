public import CarnetCore
public import CarnetStore
public import Foundation
import CarnetJSON
import GRDB

extension SQLiteStore {
    public func addDocuments(_ additions: [DocumentAddition], submissionSet: SubmissionSet?, audits: [AuditEvent]) async throws {
        let rows = try additions.map { (new: try DocumentRow($0.entry), old: try $0.superseding.map(DocumentRow.init), text: $0.searchText) }
        let setRow = try submissionSet.map(SubmissionSetRow.init)
        let auditRows = try audits.map(AuditRow.init)
        try await writer.write { db in
            for (row, old, text) in rows {
                if let old {
                    try Self.updateDocumentRow(db, old)
                }
                if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM documents WHERE record_id = ? AND unique_id = ?"),
                                     arguments: [row.recordID.lowercasedText, row.uniqueID]) == true {
                    throw StoreError.duplicateDocument(uniqueID: row.uniqueID)
                }
                try db.cachedStatement(sql: """
                    INSERT INTO documents (record_id, id, unique_id, lineage_id, status, date_ms, type_system, type_code, submitter_id,
                                           recorded_at_ms, visibility_flags, confidentiality, metadata_json, metadata_version, author_search,
                                           content_sha256, submission_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [row.recordID.lowercasedText, row.id.lowercasedText, row.uniqueID, row.lineageID.lowercasedText,
                                     row.status, row.dateMilliseconds, row.typeSystem, row.typeCode, row.submitterID,
                                     row.recordedAtMilliseconds, row.visibilityFlags, row.confidentiality, row.metadataJSON,
                                     row.metadataVersion, row.authorSearch, row.contentSHA256, row.submissionKey])
                try Self.insertVersion(db, row)
                try Self.insertText(db, row, text)
            }
            if let setRow {
                if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM submission_sets WHERE record_id = ? AND submitter_id = ? AND unique_id = ?"),
                                     arguments: [setRow.recordID.lowercasedText, setRow.submitterID, setRow.uniqueID]) == true {
                    throw StoreError.duplicateSubmissionSet(uniqueID: setRow.uniqueID)
                }
                try db.cachedStatement(sql: """
                    INSERT INTO submission_sets (record_id, id, unique_id, submitter_id, submitted_at_ms, set_json) VALUES (?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [setRow.recordID.lowercasedText, setRow.id.lowercasedText, setRow.uniqueID, setRow.submitterID,
                                     setRow.submittedAtMilliseconds, setRow.setJSON])
            }
            for auditRow in auditRows { try Self.insertAudit(db, auditRow) }
        }
    }

    public func updateDocument(_ entry: DocumentEntry, audit: AuditEvent) async throws {
        let row = try DocumentRow(entry)
        let auditRow = try AuditRow(audit)
        try await writer.write { db in
            try Self.updateDocumentRow(db, row)
            try Self.insertAudit(db, auditRow)
        }
    }

    public func updateDocuments(_ entries: [DocumentEntry], audits: [AuditEvent]) async throws {
        let rows = try entries.map(DocumentRow.init)
        let auditRows = try audits.map(AuditRow.init)
        try await writer.write { db in
            for row in rows { try Self.updateDocumentRow(db, row) }
            for auditRow in auditRows { try Self.insertAudit(db, auditRow) }
        }
    }

    public func document(id: DocumentID) async throws -> DocumentEntry? {
        try readInPlace { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT metadata_json FROM documents WHERE id = ?"), arguments: [id.rawValue.lowercasedText])
                .map { try StoredForms.documentEntry(from: $0) }
        }
    }

    public func documentWithRecord(id: DocumentID) async throws -> (entry: DocumentEntry, record: HealthRecord, controls: AccessControls)? {
        try readInPlace { db in
            guard let json = try String.fetchOne(db.cachedStatement(sql: "SELECT metadata_json FROM documents WHERE id = ?"),
                                                 arguments: [id.rawValue.lowercasedText]) else {
                // A found document's reads and decoding, on the next document by id, thrown away: a miss
                // takes a refusal's time. Nothing of it leaves this closure, and its failure is no error.
                let decoy = try String.fetchOne(db.cachedStatement(sql: "SELECT metadata_json FROM documents WHERE id >= ? ORDER BY id LIMIT 1"),
                                                arguments: [id.rawValue.lowercasedText])
                    ?? String.fetchOne(db.cachedStatement(sql: "SELECT metadata_json FROM documents ORDER BY id LIMIT 1"))
                let decoyRecord = (decoy.flatMap { try? StoredForms.documentEntry(from: $0) })?.recordID ?? RecordID()
                _ = try? Self.fetchRecord(db, id: decoyRecord)
                _ = try? Self.accessControls(db, recordID: decoyRecord)
                return nil
            }
            let entry = try StoredForms.documentEntry(from: json)
            guard let record = try Self.fetchRecord(db, id: entry.recordID) else { return nil }
            return (entry, record, try Self.accessControls(db, recordID: record.id))
        }
    }

    public func documents(recordID: RecordID) async throws -> [DocumentEntry] {
        try readInPlace { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT metadata_json FROM documents WHERE record_id = ? ORDER BY date_ms DESC, id"),
                                arguments: [recordID.rawValue.lowercasedText])
                .map { try StoredForms.documentEntry(from: $0) }
        }
    }

    public func documentIndex(recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, narrowing: DocumentNarrowing,
                              newestFirst: Bool) async throws -> [DocumentIndexEntry] {
        guard !statuses.isEmpty else { return [] }
        return try readInPlace { db in
            try Self.documentIndex(db, recordID: recordID, statuses: statuses, from: from, until: until, narrowing: narrowing,
                                   newestFirst: newestFirst)
        }
    }

    public func documents(recordID: RecordID, ids: [DocumentID]) async throws -> [DocumentEntry] {
        guard !ids.isEmpty else { return [] }
        return try readInPlace { db in try Self.documents(db, recordID: recordID, ids: ids) }
    }

    public func documentSearch<Conclusion: Sendable>(
        recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, narrowing: DocumentNarrowing, newestFirst: Bool,
        choose: @escaping @Sendable (HealthRecord, AccessControls, [DocumentIndexEntry]) throws -> (ids: [DocumentID], conclusion: Conclusion)
    ) async throws -> DocumentSearchRead<Conclusion>? {
        try readInPlace { db in
            guard let record = try Self.fetchRecord(db, id: recordID) else { return nil }
            let controls = try Self.accessControls(db, recordID: recordID)
            var lastAccess: Date?
            if let lookup = narrowing.lastAccess { lastAccess = try Self.latestAuditTime(db, recordID: recordID, matching: lookup.filter) }
            let index = try Self.documentIndex(db, recordID: recordID, statuses: statuses, from: from, until: until,
                                               narrowing: narrowing.resolved(lastAccess: lastAccess), newestFirst: newestFirst)
            let chosen = try choose(record, controls, index)
            return DocumentSearchRead(record: record, controls: controls, entries: try Self.documents(db, recordID: recordID, ids: chosen.ids),
                                      conclusion: chosen.conclusion, lastAccess: lastAccess)
        }
    }

    private static func documentIndex(_ db: Database, recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?,
                                      narrowing: DocumentNarrowing, newestFirst: Bool) throws -> [DocumentIndexEntry] {
        guard !statuses.isEmpty else { return [] }
        var sql = """
            SELECT id, status, date_ms, type_system, type_code, submitter_id, recorded_at_ms, visibility_flags, confidentiality,
                   content_sha256, submission_key
            FROM documents WHERE record_id = ? AND status IN (\(databaseQuestionMarks(count: statuses.count)))
            """
        var arguments: StatementArguments = [recordID.rawValue.lowercasedText]
        arguments += StatementArguments(statuses.map(\.rawValue).sorted())
        if let from {
            sql += " AND date_ms >= ?"
            arguments += [StoredForms.milliseconds(from)]
        }
        if let until {
            sql += " AND date_ms < ?"
            arguments += [StoredForms.milliseconds(until)]
        }
        if let authorText = narrowing.authorText {
            // Both sides folded by Carnet (DocumentQuery.folded): a plain substring test, the same on every engine.
            sql += " AND instr(author_search, ?) > 0"
            arguments += [authorText]
        }
        if let since = narrowing.recordedSince {
            sql += " AND recorded_at_ms >= ?"
            arguments += [StoredForms.milliseconds(since)]
        }
        if !narrowing.textTerms.isEmpty {
            // Record-scoped terms (see textTerm): the match reads this record's postings only.
            sql += " AND id IN (SELECT document_id FROM document_text WHERE document_text MATCH ? AND record_id = ?)"
            arguments += [narrowing.textTerms.map { "\"\(Self.textTerm(recordID.rawValue, $0))\"" }.joined(separator: " AND "),
                          recordID.rawValue.lowercasedText]
        }
        sql += newestFirst ? " ORDER BY date_ms DESC, id" : " ORDER BY date_ms, id"
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        var entries: [DocumentIndexEntry] = []
        while let row = try rows.next() {
            entries.append(try StoredForms.documentIndexEntry(
                id: try uuid(row[0]), status: row[1], dateMilliseconds: row[2], typeSystem: row[3], typeCode: row[4], submitterID: row[5],
                recordedAtMilliseconds: row[6], visibilityFlags: row[7], confidentiality: row[8], contentSHA256: row[9], submissionKey: row[10]))
        }
        return entries
    }

    /// The record's entries with these ids, in the order given.
    private static func documents(_ db: Database, recordID: RecordID, ids: [DocumentID]) throws -> [DocumentEntry] {
        var found: [DocumentID: DocumentEntry] = [:]
        // In slices, well under SQLite's limit on bound parameters.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = ids[start..<min(start + 500, ids.count)]
            let arguments = StatementArguments([recordID.rawValue.lowercasedText] + slice.map(\.description))
            let jsons = try String.fetchAll(db.cachedStatement(sql: """
                SELECT metadata_json FROM documents WHERE record_id = ? AND id IN (\(databaseQuestionMarks(count: slice.count)))
                """), arguments: arguments)
            for json in jsons {
                let entry = try StoredForms.documentEntry(from: json)
                found[entry.id] = entry
            }
        }
        return ids.compactMap { found[$0] }
    }

    public func documents(uniqueID: String, recordID: RecordID?, limit: Int) async throws -> [DocumentEntry] {
        try readOneStatement { db in
            if let recordID {
                return try String.fetchAll(db.cachedStatement(sql: "SELECT metadata_json FROM documents WHERE record_id = ? AND unique_id = ? LIMIT ?"),
                                           arguments: [recordID.rawValue.lowercasedText, uniqueID, limit])
                    .map { try StoredForms.documentEntry(from: $0) }
            }
            return try String.fetchAll(db.cachedStatement(sql: "SELECT metadata_json FROM documents WHERE unique_id = ? LIMIT ?"), arguments: [uniqueID, limit])
                .map { try StoredForms.documentEntry(from: $0) }
        }
    }

    public func documents(recordID: RecordID, contentSHA256: String) async throws -> [DocumentEntry] {
        try readInPlace { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT metadata_json FROM documents WHERE record_id = ? AND content_sha256 = ? ORDER BY recorded_at_ms, id
                """), arguments: [recordID.rawValue.lowercasedText, contentSHA256])
                .map { try StoredForms.documentEntry(from: $0) }
        }
    }

    public func documentVersions(id: DocumentID) async throws -> [DocumentEntry] {
        try readInPlace { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT metadata_json FROM document_versions WHERE id = ? ORDER BY metadata_version"),
                                arguments: [id.rawValue.lowercasedText])
                .map { try StoredForms.documentEntry(from: $0) }
        }
    }

    public func submissionSet(recordID: RecordID, submitterID: String, uniqueID: String) async throws -> SubmissionSet? {
        try readInPlace { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT set_json FROM submission_sets WHERE record_id = ? AND submitter_id = ? AND unique_id = ?"),
                                arguments: [recordID.rawValue.lowercasedText, submitterID, uniqueID])
                .map { try StoredForms.decodeJSON(SubmissionSet.self, from: $0) }
        }
    }

    public func submissionSets(recordID: RecordID) async throws -> [SubmissionSet] {
        try readInPlace { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT set_json FROM submission_sets WHERE record_id = ? ORDER BY submitted_at_ms DESC, id"),
                                arguments: [recordID.rawValue.lowercasedText])
                .map { try StoredForms.decodeJSON(SubmissionSet.self, from: $0) }
        }
    }

    private static func insertVersion(_ db: Database, _ row: DocumentRow) throws {
        try db.cachedStatement(sql: "INSERT INTO document_versions (record_id, id, metadata_version, metadata_json) VALUES (?, ?, ?, ?)").execute(
                       arguments: [row.recordID.lowercasedText, row.id.lowercasedText, row.metadataVersion, row.metadataJSON])
    }

    /// A term as the FTS5 index holds it: the record's key (its id's first 16 hex digits) then the
    /// ``FrenchText`` term. A record's words are thus its own terms, and a search, always within one
    /// record, reads only that record's postings however many records share a common word — a plain
    /// FTS5 match would walk every record's "compte rendu" to keep one record's. Terms are `[a-z0-9]`
    /// only, so they are never FTS5 syntax.
    static func textTerm(_ recordID: UUID, _ term: String) -> String {
        recordKey(recordID) + term
    }

    /// The record's part of its terms: the first 16 hex digits of its id (computed once per document,
    /// not per term: Foundation's string replacing was a third of a push's CPU).
    static func recordKey(_ recordID: UUID) -> String {
        String(recordID.lowercasedText.filter { $0 != "-" }.prefix(16))
    }

    /// A term naming the document itself, so that its row is found by the index (not by a scan of the
    /// unindexed columns) when it leaves.
    private static func documentTerm(_ row: DocumentRow) -> String {
        textTerm(row.recordID, "doc" + row.id.lowercasedText.filter { $0 != "-" })
    }

    /// Indexes a new entry's text (issue 18), its terms record-scoped (``textTerm(_:_:)``).
    private static func insertText(_ db: Database, _ row: DocumentRow, _ text: String?) throws {
        guard let text, !text.isEmpty else { return }
        let body = indexedBody(text, key: recordKey(row.recordID), documentTerm: documentTerm(row))
        try db.cachedStatement(sql: "INSERT INTO document_text (body, record_id, document_id) VALUES (?, ?, ?)").execute(
                       arguments: [body, row.recordID.lowercasedText, row.id.lowercasedText])
    }

    /// What the index holds for a document: its own term, then each term of its text record-scoped,
    /// one space apart. The text is ``FrenchText`` terms joined by spaces, `[a-z0-9]` only, so it is
    /// written byte by byte: splitting the String by Character, then joining, was an eighth of a push's
    /// instructions (issue 20).
    static func indexedBody(_ text: String, key: String, documentTerm: String) -> String {
        var body = Array(documentTerm.utf8)
        body.reserveCapacity(body.count + text.utf8.count + (text.utf8.count / 3 + 1) * (key.utf8.count + 1))
        let keyBytes = Array(key.utf8)
        var startsTerm = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: " ") {
                startsTerm = true
                continue
            }
            if startsTerm {
                body.append(UInt8(ascii: " "))
                body.append(contentsOf: keyBytes)
                startsTerm = false
            }
            body.append(byte)
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// Writes a changed entry if its stored metadata version is the one before, and keeps the version.
    private static func updateDocumentRow(_ db: Database, _ row: DocumentRow) throws {
        try db.cachedStatement(sql: """
            UPDATE documents SET status = ?, type_system = ?, type_code = ?, visibility_flags = ?, confidentiality = ?,
                metadata_json = ?, metadata_version = ?, author_search = ?
            WHERE record_id = ? AND id = ? AND metadata_version = ?
            """).execute(arguments: [row.status, row.typeSystem, row.typeCode, row.visibilityFlags, row.confidentiality, row.metadataJSON,
                             row.metadataVersion, row.authorSearch, row.recordID.lowercasedText, row.id.lowercasedText,
                             row.metadataVersion - 1])
        guard db.changesCount == 1 else { throw StoreError.versionConflict }
        try insertVersion(db, row)
        // A deleted document's words leave the index with it (issue 18).
        if row.status == DocumentStatus.deleted.rawValue {
            try db.cachedStatement(sql: """
                DELETE FROM document_text WHERE rowid IN (SELECT rowid FROM document_text WHERE document_text MATCH ? AND document_id = ?)
                """).execute(arguments: ["\"\(documentTerm(row))\"", row.id.lowercasedText])
        }
    }
}
