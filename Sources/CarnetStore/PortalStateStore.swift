public import Foundation

/// Where the portals keep their own state — signed-in sessions and one-time sign-in codes — so that
/// every node of a service sees it (issue 17: a patient signed in on one node continues on another;
/// a restart signs no one out). It holds no health data: a session is an actor and a CSRF token, kept
/// under the hash of its id (a copy of the table opens no session); a code is kept as its hash, under
/// the hash of the INS it was sent for.
public protocol PortalStateStore: Sendable {
    /// Inserts the session, or replaces the one with the same id hash.
    func savePortalSession(_ session: PortalSessionRow) async throws

    func portalSession(idHash: String) async throws -> PortalSessionRow?

    func deletePortalSession(idHash: String) async throws

    /// Forgets the sessions idle since before `idleSince` or ended at `now`.
    func deleteExpiredPortalSessions(idleSince: Date, now: Date) async throws

    /// Records that a code was asked for `insKey` at `at`, and returns how many were asked since `since`
    /// (this one included), and the oldest of them: the sign-in code limit, shared by every node.
    func addSignInCodeRequest(insKey: String, at: Date, since: Date) async throws -> (count: Int, oldest: Date?)

    /// The requests for `insKey` since `since`: how many, and the oldest.
    func signInCodeRequests(insKey: String, since: Date) async throws -> (count: Int, oldest: Date?)

    /// Replaces the live code of `insKey`.
    func saveSignInCode(_ code: SignInCodeRow) async throws

    /// Counts one attempt on the live code of `insKey` and returns it as it was before this attempt, in
    /// one step (concurrent guesses on several nodes are each counted).
    func takeSignInCodeAttempt(insKey: String) async throws -> SignInCodeRow?

    func deleteSignInCode(insKey: String) async throws
}

/// A portal session as stored: the hash of its id, what it stands for (JSON the portal reads), and its clocks.
public struct PortalSessionRow: Sendable, Equatable {
    public var idHash: String
    public var payload: Data
    public var lastSeen: Date
    public var expires: Date

    public init(idHash: String, payload: Data, lastSeen: Date, expires: Date) {
        self.idHash = idHash
        self.payload = payload
        self.lastSeen = lastSeen
        self.expires = expires
    }
}

/// A live one-time sign-in code, as its hash.
public struct SignInCodeRow: Sendable, Equatable {
    public var insKey: String
    public var codeHash: Data
    public var expires: Date
    public var attempts: Int

    public init(insKey: String, codeHash: Data, expires: Date, attempts: Int) {
        self.insKey = insKey
        self.codeHash = codeHash
        self.expires = expires
        self.attempts = attempts
    }
}
