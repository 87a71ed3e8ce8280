public import CarnetCore
public import CarnetStore
import GRDB

extension SQLiteStore {
    public func upsertDirectoryEntries(_ entries: [DirectoryEntry]) async throws -> DirectoryUpsertCount {
        let rows = try entries.map { ($0.rpps.value, try StoredForms.encodeJSON($0), $0.lastNameKey, $0.firstNameKey) }
        return try await pool.write { db in
            let existing = try db.cachedStatement(sql: "SELECT entry_json FROM professional_directory WHERE rpps = ?")
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO professional_directory (rpps, entry_json, last_name_key, first_name_key) VALUES (?, ?, ?, ?)
                ON CONFLICT (rpps) DO UPDATE SET entry_json = excluded.entry_json, last_name_key = excluded.last_name_key,
                    first_name_key = excluded.first_name_key
                """)
            var count = DirectoryUpsertCount(added: 0, updated: 0)
            for (rpps, json, last, first) in rows {
                let before = try String.fetchOne(existing, arguments: [rpps])
                if before == json { continue }
                try upsert.execute(arguments: [rpps, json, last, first])
                if before == nil { count.added += 1 } else { count.updated += 1 }
            }
            return count
        }
    }

    public func directoryEntries(rpps: [RPPS]) async throws -> [DirectoryEntry] {
        guard !rpps.isEmpty else { return [] }
        return try readInPlace { db in
            var entries: [DirectoryEntry] = []
            // Chunks well under SQLite's bound-parameter limit.
            for chunk in stride(from: 0, to: rpps.count, by: 500).map({ Array(rpps[$0..<min($0 + 500, rpps.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                entries += try String.fetchAll(db.cachedStatement(sql: "SELECT entry_json FROM professional_directory WHERE rpps IN (\(marks))"),
                                               arguments: StatementArguments(chunk.map(\.value)))
                    .map { try StoredForms.decodeJSON(DirectoryEntry.self, from: $0) }
            }
            return entries
        }
    }

    public func directoryEntries(namePrefix prefix: String, limit: Int) async throws -> [DirectoryEntry] {
        let end = prefix + "\u{10FFFF}"
        return try readInPlace { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT entry_json FROM (
                    SELECT entry_json, last_name_key, first_name_key FROM professional_directory WHERE last_name_key >= ? AND last_name_key < ?
                    UNION
                    SELECT entry_json, last_name_key, first_name_key FROM professional_directory WHERE first_name_key >= ? AND first_name_key < ?)
                ORDER BY last_name_key, first_name_key LIMIT ?
                """), arguments: [prefix, end, prefix, end, limit])
                .map { try StoredForms.decodeJSON(DirectoryEntry.self, from: $0) }
        }
    }
}
