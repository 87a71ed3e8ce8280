import CarnetPortal
import CarnetCore
import CarnetService
import CarnetStore
import Crypto
import Foundation

/// The portals' signed-in sessions: a random id in an HttpOnly cookie, the actor it stands for, a CSRF
/// token for its forms, an idle timeout, and an absolute end: the session's lifetime, or sooner the
/// expiry of the token that opened it, so that a session never outlives the credential it came from
/// (issue 23.12). Kept in the store, under the hash of the id (``PortalStateStorage``), so that every
/// node of a service knows every session (issue 17) and a copy of the table opens none.
struct PortalSessions: Sendable {
    struct Session: Sendable {
        let id: String
        var actor: Actor
        let csrfToken: String
        var lastSeen: Date
        /// The session ends at this instant however active it is.
        let expires: Date
        /// For a professional: the record they opened (by INS, never in a URL).
        var patient: RecordID?
        /// For a patient acting as a minor's legal representative: the minor's name, while
        /// ``patient`` is the minor's record (the actor stays the representative, who the policy and
        /// the audit see).
        var represented: String?
        /// For a professional: the emergency they declared, which holds for its record only.
        var emergency: PortalEmergency?
        /// For a professional: who they are, as the directory names them (or their token does), so
        /// that every page says who is signed in (issue 16).
        var signedInAs: String?
        /// The reader's previous access to the record open, fixed when it was opened (a professional) or
        /// at sign-in (the patient): what the pages mark as new for the whole visit (issue 18).
        var visit: PortalVisit?

        /// What is new to the reader on `record`: the visit's baseline when it is that record's, else
        /// `nil` (the service then looks it up).
        func lastAccess(on record: RecordID) -> LastAccess? {
            guard let visit, visit.record == record else { return nil }
            return LastAccess(at: visit.previous)
        }

        /// The actor the service sees for `record`: in the declared emergency mode, with its reason,
        /// only for the record the emergency was declared for; the session's normal actor for any other.
        func actor(on record: RecordID?) -> Actor {
            guard let emergency, let record, emergency.record == record else { return actor }
            var declared = actor
            declared.accessMode = emergency.mode
            declared.emergencyReason = emergency.reason
            return declared
        }

        /// The emergency in force on the record now open, if any (shown as such for its whole duration).
        var openEmergency: PortalEmergency? {
            guard let emergency, emergency.record == patient else { return nil }
            return emergency
        }
    }

    let state: PortalStateStorage
    let idleTimeout: TimeInterval
    let lifetime: TimeInterval

    init(state: PortalStateStorage, idleTimeout: TimeInterval, lifetime: TimeInterval = 12 * 3600) {
        self.state = state
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
    }

    /// - Parameter credentialExpiry: when the credential that opened the session expires (a pasted
    ///   token's `exp`); the session ends then at the latest.
    func start(for actor: Actor, credentialExpiry: Date? = nil, now: Date) async throws -> Session {
        try await state.deleteExpired(idleSince: now.addingTimeInterval(-idleTimeout), now: now)
        let end = min(now.addingTimeInterval(lifetime), credentialExpiry ?? .distantFuture)
        let session = Session(id: Self.randomToken(), actor: actor, csrfToken: Self.randomToken(), lastSeen: now, expires: end)
        try await save(session)
        return session
    }

    /// The live session with this id, its idle clock reset; `nil` when unknown, idle too long, or past its end.
    func session(_ id: String, now: Date) async throws -> Session? {
        let key = Self.hash(id)
        guard let row = try await state.session(idHash: key) else { return nil }
        guard now.timeIntervalSince(row.lastSeen) <= idleTimeout, now < row.expires,
              var session = try? StoredSession.decode(row.payload, id: id, lastSeen: row.lastSeen, expires: row.expires) else {
            try await state.deleteSession(idHash: key)
            return nil
        }
        session.lastSeen = now
        try await save(session)
        return session
    }

    /// Saves what changed in a live session; an ended one stays ended.
    func update(_ session: Session) async throws {
        guard try await state.session(idHash: Self.hash(session.id)) != nil else { return }
        try await save(session)
    }

    func end(_ id: String) async throws {
        try await state.deleteSession(idHash: Self.hash(id))
    }

