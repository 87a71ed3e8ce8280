public import CarnetStore
import GRDB

extension SQLiteStore {
    public func chainedAuditEvents(after cursor: (chainKey: String, sequence: Int64)?, limit: Int) async throws -> [ChainedAuditEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM audit_events WHERE chain_key IS NOT NULL AND (chain_key, chain_seq) > (?, ?)
                ORDER BY chain_key, chain_seq LIMIT ?
                """, arguments: [cursor?.chainKey ?? "", cursor?.sequence ?? Int64.min, limit])
                .map { row in
                    ChainedAuditEvent(event: try Self.auditRow(row).event(), chainKey: row["chain_key"], sequence: row["chain_seq"],
                                      previousHash: row["prev_hash"], hash: row["hash"])
                }
        }
    }

    public func auditChainHeads() async throws -> [String: (sequence: Int64, hash: String)] {
        try await pool.read { db in
            var heads: [String: (sequence: Int64, hash: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT chain_key, chain_seq, hash FROM audit_chain_heads") {
                heads[row["chain_key"]] = (row["chain_seq"], row["hash"])
            }
            return heads
        }
    }

    public func unchainedAuditEventCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events WHERE chain_key IS NULL") ?? 0 }
    }
}
