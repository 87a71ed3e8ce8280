public import CarnetCore
public import CarnetStore
import CarnetJSON
import GRDB

extension SQLiteStore {
    public func accessControls(recordID: RecordID) async throws -> AccessControls {
        try readInPlace { db in try Self.accessControls(db, recordID: recordID) }
    }

    static func accessControls(_ db: Database, recordID: RecordID) throws -> AccessControls {
        try String.fetchOne(db.cachedStatement(sql: "SELECT controls_json FROM access_controls WHERE record_id = ?"),
                            arguments: [recordID.rawValue.lowercasedText])
            .map { try StoredForms.accessControls(from: $0) } ?? AccessControls()
    }

    public func saveAccessControls(_ controls: AccessControls, recordID: RecordID, audit: AuditEvent) async throws {
        let json = try StoredForms.encodeJSON(controls)
        let auditRow = try AuditRow(audit)
        let id = recordID.rawValue.lowercasedText
        try await writer.write { db in
            if controls.version == 1 {
                try db.cachedStatement(sql: "INSERT INTO access_controls (record_id, controls_json, version) VALUES (?, ?, 1) ON CONFLICT DO NOTHING").execute(
                               arguments: [id, json])
            } else {
                try db.cachedStatement(sql: "UPDATE access_controls SET controls_json = ?, version = ? WHERE record_id = ? AND version = ?").execute(
                               arguments: [json, controls.version, id, controls.version - 1])
            }
            guard db.changesCount == 1 else { throw StoreError.versionConflict }
            try Self.indexRepresentatives(db, controls, recordID: id)
            try Self.insertAudit(db, auditRow)
        }
    }

    public func recordsRepresented(by representativeINS: String) async throws -> [HealthRecord] {
        try readInPlace { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r.* FROM legal_representations l JOIN records r ON r.id = l.record_id
                WHERE l.representative_ins_value = ? ORDER BY r.created_at_ms, r.id
                """), arguments: [representativeINS]).map { try Self.recordRow($0).record() }
        }
    }

    /// Rewrites the record's rows of `legal_representations` to match `controls`, inside the caller's
    /// transaction (the index a representative's list of minors reads).
    static func indexRepresentatives(_ db: Database, _ controls: AccessControls, recordID id: String) throws {
        try db.cachedStatement(sql: "DELETE FROM legal_representations WHERE record_id = ?").execute(arguments: [id])
        for representative in controls.legalRepresentatives.sorted() {
            try db.cachedStatement(sql: "INSERT INTO legal_representations (record_id, representative_ins_value) VALUES (?, ?)")
                .execute(arguments: [id, representative])
        }
    }
}
