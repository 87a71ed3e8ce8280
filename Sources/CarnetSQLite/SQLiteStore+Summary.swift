public import CarnetCore
public import CarnetStore
import GRDB

extension SQLiteStore {
    public func addSummaryVersion(_ entry: SummaryEntry, audit: AuditEvent) async throws {
        let row = try SummaryRow(entry)
        let auditRow = try AuditRow(audit)
        try await writer.write { db in
            if row.version == 1 {
                let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM summary_entries WHERE id = ?)"), arguments: [row.id]) ?? false
                if exists { throw StoreError.versionConflict }
            } else {
                try db.cachedStatement(sql: "UPDATE summary_entries SET is_current = 0 WHERE id = ? AND version = ? AND is_current = 1").execute(
                               arguments: [row.id, row.version - 1])
                guard db.changesCount == 1 else { throw StoreError.versionConflict }
            }
            try db.cachedStatement(sql: """
                INSERT INTO summary_entries (record_id, id, version, kind, is_current, metadata_json, resource) VALUES (?, ?, ?, ?, 1, ?, ?)
                """).execute(arguments: [row.recordID, row.id, row.version, row.kind, row.metadataJSON, row.resourceJSON])
            try Self.insertAudit(db, auditRow)
        }
    }

    public func summaryEntryVersions(id: SummaryEntryID) async throws -> [SummaryEntry] {
        try readInPlace { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM summary_entries WHERE id = ? ORDER BY version"), arguments: [id.description])
                .map { try Self.summaryRow($0).entry() }
        }
    }

    public func summaryEntries(recordID: RecordID, kinds: Set<SummaryKind>, includingDeleted: Bool) async throws -> [SummaryEntry] {
        guard !kinds.isEmpty else { return [] }
        let kindList = kinds.map(\.rawValue).sorted()
        return try readInPlace { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM summary_entries WHERE record_id = ? AND is_current AND kind IN (\(databaseQuestionMarks(count: kindList.count)))
                """), arguments: StatementArguments([recordID.description] + kindList))
                .map { try Self.summaryRow($0).entry() }
                .filter { includingDeleted || !$0.deleted }
        }.sorted(by: SummaryEntry.byRecordingTime)
    }

    private static func summaryRow(_ row: Row) -> SummaryRow {
        SummaryRow(recordID: row["record_id"], id: row["id"], version: row["version"], kind: row["kind"],
                   metadataJSON: row["metadata_json"], resourceJSON: row["resource"])
    }
}
