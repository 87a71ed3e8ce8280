public import CarnetCore
public import CarnetStore
import Logging
import PostgresNIO

extension PostgresStore {
    public func upsertDirectoryEntries(_ entries: [DirectoryEntry]) async throws -> DirectoryUpsertCount {
        guard !entries.isEmpty else { return DirectoryUpsertCount(added: 0, updated: 0) }
        // The last line of a professional wins within one batch, as the SQLite engine does.
        var latest: [String: DirectoryEntry] = [:]
        for entry in entries { latest[entry.rpps.value] = entry }
        let unique = Array(latest.values)
        let jsons = try unique.map { try StoredForms.encodeJSON($0) }
        return try await transaction { [self] connection in
            // One statement per batch; `xmax = 0` tells a row inserted from one updated; unchanged rows are not touched.
            var count = DirectoryUpsertCount(added: 0, updated: 0)
            for try await inserted in try await connection.query("""
                INSERT INTO professional_directory (rpps, entry_json, last_name_key, first_name_key)
                SELECT * FROM unnest(\(unique.map(\.rpps.value))::text[], \(jsons)::jsonb[], \(unique.map(\.lastNameKey))::text[],
                                     \(unique.map(\.firstNameKey))::text[])
                ON CONFLICT (rpps) DO UPDATE SET entry_json = excluded.entry_json, last_name_key = excluded.last_name_key,
                    first_name_key = excluded.first_name_key
                WHERE professional_directory.entry_json <> excluded.entry_json
                RETURNING (xmax = 0)
                """, logger: logger).decode(Bool.self) {
                if inserted { count.added += 1 } else { count.updated += 1 }
            }
            return count
        }
    }

    public func directoryEntries(rpps: [RPPS]) async throws -> [DirectoryEntry] {
        guard !rpps.isEmpty else { return [] }
        return try await client.withConnection { [self] connection in
            var entries: [DirectoryEntry] = []
            for try await json in try await connection.query("""
                SELECT entry_json::text FROM professional_directory WHERE rpps = ANY(\(rpps.map(\.value))::text[])
                """, logger: logger).decode(String.self) {
                entries.append(try StoredForms.decodeJSON(DirectoryEntry.self, from: json))
            }
            return entries
        }
    }

    public func directoryEntries(namePrefix prefix: String, limit: Int) async throws -> [DirectoryEntry] {
        let end = prefix + "\u{10FFFF}"
        return try await client.withConnection { [self] connection in
            var entries: [DirectoryEntry] = []
            for try await json in try await connection.query("""
                SELECT entry_json::text FROM (
                    SELECT entry_json, last_name_key, first_name_key FROM professional_directory
                    WHERE last_name_key >= \(prefix) AND last_name_key < \(end)
                    UNION
                    SELECT entry_json, last_name_key, first_name_key FROM professional_directory
                    WHERE first_name_key >= \(prefix) AND first_name_key < \(end)) AS found
                ORDER BY last_name_key, first_name_key LIMIT \(limit)
                """, logger: logger).decode(String.self) {
                entries.append(try StoredForms.decodeJSON(DirectoryEntry.self, from: json))
            }
            return entries
        }
    }
}
