import CarnetCore
public import CarnetStore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func chainedAuditEvents(after cursor: (chainKey: String, sequence: Int64)?, limit: Int) async throws -> [ChainedAuditEvent] {
        // In the chains' index order (partition, then key): each chain still comes whole and in sequence.
        let after = cursor.map { (partition: AuditChain.partition(forChainKey: $0.chainKey), key: $0.chainKey, sequence: $0.sequence) }
            ?? (partition: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), key: "", sequence: Int64.min)
        return try await client.withConnection { [self] connection in
            let rows = try await connection.query("""
                SELECT id, record_id, (extract(epoch FROM recorded_at) * 1000)::bigint, actor_kind, actor_id, profession,
                       access_mode, emergency_reason, action, resources_json::text, outcome, rule, detail, chain_key, chain_seq, prev_hash, hash,
                       secret_connection
                FROM audit_events WHERE chain_key IS NOT NULL AND (partition_id, chain_key, chain_seq) > (\(after.partition), \(after.key), \(after.sequence))
                ORDER BY partition_id, chain_key, chain_seq LIMIT \(limit)
                """, logger: logger)
            var links: [ChainedAuditEvent] = []
            for try await (id, record, at, kind, actorID, profession, mode, reason, action, resources, outcome, rule, detail, key, sequence, previous, hash,
                           secret)
                in rows.decode((UUID, UUID?, Int64, String, String, String?, String, String?, String, String, String, String?, String?,
                                String, Int64, String, String, Bool).self) {
                let event = try AuditRow(id: id, recordID: record, recordedAtMilliseconds: at, actorKind: kind, actorID: actorID,
                                         profession: profession, accessMode: mode, emergencyReason: reason, action: action,
                                         resourcesJSON: resources, outcome: outcome, rule: rule, detail: detail, secretConnection: secret).event()
                links.append(ChainedAuditEvent(event: event, chainKey: key, sequence: sequence, previousHash: previous, hash: hash))
            }
            return links
        }
    }

    public func auditChainHeads() async throws -> [String: (sequence: Int64, hash: String)] {
        try await client.withConnection { [self] connection in
            var heads: [String: (sequence: Int64, hash: String)] = [:]
            for try await (key, sequence, hash) in try await connection.query(
                "SELECT chain_key, chain_seq, hash FROM audit_chain_heads WHERE chain_seq > 0", logger: logger).decode((String, Int64, String).self) {
                heads[key] = (sequence, hash)
            }
            return heads
        }
    }

    public func unchainedAuditEventCount() async throws -> Int {
        try await client.withConnection { [self] connection in
            var count = 0
            for try await value in try await connection.query("SELECT count(*) FROM audit_events WHERE chain_key IS NULL", logger: logger)
                .decode(Int.self) { count = value }
            return count
        }
    }
}
