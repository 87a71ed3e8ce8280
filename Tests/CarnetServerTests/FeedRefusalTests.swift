import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 15: the feed's "insurer only" is the policy's rule, asked by the door before a byte of the
/// feed is spooled, and every refusal is audited.
@Suite("Feed refusals")
struct FeedRefusalTests {
    @Test("a professional or an agent posting a feed is refused by the policy, audited, and nothing is spooled", arguments: TestEngine.available)
    func refusedFeed(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let body = ByteBuffer(string: #"{"claimId": "X1", "ins": "285077500101121", "serviceDate": "2026-01-01", "code": "C", "label": "synthetic"}"#)
            for actor in [Actor.doctor(), .agent] {
                let refused = try await client.execute(uri: "/fhir/$import-claims", method: .post,
                                                       headers: try await tokens.bearer(actor) + [.contentType: "application/x-ndjson"], body: body)
                #expect(refused.status == .forbidden && refused.text.contains("not allowed"), "\(refused.text)")
                #expect(refused.headers[.contentLocation] == nil)
            }
            let events: [AuditEvent] = try await store.chainedAuditEvents(after: nil, limit: 1_000).map(\.event)
            let refusals = events.filter { event in
                event.action == .importCareHistory && event.outcome == .denied && event.rule == AccessRule.roleNotAllowed
            }
            let kinds: Set<Actor.Kind> = Set(refusals.map(\.actorKind))
            #expect(kinds == [.professional, .agent])
        }
    }
}
