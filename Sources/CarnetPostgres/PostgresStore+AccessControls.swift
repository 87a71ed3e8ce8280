public import CarnetCore
public import CarnetStore
import Logging
import PostgresNIO

extension PostgresStore {
    public func accessControls(recordID: RecordID) async throws -> AccessControls {
        try await client.withConnection { [self] connection in try await Self.accessControls(connection, recordID: recordID, logger: logger) }
    }

    static func accessControls(_ connection: PostgresConnection, recordID: RecordID, logger: Logger) async throws -> AccessControls {
        let rows = try await connection.query("SELECT controls_json::text FROM access_controls WHERE record_id = \(recordID.rawValue)",
                                              logger: logger)
        for try await json in rows.decode(String.self) { return try StoredForms.accessControls(from: json) }
        return AccessControls()
    }

    public func saveAccessControls(_ controls: AccessControls, recordID: RecordID, audit: AuditEvent) async throws {
        let json = try StoredForms.encodeJSON(controls)
        let auditRow = try AuditRow(audit)
        try await transaction { [self] connection in
            let changed: Int
            if controls.version == 1 {
                changed = try await connection.query("""
                    INSERT INTO access_controls (record_id, controls_json, version) VALUES (\(recordID.rawValue), \(json)::jsonb, 1)
                    ON CONFLICT (record_id) DO NOTHING RETURNING record_id
                    """, logger: logger).collect().count
            } else {
                changed = try await connection.query("""
                    UPDATE access_controls SET controls_json = \(json)::jsonb, version = \(controls.version)
                    WHERE record_id = \(recordID.rawValue) AND version = \(controls.version - 1) RETURNING record_id
                    """, logger: logger).collect().count
            }
            guard changed == 1 else { throw StoreError.versionConflict }
            try await Self.indexRepresentatives(connection, controls, recordID: recordID, logger: logger)
            try await Self.insertAudit(connection, auditRow, logger: logger)
        }
    }

    public func recordsRepresented(by representativeINS: String) async throws -> [HealthRecord] {
        try await client.withConnection { [self] connection in
            try await Self.fetchRecords(connection, PostgresQuery("""
                \(unescaped: Self.recordColumns) FROM legal_representations l JOIN records r ON r.id = l.record_id
                WHERE l.representative_ins_value = \(representativeINS) ORDER BY r.created_at, r.id
                """), logger: logger)
        }
    }

    /// Rewrites the record's rows of `legal_representations` to match `controls`, inside the caller's
    /// transaction (the index a representative's list of minors reads).
    static func indexRepresentatives(_ connection: PostgresConnection, _ controls: AccessControls, recordID: RecordID,
                                     logger: Logger) async throws {
        try await connection.query("DELETE FROM legal_representations WHERE record_id = \(recordID.rawValue)", logger: logger)
        let representatives = controls.legalRepresentatives.sorted()
        guard !representatives.isEmpty else { return }
        try await connection.query("""
            INSERT INTO legal_representations (record_id, representative_ins_value)
            SELECT \(recordID.rawValue), value FROM unnest(\(representatives)::text[]) AS value
            """, logger: logger)
    }
}
