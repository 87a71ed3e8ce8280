import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 16.5: past the fifth code in a quarter of an hour, the page says that too many codes were
/// asked and when to try again (French, English with the switch) instead of "a code was sent" — in
/// the same words for an INS without a record — and the refusal is audited.
@Suite("Portal sign-in code limit")
struct PortalSignInLimitTests {
    /// The sign-in page's answer to the sixth code asked for `ins` within the window.
    static func sixthAnswer(_ client: any TestClientProtocol, ins: INS, english: Bool = false) async throws -> TestResponse {
        let jar = PortalRoutesTests.Jar()
        if english { jar.cookies["carnet_lang"] = "en" }
        let page = try await jar.get(client, "/portal/patient/sign-in")
        for attempt in 1...5 {
            let answer = try await jar.post(client, "/portal/patient/sign-in", ["_csrf": PortalRoutesTests.csrf(in: page), "ins": ins.value])
            #expect(answer.status == .ok, "code \(attempt) is sent")
        }
        return try await jar.post(client, "/portal/patient/sign-in", ["_csrf": PortalRoutesTests.csrf(in: page), "ins": ins.value])
    }

    @Test("the sixth code is refused in words, with when to retry, alike with and without a record", arguments: TestEngine.available)
    func tooManyCodes(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let refused = try await Self.sixthAnswer(client, ins: .fixture())
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { $0 > 0 && $0 <= 900 } == true)
            #expect(refused.text.contains("Trop de codes ont été demandés pour cet INS") && refused.text.contains("Réessayez dans 15 minute(s)"))
            #expect(!refused.text.contains("vient d'être envoyé"), "no longer says that a code was sent")
            #expect(try await store.notifications(recordID: recordID).filter { $0.notification.kind == .signInCode }.count == 5)
            let audit = try await store.auditEvents(recordID: recordID, limit: 50)
            #expect(audit.contains { $0.action == .requestSignInCode && $0.outcome == .denied })

            // An INS without a record: the same answer.
            let unknown = try await Self.sixthAnswer(client, ins: .fixture(7))
            #expect(unknown.status == refused.status)
            func message(_ page: TestResponse) -> String {
                page.text.components(separatedBy: "<main").last?.replacingOccurrences(of: #"value="[^"]*""#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"\d{1,2}:\d{2}"#, with: "", options: .regularExpression) ?? ""
            }
            #expect(message(unknown) == message(refused))

            let english = try await Self.sixthAnswer(client, ins: .fixture(8), english: true)
            #expect(english.text.contains("Too many codes were asked for this INS") && english.text.contains("Try again in 15 minute(s)"))
        }
    }
}
