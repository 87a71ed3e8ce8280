import CarnetCore
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 23.12: a professional's portal session, opened by pasting a token, kept working after the
/// token expired (only the idle timeout ended it). Sessions now end at their absolute lifetime, and
/// never later than the token that opened them.
@Suite("Portal session lifetime")
struct PortalSessionLifetimeTests {
    @Test("a session opened with a token ends when the token expires, however active it is")
    func endsWithItsToken() async throws {
        let clock = TestClock()
        try await withCarnet(clock: clock) { client, tokens in
            let jar = PortalRoutesTests.Jar()
            let page = try await jar.get(client, "/portal/pro/sign-in")
            let shortLived = try await tokens.authority.mint(for: .doctor(), lifetime: 4, now: clock.now())
            let signedIn = try await jar.post(client, "/portal/pro/sign-in", ["_csrf": PortalRoutesTests.csrf(in: page), "token": shortLived])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/portal/pro")
            #expect(try await jar.get(client, "/portal/pro").status == .ok, "open while the token lives")
            // Keep it active (well within the idle timeout) until past the token's expiry.
            for _ in 0..<10 {
                clock.advance(by: 0.5)
                _ = try await jar.get(client, "/portal/pro")
            }
            let after = try await jar.get(client, "/portal/pro")
            #expect(after.status == .seeOther, "the session ended with its token: \(after.status)")
        }
    }

    @Test("a session ends at its absolute lifetime even when never idle; the idle timeout still holds")
    func absoluteLifetime() async throws {
        try await withPortalState(.sqlite) { state async throws in
            let sessions = PortalSessions(state: state, idleTimeout: 60, lifetime: 300)
            // On a whole millisecond, the precision the store keeps.
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded())
            let session = try await sessions.start(for: .patient(.fixture()), now: start)
            for minute in stride(from: 50, through: 250, by: 50) {
                #expect(try await sessions.session(session.id, now: start.addingTimeInterval(TimeInterval(minute))) != nil)
            }
            #expect(try await sessions.session(session.id, now: start.addingTimeInterval(300)) == nil, "past its lifetime, however active")
            let token = try await sessions.start(for: .doctor(), credentialExpiry: start.addingTimeInterval(30), now: start)
            #expect(try await sessions.session(token.id, now: start.addingTimeInterval(29)) != nil)
            #expect(try await sessions.session(token.id, now: start.addingTimeInterval(31)) == nil, "never beyond the token that opened it")
            let idle = try await sessions.start(for: .patient(.fixture()), now: start)
            #expect(try await sessions.session(idle.id, now: start.addingTimeInterval(61)) == nil)
        }
    }
}
