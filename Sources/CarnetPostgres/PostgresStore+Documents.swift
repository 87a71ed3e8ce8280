public import CarnetCore
public import CarnetStore
public import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    public func addDocuments(_ additions: [DocumentAddition], submissionSet: SubmissionSet?, audits: [AuditEvent]) async throws {
        let rows = try additions.map { (new: try DocumentRow($0.entry), old: try $0.superseding.map(DocumentRow.init), text: $0.searchText) }
        let setRow = try submissionSet.map(SubmissionSetRow.init)
        let auditRows = try audits.map(AuditRow.init)
        try await transaction { [self] connection in
            for (row, old, text) in rows {
                try await Self.insert(row, superseding: old, connection, logger: logger)
                if let text, !text.isEmpty {
                    // Already folded and stemmed by Carnet (FrenchText); carnet_french only splits on spaces.
                    try await connection.query("""
                        INSERT INTO document_text (record_id, document_id, body)
                        VALUES (\(row.recordID), \(row.id), to_tsvector('carnet_french', \(text)))
                        """, logger: logger)
                }
            }
            if let setRow {
                let inserted = try await connection.query("""
                    INSERT INTO submission_sets (record_id, id, unique_id, submitter_id, submitted_at, set_json)
                    VALUES (\(setRow.recordID), \(setRow.id), \(setRow.uniqueID), \(setRow.submitterID),
                            to_timestamp(\(setRow.submittedAtMilliseconds)::double precision / 1000), \(setRow.setJSON)::jsonb)
                    ON CONFLICT (record_id, submitter_id, unique_id) DO NOTHING RETURNING id
                    """, logger: logger).collect().count
                guard inserted == 1 else { throw StoreError.duplicateSubmissionSet(uniqueID: setRow.uniqueID) }
            }
            for auditRow in auditRows { try await Self.insertAudit(connection, auditRow, logger: logger) }
        }
    }

    private static func insert(_ row: DocumentRow, superseding old: DocumentRow?, _ connection: PostgresConnection, logger: Logger) async throws {
        if let old {
            try await Self.updateDocumentRow(connection, old, logger: logger)
        }
        let inserted = try await connection.query("""
            INSERT INTO documents (record_id, id, unique_id, lineage_id, status, date, type_system, type_code, submitter_id, recorded_at,
                                   visibility_flags, confidentiality, metadata_json, metadata_version, author_search, content_sha256, submission_key)
            VALUES (\(row.recordID), \(row.id), \(row.uniqueID), \(row.lineageID), \(row.status),
                    to_timestamp(\(row.dateMilliseconds)::double precision / 1000), \(row.typeSystem), \(row.typeCode), \(row.submitterID),
                    to_timestamp(\(row.recordedAtMilliseconds)::double precision / 1000), \(row.visibilityFlags), \(row.confidentiality),
                    \(row.metadataJSON)::jsonb, \(row.metadataVersion), \(row.authorSearch), \(row.contentSHA256), \(row.submissionKey))
            ON CONFLICT (record_id, unique_id) DO NOTHING RETURNING id
            """, logger: logger).collect().count
        guard inserted == 1 else { throw StoreError.duplicateDocument(uniqueID: row.uniqueID) }
        try await connection.query("INSERT INTO document_locator (document_id, record_id) VALUES (\(row.id), \(row.recordID))", logger: logger)
        try await insertVersion(connection, row, logger: logger)
    }

    private static func insertVersion(_ connection: PostgresConnection, _ row: DocumentRow, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO document_versions (record_id, id, metadata_version, metadata_json)
            VALUES (\(row.recordID), \(row.id), \(row.metadataVersion), \(row.metadataJSON)::jsonb)
            """, logger: logger)
    }

    public func updateDocument(_ entry: DocumentEntry, audit: AuditEvent) async throws {
        let row = try DocumentRow(entry)
        let auditRow = try AuditRow(audit)
        try await transaction { [self] connection in
            try await Self.updateDocumentRow(connection, row, logger: logger)
            try await Self.insertAudit(connection, auditRow, logger: logger)
        }
    }

    public func updateDocuments(_ entries: [DocumentEntry], audits: [AuditEvent]) async throws {
        let rows = try entries.map(DocumentRow.init)
        let auditRows = try audits.map(AuditRow.init)
        try await transaction { [self] connection in
            for row in rows { try await Self.updateDocumentRow(connection, row, logger: logger) }
            for auditRow in auditRows { try await Self.insertAudit(connection, auditRow, logger: logger) }
        }
    }

    public func document(id: DocumentID) async throws -> DocumentEntry? {
        try await client.withConnection { [self] connection in
            guard let recordID = try await Self.locatedRecord(connection, documentID: id, logger: logger) else { return nil }
            return try await Self.document(connection, id: id, recordID: recordID, logger: logger)
        }
    }

    public func documents(recordID: RecordID) async throws -> [DocumentEntry] {
        try await client.withConnection { [self] connection in
            try await Self.entries(connection, "SELECT metadata_json::text FROM documents WHERE record_id = \(recordID.rawValue) ORDER BY date DESC, id",
                                   logger: logger)
        }
    }

    public func documentIndex(recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, narrowing: DocumentNarrowing,
                              newestFirst: Bool) async throws -> [DocumentIndexEntry] {
        guard !statuses.isEmpty else { return [] }
        return try await client.withConnection { [self] connection in
            try await Self.documentIndex(connection, recordID: recordID, statuses: statuses, from: from, until: until, narrowing: narrowing,
                                         newestFirst: newestFirst, logger: logger)
        }
    }

    public func documents(recordID: RecordID, ids: [DocumentID]) async throws -> [DocumentEntry] {
        guard !ids.isEmpty else { return [] }
        return try await client.withConnection { [self] connection in try await Self.documents(connection, recordID: recordID, ids: ids, logger: logger) }
    }

    public func documentSearch<Conclusion: Sendable>(
        recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, narrowing: DocumentNarrowing, newestFirst: Bool,
        choose: @escaping @Sendable (HealthRecord, AccessControls, [DocumentIndexEntry]) throws -> (ids: [DocumentID], conclusion: Conclusion)
    ) async throws -> DocumentSearchRead<Conclusion>? {
        try await client.withConnection { [self] connection in
            guard let record = try await Self.fetchRecord(connection, id: recordID, logger: logger) else { return nil }
            let controls = try await Self.accessControls(connection, recordID: recordID, logger: logger)
            var lastAccess: Date?
            if let lookup = narrowing.lastAccess {
                lastAccess = try await Self.latestAuditTime(connection, recordID: recordID, matching: lookup.filter, logger: logger)
            }
            let index = try await Self.documentIndex(connection, recordID: recordID, statuses: statuses, from: from, until: until,
                                                     narrowing: narrowing.resolved(lastAccess: lastAccess), newestFirst: newestFirst,
                                                     logger: logger)
            let chosen = try choose(record, controls, index)
            return DocumentSearchRead(record: record, controls: controls,
                                      entries: try await Self.documents(connection, recordID: recordID, ids: chosen.ids, logger: logger),
                                      conclusion: chosen.conclusion, lastAccess: lastAccess)
        }
    }

    public func documentWithRecord(id: DocumentID) async throws -> (entry: DocumentEntry, record: HealthRecord, controls: AccessControls)? {
        try await client.withConnection { [self] connection in
            // The locator says the record (one shard on Citus), then the document, its record and controls are
            // read on the record's shard. A miss reads a document that exists, its record and controls instead,
            // throwing them away: the same trips and decoding as a refusal (MissDecoys). Nothing of the decoy
            // leaves this closure, and its failure is no error.
            guard let recordID = try await Self.locatedRecord(connection, documentID: id, logger: logger),
                  let entry = try await Self.document(connection, id: id, recordID: recordID, logger: logger) else {
                let decoy = decoys.document()
                _ = try? await Self.document(connection, id: DocumentID(decoy.document), recordID: RecordID(decoy.record), logger: logger)
                _ = try? await Self.fetchRecord(connection, id: RecordID(decoy.record), logger: logger)
                _ = try? await Self.accessControls(connection, recordID: RecordID(decoy.record), logger: logger)
                return nil
            }
            guard let record = try await Self.fetchRecord(connection, id: recordID, logger: logger) else { return nil }
            decoys.noteDocument(id.rawValue, record: recordID.rawValue)
            return (entry, record, try await Self.accessControls(connection, recordID: record.id, logger: logger))
        }
    }

    /// The record a document belongs to, from `document_locator` (distributed by document id on Citus, so
    /// a read by id alone goes to one shard).
    static func locatedRecord(_ connection: PostgresConnection, documentID: DocumentID, logger: Logger) async throws -> RecordID? {
        var found: RecordID?
        for try await recordID in try await connection.query("""
            SELECT record_id FROM document_locator WHERE document_id = \(documentID.rawValue)
            """, logger: logger).decode(UUID.self) {
            found = RecordID(recordID)
        }
        return found
    }

    private static func document(_ connection: PostgresConnection, id: DocumentID, recordID: RecordID, logger: Logger) async throws -> DocumentEntry? {
        try await entries(connection, """
            SELECT metadata_json::text FROM documents WHERE record_id = \(recordID.rawValue) AND id = \(id.rawValue)
            """, logger: logger).first
    }

    private static func documentIndex(_ connection: PostgresConnection, recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?,
                                      until: Date?, narrowing: DocumentNarrowing, newestFirst: Bool, logger: Logger) async throws -> [DocumentIndexEntry] {
        guard !statuses.isEmpty else { return [] }
        let authorText = narrowing.authorText
        let since = narrowing.recordedSince
        // FrenchText terms ([a-z0-9] words): plainto_tsquery ANDs them; within one record's rows.
        let textQuery: String? = narrowing.textTerms.isEmpty ? nil : narrowing.textTerms.joined(separator: " ")
        let statusList = statuses.map(\.rawValue).sorted()
        let order = newestFirst ? "date DESC, id" : "date, id"
        let query: PostgresQuery = """
            SELECT id, status, (extract(epoch FROM date) * 1000)::bigint, type_system, type_code, submitter_id,
                   (extract(epoch FROM recorded_at) * 1000)::bigint, visibility_flags, confidentiality, content_sha256, submission_key
            FROM documents
            WHERE record_id = \(recordID.rawValue) AND status = ANY(\(statusList))
              AND date >= \(from ?? .distantPast) AND date < \(until ?? .distantFuture)
              AND (\(authorText)::text IS NULL OR strpos(author_search, \(authorText)::text) > 0)
              AND (\(since)::timestamptz IS NULL OR recorded_at >= \(since)::timestamptz)
              AND (\(textQuery)::text IS NULL OR id IN (
                    SELECT document_id FROM document_text
                    WHERE record_id = \(recordID.rawValue) AND body @@ plainto_tsquery('carnet_french', \(textQuery)::text)))
            ORDER BY \(unescaped: order)
            """
        var entries: [DocumentIndexEntry] = []
        let rows = try await connection.query(query, logger: logger)
            .decode((UUID, String, Int64, String?, String, String, Int64, Int, String, String, String).self)
        for try await (id, status, dateMS, typeSystem, typeCode, submitterID, recordedAtMS, flags, confidentiality, sha256, submission) in rows {
            entries.append(try StoredForms.documentIndexEntry(
                id: id, status: status, dateMilliseconds: dateMS, typeSystem: typeSystem, typeCode: typeCode, submitterID: submitterID,
                recordedAtMilliseconds: recordedAtMS, visibilityFlags: flags, confidentiality: confidentiality, contentSHA256: sha256,
                submissionKey: submission))
        }
        return entries
    }

    /// The record's entries with these ids, in the order given.
    private static func documents(_ connection: PostgresConnection, recordID: RecordID, ids: [DocumentID],
                                  logger: Logger) async throws -> [DocumentEntry] {
        guard !ids.isEmpty else { return [] }
        let uuids = ids.map(\.rawValue)
        let entries = try await Self.entries(connection, """
            SELECT metadata_json::text FROM documents WHERE record_id = \(recordID.rawValue) AND id = ANY(\(uuids))
            """, logger: logger)
        let found = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { found[$0] }
    }

    public func documents(uniqueID: String, recordID: RecordID?, limit: Int) async throws -> [DocumentEntry] {
        try await client.withConnection { [self] connection in
            if let recordID {
                return try await Self.entries(connection, """
                    SELECT metadata_json::text FROM documents WHERE record_id = \(recordID.rawValue) AND unique_id = \(uniqueID) LIMIT \(limit)
                    """, logger: logger)
            }
            return try await Self.entries(connection, "SELECT metadata_json::text FROM documents WHERE unique_id = \(uniqueID) LIMIT \(limit)", logger: logger)
        }
    }

    public func documents(recordID: RecordID, contentSHA256: String) async throws -> [DocumentEntry] {
        try await client.withConnection { [self] connection in
            try await Self.entries(connection, """
                SELECT metadata_json::text FROM documents WHERE record_id = \(recordID.rawValue) AND content_sha256 = \(contentSHA256)
                ORDER BY recorded_at, id
                """, logger: logger)
        }
    }

    public func documentVersions(id: DocumentID) async throws -> [DocumentEntry] {
        try await client.withConnection { [self] connection in
            try await Self.entries(connection, "SELECT metadata_json::text FROM document_versions WHERE id = \(id.rawValue) ORDER BY metadata_version",
                                   logger: logger)
        }
    }

    public func submissionSet(recordID: RecordID, submitterID: String, uniqueID: String) async throws -> SubmissionSet? {
        try await client.withConnection { [self] connection in
            let rows = try await connection.query("""
                SELECT set_json::text FROM submission_sets
                WHERE record_id = \(recordID.rawValue) AND submitter_id = \(submitterID) AND unique_id = \(uniqueID)
                """, logger: logger)
            for try await json in rows.decode(String.self) { return try StoredForms.decodeJSON(SubmissionSet.self, from: json) }
            return nil
        }
    }

    public func submissionSets(recordID: RecordID) async throws -> [SubmissionSet] {
        try await client.withConnection { [self] connection in
            var sets: [SubmissionSet] = []
            let rows = try await connection.query(
                "SELECT set_json::text FROM submission_sets WHERE record_id = \(recordID.rawValue) ORDER BY submitted_at DESC, id",
                logger: logger)
            for try await json in rows.decode(String.self) { sets.append(try StoredForms.decodeJSON(SubmissionSet.self, from: json)) }
            return sets
        }
    }

    private static func entries(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> [DocumentEntry] {
        var entries: [DocumentEntry] = []
        for try await json in try await connection.query(query, logger: logger).decode(String.self) {
            entries.append(try StoredForms.documentEntry(from: json))
        }
        return entries
    }

    private static func updateDocumentRow(_ connection: PostgresConnection, _ row: DocumentRow, logger: Logger) async throws {
        let updated = try await connection.query("""
            UPDATE documents SET status = \(row.status), type_system = \(row.typeSystem), type_code = \(row.typeCode),
                visibility_flags = \(row.visibilityFlags), confidentiality = \(row.confidentiality),
                metadata_json = \(row.metadataJSON)::jsonb, metadata_version = \(row.metadataVersion), author_search = \(row.authorSearch)
            WHERE record_id = \(row.recordID) AND id = \(row.id) AND metadata_version = \(row.metadataVersion - 1) RETURNING id
            """, logger: logger).collect().count
        guard updated == 1 else { throw StoreError.versionConflict }
        try await insertVersion(connection, row, logger: logger)
        // A deleted document's words leave the index with it (issue 18).
        if row.status == DocumentStatus.deleted.rawValue {
            try await connection.query("DELETE FROM document_text WHERE record_id = \(row.recordID) AND document_id = \(row.id)", logger: logger)
        }
    }
}
