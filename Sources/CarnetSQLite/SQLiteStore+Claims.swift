public import CarnetCore
public import CarnetStore
import GRDB

extension SQLiteStore {
    public func addClaims(_ claims: [Claim], checkpoint: ClaimImportCheckpoint) async throws -> Int {
        let rows = try claims.map { ($0.ins.value, $0.id, $0.serviceDate.description, try StoredForms.encodeJSON($0)) }
        return try await pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO claims (ins_value, claim_id, service_date, claim_json) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
            var added = 0
            for (ins, id, date, json) in rows {
                try statement.execute(arguments: [ins, id, date, json])
                added += db.changesCount
            }
            try db.cachedStatement(sql: """
                INSERT INTO claim_imports (source, lines_done, imported, duplicates, rejected) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (source) DO UPDATE SET lines_done = excluded.lines_done, imported = excluded.imported,
                    duplicates = excluded.duplicates, rejected = excluded.rejected
                """).execute(arguments: [checkpoint.source, checkpoint.linesDone, checkpoint.imported + added,
                                 checkpoint.duplicates + rows.count - added, checkpoint.rejected])
            return added
        }
    }

    public func claimImportCheckpoint(source: String) async throws -> ClaimImportCheckpoint? {
        try readInPlace { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM claim_imports WHERE source = ?"), arguments: [source]).map { row in
                ClaimImportCheckpoint(source: row["source"], linesDone: row["lines_done"], imported: row["imported"],
                                      duplicates: row["duplicates"], rejected: row["rejected"])
            }
        }
    }

    public func claims(ins: INS, from: PartialDate) async throws -> [Claim] {
        try readInPlace { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT claim_json FROM claims WHERE ins_value = ? AND service_date >= ? ORDER BY service_date DESC, claim_id
                """), arguments: [ins.value, from.description])
                .map { try StoredForms.decodeJSON(Claim.self, from: $0) }
                .filter { $0.ins.system == ins.system }
        }
    }

    public func purgeClaims(before: PartialDate) async throws -> Int {
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM claims WHERE service_date < ?").execute(arguments: [before.description])
            return db.changesCount
        }
    }
}
