public import CarnetCore
public import CarnetStore
import Foundation
import CarnetJSON
import PostgresNIO

extension PostgresStore {
    public func addSummaryVersion(_ entry: SummaryEntry, audit: AuditEvent) async throws {
        let row = try SummaryRow(entry)
        let auditRow = try AuditRow(audit)
        try await transaction { [self] connection in
            if row.version > 1 {
                let superseded = try await connection.query("""
                    UPDATE summary_entries SET is_current = false
                    WHERE id = \(entry.id.rawValue) AND version = \(row.version - 1) AND is_current RETURNING 1
                    """, logger: logger).collect().count
                guard superseded == 1 else { throw StoreError.versionConflict }
            }
            let inserted = try await connection.query("""
                INSERT INTO summary_entries (record_id, id, version, kind, is_current, metadata_json, resource)
                VALUES (\(entry.recordID.rawValue), \(entry.id.rawValue), \(row.version), \(row.kind), true, \(row.metadataJSON)::jsonb,
                        \(row.resourceJSON)::jsonb)
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger).collect().count
            guard inserted == 1 else { throw StoreError.versionConflict }
            try await Self.insertAudit(connection, auditRow, logger: logger)
        }
    }

    public func summaryEntryVersions(id: SummaryEntryID) async throws -> [SummaryEntry] {
        try await summaryRows("""
            SELECT record_id, id, version, kind, metadata_json::text, resource::text FROM summary_entries WHERE id = \(id.rawValue) ORDER BY version
            """)
    }

    public func summaryEntries(recordID: RecordID, kinds: Set<SummaryKind>, includingDeleted: Bool) async throws -> [SummaryEntry] {
        guard !kinds.isEmpty else { return [] }
        return try await summaryRows("""
            SELECT record_id, id, version, kind, metadata_json::text, resource::text FROM summary_entries
            WHERE record_id = \(recordID.rawValue) AND is_current AND kind = ANY(\(kinds.map(\.rawValue).sorted())::text[])
            """).filter { includingDeleted || !$0.deleted }.sorted(by: SummaryEntry.byRecordingTime)
    }

    private func summaryRows(_ query: PostgresQuery) async throws -> [SummaryEntry] {
        try await client.withConnection { [self] connection in
            var entries: [SummaryEntry] = []
            for try await (recordID, id, version, kind, metadata, resource) in try await connection.query(query, logger: logger)
                .decode((UUID, UUID, Int, String, String, String).self) {
                entries.append(try SummaryRow(recordID: recordID.lowercasedText, id: id.lowercasedText, version: version,
                                              kind: kind, metadataJSON: metadata, resourceJSON: resource).entry())
            }
            return entries
        }
    }
}
