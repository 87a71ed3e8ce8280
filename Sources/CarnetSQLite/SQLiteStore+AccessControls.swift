public import CarnetCore
public import CarnetStore
import GRDB

extension SQLiteStore {
    public func accessControls(recordID: RecordID) async throws -> AccessControls {
        try await pool.read { db in try Self.accessControls(db, recordID: recordID) }
    }

    static func accessControls(_ db: Database, recordID: RecordID) throws -> AccessControls {
        try String.fetchOne(db.cachedStatement(sql: "SELECT controls_json FROM access_controls WHERE record_id = ?"),
                            arguments: [recordID.rawValue.lowercasedString])
            .map { try StoredForms.accessControls(from: $0) } ?? AccessControls()
    }

    public func saveAccessControls(_ controls: AccessControls, recordID: RecordID, audit: AuditEvent) async throws {
        let json = try StoredForms.encodeJSON(controls)
        let auditRow = try AuditRow(audit)
        let id = recordID.rawValue.lowercasedString
        try await writer.write { db in
            if controls.version == 1 {
                try db.execute(sql: "INSERT INTO access_controls (record_id, controls_json, version) VALUES (?, ?, 1) ON CONFLICT DO NOTHING",
                               arguments: [id, json])
            } else {
                try db.execute(sql: "UPDATE access_controls SET controls_json = ?, version = ? WHERE record_id = ? AND version = ?",
                               arguments: [json, controls.version, id, controls.version - 1])
            }
            guard db.changesCount == 1 else { throw StoreError.versionConflict }
            try Self.insertAudit(db, auditRow)
        }
    }
}
