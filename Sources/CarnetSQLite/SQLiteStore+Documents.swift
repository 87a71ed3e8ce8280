public import CarnetCore
public import CarnetStore
import Foundation
import GRDB

extension SQLiteStore {
    public func addDocuments(_ additions: [DocumentAddition], audits: [AuditEvent]) async throws {
        let rows = try additions.map { (new: try DocumentRow($0.entry), old: try $0.superseding.map(DocumentRow.init)) }
        let auditRows = try audits.map(AuditRow.init)
        try await pool.write { db in
            for (row, old) in rows {
                if let old {
                    try Self.updateDocumentRow(db, old)
                }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM documents WHERE record_id = ? AND unique_id = ?",
                                     arguments: [row.recordID.lowercasedString, row.uniqueID]) == true {
                    throw StoreError.duplicateDocument(uniqueID: row.uniqueID)
                }
                try db.execute(sql: """
                    INSERT INTO documents (record_id, id, unique_id, lineage_id, status, date_ms, metadata_json, metadata_version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [row.recordID.lowercasedString, row.id.lowercasedString, row.uniqueID, row.lineageID.lowercasedString,
                                     row.status, row.dateMilliseconds, row.metadataJSON, row.metadataVersion])
            }
            for auditRow in auditRows { try Self.insertAudit(db, auditRow) }
        }
    }

    public func updateDocument(_ entry: DocumentEntry, audit: AuditEvent) async throws {
        let row = try DocumentRow(entry)
        let auditRow = try AuditRow(audit)
        try await pool.write { db in
            try Self.updateDocumentRow(db, row)
            try Self.insertAudit(db, auditRow)
        }
    }

    public func document(id: DocumentID) async throws -> DocumentEntry? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT metadata_json FROM documents WHERE id = ?", arguments: [id.rawValue.lowercasedString])
                .map { try StoredForms.decodeJSON(DocumentEntry.self, from: $0) }
        }
    }

    public func documents(recordID: RecordID) async throws -> [DocumentEntry] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT metadata_json FROM documents WHERE record_id = ? ORDER BY date_ms DESC, id",
                                arguments: [recordID.rawValue.lowercasedString])
                .map { try StoredForms.decodeJSON(DocumentEntry.self, from: $0) }
        }
    }

    /// Writes a changed entry if its stored metadata version is the one before.
    private static func updateDocumentRow(_ db: Database, _ row: DocumentRow) throws {
        try db.execute(sql: """
            UPDATE documents SET status = ?, metadata_json = ?, metadata_version = ?
            WHERE record_id = ? AND id = ? AND metadata_version = ?
            """, arguments: [row.status, row.metadataJSON, row.metadataVersion, row.recordID.lowercasedString, row.id.lowercasedString,
                             row.metadataVersion - 1])
        guard db.changesCount == 1 else { throw StoreError.versionConflict }
    }
}
