public import CarnetCore
public import CarnetStore
import Logging
import PostgresNIO

extension PostgresStore {
    public func addClaims(_ claims: [Claim], checkpoint: ClaimImportCheckpoint) async throws -> Int {
        let jsons = try claims.map { try StoredForms.encodeJSON($0) }
        return try await transaction { [self] connection in
            // One statement per batch: arrays unnested server-side instead of a round trip per claim.
            let added = try await connection.query("""
                INSERT INTO claims (ins_value, claim_id, service_date, claim_json)
                SELECT * FROM unnest(\(claims.map(\.ins.value))::text[], \(claims.map(\.id))::text[],
                                     \(claims.map(\.serviceDate.description))::date[], \(jsons)::jsonb[])
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger).collect().count
            try await connection.query("""
                INSERT INTO claim_imports (source, lines_done, imported, duplicates, rejected)
                VALUES (\(checkpoint.source), \(checkpoint.linesDone), \(checkpoint.imported + added),
                        \(checkpoint.duplicates + claims.count - added), \(checkpoint.rejected))
                ON CONFLICT (source) DO UPDATE SET lines_done = excluded.lines_done, imported = excluded.imported,
                    duplicates = excluded.duplicates, rejected = excluded.rejected
                """, logger: logger)
            return added
        }
    }

    public func claimImportCheckpoint(source: String) async throws -> ClaimImportCheckpoint? {
        try await client.withConnection { [self] connection in
            var found: ClaimImportCheckpoint?
            for try await (source, lines, imported, duplicates, rejected) in try await connection.query(
                "SELECT source, lines_done, imported, duplicates, rejected FROM claim_imports WHERE source = \(source)", logger: logger)
                .decode((String, Int, Int, Int, Int).self) {
                found = ClaimImportCheckpoint(source: source, linesDone: lines, imported: imported, duplicates: duplicates, rejected: rejected)
            }
            return found
        }
    }

    public func claims(ins: INS, from: PartialDate) async throws -> [Claim] {
        try await client.withConnection { [self] connection in
            var claims: [Claim] = []
            for try await json in try await connection.query("""
                SELECT claim_json::text FROM claims WHERE ins_value = \(ins.value) AND service_date >= \(from.description)::date
                ORDER BY service_date DESC, claim_id
                """, logger: logger).decode(String.self) {
                let claim = try StoredForms.decodeJSON(Claim.self, from: json)
                if claim.ins.system == ins.system { claims.append(claim) }
            }
            return claims
        }
    }

    public func purgeClaims(before: PartialDate) async throws -> Int {
        try await client.withConnection { [self] connection in
            try await connection.query("DELETE FROM claims WHERE service_date < \(before.description)::date RETURNING 1", logger: logger)
                .collect().count
        }
    }
}
