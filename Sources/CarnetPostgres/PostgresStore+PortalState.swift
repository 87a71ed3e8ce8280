public import CarnetStore
public import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    public func savePortalSession(_ session: PortalSessionRow) async throws {
        try await client.withConnection { [self] connection in
            try await connection.query("""
                INSERT INTO portal_sessions (id_hash, payload, last_seen_ms, expires_ms)
                VALUES (\(session.idHash), \(ByteBuffer(bytes: session.payload)), \(StoredForms.milliseconds(session.lastSeen)),
                        \(StoredForms.milliseconds(session.expires)))
                ON CONFLICT (id_hash) DO UPDATE SET payload = excluded.payload, last_seen_ms = excluded.last_seen_ms, expires_ms = excluded.expires_ms
                """, logger: logger)
        }
    }

    public func portalSession(idHash: String) async throws -> PortalSessionRow? {
        try await client.withConnection { [self] connection in
            var found: PortalSessionRow?
            for try await (payload, lastSeen, expires) in try await connection.query(
                "SELECT payload, last_seen_ms, expires_ms FROM portal_sessions WHERE id_hash = \(idHash)", logger: logger)
                .decode((ByteBuffer, Int64, Int64).self) {
                found = PortalSessionRow(idHash: idHash, payload: Data(payload.readableBytesView), lastSeen: StoredForms.date(milliseconds: lastSeen),
                                         expires: StoredForms.date(milliseconds: expires))
            }
            return found
        }
    }

    public func deletePortalSession(idHash: String) async throws {
        try await client.withConnection { [self] connection in
            try await connection.query("DELETE FROM portal_sessions WHERE id_hash = \(idHash)", logger: logger)
        }
    }

    public func deleteExpiredPortalSessions(idleSince: Date, now: Date) async throws {
        let idle = StoredForms.milliseconds(idleSince)
        let current = StoredForms.milliseconds(now)
        try await client.withConnection { [self] connection in
            try await connection.query("DELETE FROM portal_sessions WHERE last_seen_ms < \(idle) OR expires_ms <= \(current)", logger: logger)
            try await connection.query("DELETE FROM sign_in_code_requests WHERE requested_ms < \(current - 86_400_000)", logger: logger)
            try await connection.query("DELETE FROM sign_in_codes WHERE expires_ms <= \(current)", logger: logger)
        }
    }

    public func addSignInCodeRequest(insKey: String, at: Date, since: Date) async throws -> (count: Int, oldest: Date?) {
        try await transaction { [self] connection in
            // One request at a time per INS, across nodes: the count that follows includes every one before.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(insKey)))", logger: logger)
            try await connection.query("INSERT INTO sign_in_code_requests (ins_key, requested_ms) VALUES (\(insKey), \(StoredForms.milliseconds(at)))",
                                       logger: logger)
            return try await Self.requests(connection, insKey, since, logger)
        }
    }

    public func signInCodeRequests(insKey: String, since: Date) async throws -> (count: Int, oldest: Date?) {
        try await client.withConnection { [self] connection in try await Self.requests(connection, insKey, since, logger) }
    }

    private static func requests(_ connection: PostgresConnection, _ insKey: String, _ since: Date, _ logger: Logger) async throws
        -> (count: Int, oldest: Date?) {
        var result: (count: Int, oldest: Date?) = (0, nil)
        for try await (count, oldest) in try await connection.query("""
            SELECT count(*), min(requested_ms) FROM sign_in_code_requests WHERE ins_key = \(insKey) AND requested_ms >= \(StoredForms.milliseconds(since))
            """, logger: logger).decode((Int, Int64?).self) {
            result = (count, oldest.map { StoredForms.date(milliseconds: $0) })
        }
        return result
    }

    public func saveSignInCode(_ code: SignInCodeRow) async throws {
        try await client.withConnection { [self] connection in
            try await connection.query("""
                INSERT INTO sign_in_codes (ins_key, code_hash, expires_ms, attempts)
                VALUES (\(code.insKey), \(ByteBuffer(bytes: code.codeHash)), \(StoredForms.milliseconds(code.expires)), \(code.attempts))
                ON CONFLICT (ins_key) DO UPDATE SET code_hash = excluded.code_hash, expires_ms = excluded.expires_ms, attempts = excluded.attempts
                """, logger: logger)
        }
    }

    public func takeSignInCodeAttempt(insKey: String) async throws -> SignInCodeRow? {
        try await client.withConnection { [self] connection in
            var found: SignInCodeRow?
            // The row as it was before this attempt: attempts - 1 after the increment.
            for try await (hash, expires, attempts) in try await connection.query("""
                UPDATE sign_in_codes SET attempts = attempts + 1 WHERE ins_key = \(insKey) RETURNING code_hash, expires_ms, attempts - 1
                """, logger: logger).decode((ByteBuffer, Int64, Int).self) {
                found = SignInCodeRow(insKey: insKey, codeHash: Data(hash.readableBytesView), expires: StoredForms.date(milliseconds: expires),
                                      attempts: attempts)
            }
            return found
        }
    }

    public func deleteSignInCode(insKey: String) async throws {
        try await client.withConnection { [self] connection in
            try await connection.query("DELETE FROM sign_in_codes WHERE ins_key = \(insKey)", logger: logger)
        }
    }
}