    private func save(_ session: Session) async throws {
        try await state.save(PortalSessionRow(idHash: Self.hash(session.id), payload: try StoredSession.encode(session),
                                              lastSeen: session.lastSeen, expires: session.expires))
    }

    /// What the store keys a session by: the SHA-256 of its id (hex).
    static func hash(_ id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes, base64url: unguessable session ids and CSRF tokens.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// An emergency declared in the professional web access (*bris de glace*, or a Centre 15 regulator's
/// call about a patient): it names the one record it was declared for, so that opening or finding
/// another patient is back in normal mode and needs a declaration of its own (DOMAIN.md, Emergency
/// access; CSP L1111-17: the access is about *this* person, unable to express their will, or the
/// person a call is received about).
/// A visit to one record: the reader's access before it began (``RecordService/previousAccess(to:by:before:)``).
struct PortalVisit: Sendable, Equatable, Codable {
    let record: RecordID
    let previous: Date?
}

struct PortalEmergency: Sendable, Equatable {
    let record: RecordID
    let mode: AccessMode
    let reason: String
}

/// One-time sign-in codes: six digits, valid ten minutes, five tries, one use; only their hash is
/// kept, under the hash of the INS. At most five codes per INS per quarter of an hour, so the outbox
/// cannot be used to spam. Kept in the store (``PortalStateStorage``): a code sent by one node is
/// accepted by another, and the limits hold across nodes.
struct SignInCodes: Sendable {
    let state: PortalStateStorage

    static let validity: TimeInterval = 600
    static let maximumAttempts = 5
    static let maximumRequests = 5
    static let requestWindow: TimeInterval = 900

    /// A new code for `ins`, or `nil` when too many were asked for lately.
    func issue(for ins: String, now: Date) async throws -> String? {
        let key = Self.insKey(ins)
        let since = now.addingTimeInterval(-Self.requestWindow)
        guard try await state.codeRequests(insKey: key, since: since).count < Self.maximumRequests else { return nil }
        // Counted again with this request in: two asked at once on two nodes cannot both pass the limit.
        guard try await state.addCodeRequest(insKey: key, at: now, since: since).count <= Self.maximumRequests else { return nil }
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        try await state.save(SignInCodeRow(insKey: key, codeHash: Self.hash(code, ins), expires: now.addingTimeInterval(Self.validity), attempts: 0))
        return code
    }

    /// How long until a new code may be asked for `ins` (the oldest of the window's codes leaves it);
    /// `nil` while one may. Said to whoever asked, whether or not the INS has a record: the limit
    /// counts the INS typed, never a record (issue 16.5).
    func waitBeforeNextCode(for ins: String, now: Date) async throws -> TimeInterval? {
        let recent = try await state.codeRequests(insKey: Self.insKey(ins), since: now.addingTimeInterval(-Self.requestWindow))
        guard recent.count >= Self.maximumRequests, let oldest = recent.oldest else { return nil }
        return max(1, oldest.addingTimeInterval(Self.requestWindow).timeIntervalSince(now))
    }

    /// Whether `code` is the live code for `ins`; a right code is used up, a wrong one counts.
    func verify(_ code: String, for ins: String, now: Date) async throws -> Bool {
        let key = Self.insKey(ins)
        guard let entry = try await state.takeCodeAttempt(insKey: key) else { return false }
        guard now < entry.expires, entry.attempts < Self.maximumAttempts else {
            try await state.deleteCode(insKey: key)
            return false
        }
        let given = Self.hash(code.trimmingCharacters(in: .whitespaces), ins)
        // Compare the hashes in constant time.
        var difference: UInt8 = 0
        for (a, b) in zip(given, entry.codeHash) { difference |= a ^ b }
        let matches = difference == 0 && given.count == entry.codeHash.count
        if matches { try await state.deleteCode(insKey: key) }
        return matches
    }

    /// What the store keys an INS's codes by: never the INS itself.
    static func insKey(_ ins: String) -> String {
        SHA256.hash(data: Data("carnet-sign-in:\(ins)".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func hash(_ code: String, _ ins: String) -> Data {
        Data(SHA256.hash(data: Data("\(ins):\(code)".utf8)))
    }
}
