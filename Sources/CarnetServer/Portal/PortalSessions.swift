import CarnetCore
import Crypto
import Foundation

/// The portals' signed-in sessions, held in memory: a random id in an HttpOnly cookie, the actor it
/// stands for, a CSRF token for its forms, an idle timeout, and an absolute end: the session's
/// lifetime, or sooner the expiry of the token that opened it, so that a session never outlives the
/// credential it came from (issue 23.12). A restart signs everybody out, the safe failure for a session store.
actor PortalSessions {
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

    private var sessions: [String: Session] = [:]
    let idleTimeout: TimeInterval
    let lifetime: TimeInterval

    init(idleTimeout: TimeInterval, lifetime: TimeInterval = 12 * 3600) {
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
    }

    /// - Parameter credentialExpiry: when the credential that opened the session expires (a pasted
    ///   token's `exp`); the session ends then at the latest.
    func start(for actor: Actor, credentialExpiry: Date? = nil, now: Date) -> Session {
        sweep(now: now)
        let end = min(now.addingTimeInterval(lifetime), credentialExpiry ?? .distantFuture)
        let session = Session(id: Self.randomToken(), actor: actor, csrfToken: Self.randomToken(), lastSeen: now, expires: end)
        sessions[session.id] = session
        return session
    }

    /// The live session with this id, its idle clock reset; `nil` when unknown, idle too long, or past its end.
    func session(_ id: String, now: Date) -> Session? {
        guard var session = sessions[id] else { return nil }
        guard now.timeIntervalSince(session.lastSeen) <= idleTimeout, now < session.expires else {
            sessions[id] = nil
            return nil
        }
        session.lastSeen = now
        sessions[id] = session
        return session
    }

    func update(_ session: Session) {
        guard sessions[session.id] != nil else { return }
        sessions[session.id] = session
    }

    func end(_ id: String) {
        sessions[id] = nil
    }

    private func sweep(now: Date) {
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) <= idleTimeout && now < $0.value.expires }
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
struct PortalEmergency: Sendable, Equatable {
    let record: RecordID
    let mode: AccessMode
    let reason: String
}

/// One-time sign-in codes: six digits, valid ten minutes, five tries, one use; only their hash is
/// kept. At most five codes per INS per quarter of an hour, so the outbox cannot be used to spam.
actor SignInCodes {
    struct Pending {
        var hash: Data
        var expires: Date
        var attempts: Int
    }

    static let validity: TimeInterval = 600
    static let maximumAttempts = 5
    static let maximumRequests = 5
    static let requestWindow: TimeInterval = 900

    private var pending: [String: Pending] = [:]
    private var requests: [String: [Date]] = [:]

    /// A new code for `ins`, or `nil` when too many were asked for lately.
    func issue(for ins: String, now: Date) -> String? {
        let recent = (requests[ins] ?? []).filter { now.timeIntervalSince($0) < Self.requestWindow }
        guard recent.count < Self.maximumRequests else { return nil }
        requests[ins] = recent + [now]
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        pending[ins] = Pending(hash: Self.hash(code, ins), expires: now.addingTimeInterval(Self.validity), attempts: 0)
        return code
    }

    /// How long until a new code may be asked for `ins` (the oldest of the window's codes leaves it);
    /// `nil` while one may. Said to whoever asked, whether or not the INS has a record: the limit
    /// counts the INS typed, never a record (issue 16.5).
    func waitBeforeNextCode(for ins: String, now: Date) -> TimeInterval? {
        let recent = (requests[ins] ?? []).filter { now.timeIntervalSince($0) < Self.requestWindow }
        guard recent.count >= Self.maximumRequests, let oldest = recent.min() else { return nil }
        return max(1, oldest.addingTimeInterval(Self.requestWindow).timeIntervalSince(now))
    }

    /// Whether `code` is the live code for `ins`; a right code is used up, a wrong one counts.
    func verify(_ code: String, for ins: String, now: Date) -> Bool {
        guard var entry = pending[ins], now < entry.expires, entry.attempts < Self.maximumAttempts else {
            pending[ins] = nil
            return false
        }
        let given = Self.hash(code.trimmingCharacters(in: .whitespaces), ins)
        // Compare the hashes in constant time.
        let matches = zip(given, entry.hash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0 && given.count == entry.hash.count
        if matches {
            pending[ins] = nil
        } else {
            entry.attempts += 1
            pending[ins] = entry
        }
        return matches
    }

    private static func hash(_ code: String, _ ins: String) -> Data {
        Data(SHA256.hash(data: Data("\(ins):\(code)".utf8)))
    }
}
