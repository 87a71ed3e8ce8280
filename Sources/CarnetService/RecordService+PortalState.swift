public import CarnetStore
public import Foundation

/// The portals' own state (sessions, one-time sign-in codes), kept in the store so that every node
/// of a service sees it (issue 17). It holds no health data and decides nothing: the portal's session
/// logic reads and writes it; every access to health data made in a session still goes through the door.
public struct PortalStateStorage: Sendable {
    let store: any RecordStore

    public func save(_ session: PortalSessionRow) async throws { try await store.savePortalSession(session) }
    public func session(idHash: String) async throws -> PortalSessionRow? { try await store.portalSession(idHash: idHash) }
    public func deleteSession(idHash: String) async throws { try await store.deletePortalSession(idHash: idHash) }
    public func deleteExpired(idleSince: Date, now: Date) async throws { try await store.deleteExpiredPortalSessions(idleSince: idleSince, now: now) }

    public func addCodeRequest(insKey: String, at: Date, since: Date) async throws -> (count: Int, oldest: Date?) {
        try await store.addSignInCodeRequest(insKey: insKey, at: at, since: since)
    }
    public func codeRequests(insKey: String, since: Date) async throws -> (count: Int, oldest: Date?) {
        try await store.signInCodeRequests(insKey: insKey, since: since)
    }
    public func save(_ code: SignInCodeRow) async throws { try await store.saveSignInCode(code) }
    public func takeCodeAttempt(insKey: String) async throws -> SignInCodeRow? { try await store.takeSignInCodeAttempt(insKey: insKey) }
    public func deleteCode(insKey: String) async throws { try await store.deleteSignInCode(insKey: insKey) }
}

extension RecordService {
    /// Where the portals keep their sessions and sign-in codes.
    public var portalState: PortalStateStorage { PortalStateStorage(store: store) }
}
