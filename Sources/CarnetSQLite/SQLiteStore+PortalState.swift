public import CarnetStore
public import Foundation
import GRDB

extension SQLiteStore {
    public func savePortalSession(_ session: PortalSessionRow) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO portal_sessions (id_hash, payload, last_seen_ms, expires_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT (id_hash) DO UPDATE SET payload = excluded.payload, last_seen_ms = excluded.last_seen_ms, expires_ms = excluded.expires_ms
                """).execute(arguments: [session.idHash, session.payload, StoredForms.milliseconds(session.lastSeen), StoredForms.milliseconds(session.expires)])
        }
    }

    public func portalSession(idHash: String) async throws -> PortalSessionRow? {
        try readInPlace { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT payload, last_seen_ms, expires_ms FROM portal_sessions WHERE id_hash = ?"), arguments: [idHash])
                .map { row in
                    PortalSessionRow(idHash: idHash, payload: row["payload"], lastSeen: StoredForms.date(milliseconds: row["last_seen_ms"]),
                                     expires: StoredForms.date(milliseconds: row["expires_ms"]))
                }
        }
    }

    public func deletePortalSession(idHash: String) async throws {
        try await pool.write { db in try db.cachedStatement(sql: "DELETE FROM portal_sessions WHERE id_hash = ?").execute(arguments: [idHash]) }
    }

    public func deleteExpiredPortalSessions(idleSince: Date, now: Date) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM portal_sessions WHERE last_seen_ms < ? OR expires_ms <= ?").execute(
                           arguments: [StoredForms.milliseconds(idleSince), StoredForms.milliseconds(now)])
            try db.cachedStatement(sql: "DELETE FROM sign_in_code_requests WHERE requested_ms < ?").execute(
                           arguments: [StoredForms.milliseconds(now) - 86_400_000])
            try db.cachedStatement(sql: "DELETE FROM sign_in_codes WHERE expires_ms <= ?").execute(arguments: [StoredForms.milliseconds(now)])
        }
    }

    public func addSignInCodeRequest(insKey: String, at: Date, since: Date) async throws -> (count: Int, oldest: Date?) {
        try await pool.write { db in
            try db.cachedStatement(sql: "INSERT INTO sign_in_code_requests (ins_key, requested_ms) VALUES (?, ?)").execute(
                           arguments: [insKey, StoredForms.milliseconds(at)])
            return try Self.requests(db, insKey, since)
        }
    }

    public func signInCodeRequests(insKey: String, since: Date) async throws -> (count: Int, oldest: Date?) {
        try readInPlace { db in try Self.requests(db, insKey, since) }
    }

    private static func requests(_ db: Database, _ insKey: String, _ since: Date) throws -> (count: Int, oldest: Date?) {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT count(*) AS n, min(requested_ms) AS oldest FROM sign_in_code_requests WHERE ins_key = ? AND requested_ms >= ?"),
                                   arguments: [insKey, StoredForms.milliseconds(since)])
        let oldest: Int64? = row?["oldest"]
        return (row?["n"] ?? 0, oldest.map { StoredForms.date(milliseconds: $0) })
    }

    public func saveSignInCode(_ code: SignInCodeRow) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO sign_in_codes (ins_key, code_hash, expires_ms, attempts) VALUES (?, ?, ?, ?)
                ON CONFLICT (ins_key) DO UPDATE SET code_hash = excluded.code_hash, expires_ms = excluded.expires_ms, attempts = excluded.attempts
                """).execute(arguments: [code.insKey, code.codeHash, StoredForms.milliseconds(code.expires), code.attempts])
        }
    }

    public func takeSignInCodeAttempt(insKey: String) async throws -> SignInCodeRow? {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT code_hash, expires_ms, attempts FROM sign_in_codes WHERE ins_key = ?"),
                                             arguments: [insKey]) else { return nil }
            try db.cachedStatement(sql: "UPDATE sign_in_codes SET attempts = attempts + 1 WHERE ins_key = ?").execute(arguments: [insKey])
            return SignInCodeRow(insKey: insKey, codeHash: row["code_hash"], expires: StoredForms.date(milliseconds: row["expires_ms"]),
                                 attempts: row["attempts"])
        }
    }

    public func deleteSignInCode(insKey: String) async throws {
        try await pool.write { db in try db.cachedStatement(sql: "DELETE FROM sign_in_codes WHERE ins_key = ?").execute(arguments: [insKey]) }
    }
}
