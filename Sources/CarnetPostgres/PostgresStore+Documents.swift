public import CarnetCore
public import CarnetStore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    public func addDocuments(_ additions: [DocumentAddition], submissionSet: SubmissionSet?, audits: [AuditEvent]) async throws {
        let rows = try additions.map { (new: try DocumentRow($0.entry), old: try $0.superseding.map(DocumentRow.init)) }
        let setRow = try submissionSet.map(SubmissionSetRow.init)
        let auditRows = try audits.map(AuditRow.init)
        try await transaction { connection in
            for (row, old) in rows {
                try await Self.insert(row, superseding: old, connection, logger: logger)
            }
            if let setRow {
                let inserted = try await connection.query("""
                    INSERT INTO submission_sets (record_id, id, unique_id, submitted_at, set_json)
                    VALUES (\(setRow.recordID), \(setRow.id), \(setRow.uniqueID),
                            to_timestamp(\(setRow.submittedAtMilliseconds)::double precision / 1000), \(setRow.setJSON)::jsonb)
                    ON CONFLICT (record_id, unique_id) DO NOTHING RETURNING id
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
            INSERT INTO documents (record_id, id, unique_id, lineage_id, status, date, metadata_json, metadata_version)
            VALUES (\(row.recordID), \(row.id), \(row.uniqueID), \(row.lineageID), \(row.status),
                    to_timestamp(\(row.dateMilliseconds)::double precision / 1000), \(row.metadataJSON)::jsonb, \(row.metadataVersion))
            ON CONFLICT (record_id, unique_id) DO NOTHING RETURNING id
            """, logger: logger).collect().count
        guard inserted == 1 else { throw StoreError.duplicateDocument(uniqueID: row.uniqueID) }
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
        try await transaction { connection in
            try await Self.updateDocumentRow(connection, row, logger: logger)
            try await Self.insertAudit(connection, auditRow, logger: logger)
        }
    }

    public func document(id: DocumentID) async throws -> DocumentEntry? {
        try await client.withConnection { connection in
            try await Self.entries(connection, "SELECT metadata_json::text FROM documents WHERE id = \(id.rawValue)", logger: logger).first
        }
    }

    public func documents(recordID: RecordID) async throws -> [DocumentEntry] {
        try await client.withConnection { connection in
            try await Self.entries(connection, "SELECT metadata_json::text FROM documents WHERE record_id = \(recordID.rawValue) ORDER BY date DESC, id",
                                   logger: logger)
        }
    }

    public func documents(uniqueID: String) async throws -> [DocumentEntry] {
        try await client.withConnection { connection in
            try await Self.entries(connection, "SELECT metadata_json::text FROM documents WHERE unique_id = \(uniqueID) LIMIT 10", logger: logger)
        }
    }

    public func documentVersions(id: DocumentID) async throws -> [DocumentEntry] {
        try await client.withConnection { connection in
            try await Self.entries(connection, "SELECT metadata_json::text FROM document_versions WHERE id = \(id.rawValue) ORDER BY metadata_version",
                                   logger: logger)
        }
    }

    public func submissionSets(recordID: RecordID) async throws -> [SubmissionSet] {
        try await client.withConnection { connection in
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
            entries.append(try StoredForms.decodeJSON(DocumentEntry.self, from: json))
        }
        return entries
    }

    private static func updateDocumentRow(_ connection: PostgresConnection, _ row: DocumentRow, logger: Logger) async throws {
        let updated = try await connection.query("""
            UPDATE documents SET status = \(row.status), metadata_json = \(row.metadataJSON)::jsonb, metadata_version = \(row.metadataVersion)
            WHERE record_id = \(row.recordID) AND id = \(row.id) AND metadata_version = \(row.metadataVersion - 1) RETURNING id
            """, logger: logger).collect().count
        guard updated == 1 else { throw StoreError.versionConflict }
        try await insertVersion(connection, row, logger: logger)
    }
}
