import CarnetCore
import CarnetService
@testable import CarnetPortal
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The portals through the real router (the browser suite, scripts/browser-tests, drives them in
/// Chromium): sign-in by a one-time code taken from the notification outbox, sessions and CSRF,
/// escaping, security headers, and refusals shown as pages.
@Suite("Portals")
struct PortalRoutesTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// A browser's cookie jar, enough for these tests.
    final class Jar: @unchecked Sendable {
        var cookies: [String: String] = [:]

        var header: HTTPFields {
            cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
        }

        func take(_ response: TestResponse) {
            for value in response.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
                if value.contains("Max-Age=0") { cookies[String(pair[0])] = nil }
            }
        }

        func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
            let response = try await client.execute(uri: uri, method: .get, headers: header)
            take(response)
            return response
        }

        func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [String: String]) async throws -> TestResponse {
            let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            let response = try await client.execute(uri: uri, method: .post, headers: header + PortalRoutesTests.form, body: ByteBuffer(string: body))
            take(response)
            return response
        }
    }

    static func csrf(in page: TestResponse) -> String {
        let text = page.text
        guard let range = text.range(of: #"name="_csrf" value=""#) else { return "" }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Signs the holder of `ins` in, reading the code from the outbox as their mailbox would.
    static func signIn(_ client: any TestClientProtocol, _ store: any RecordStore, _ jar: Jar, ins: INS, recordID: RecordID) async throws {
        let page = try await jar.get(client, "/portal/patient/sign-in")
        let requested = try await jar.post(client, "/portal/patient/sign-in", ["_csrf": csrf(in: page), "ins": ins.value])
        #expect(requested.status == .ok, "\(requested.text.prefix(300))")
        let message = try await store.notifications(recordID: recordID).last { $0.notification.kind == .signInCode }?.notification.message ?? ""
        let code = String(message.split(separator: ":").last?.prefix { $0 != "." }.trimmingCharacters(in: .whitespaces) ?? "")
        let signedIn = try await jar.post(client, "/portal/patient/verify", ["_csrf": csrf(in: page), "ins": ins.value, "code": code])
        #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/portal/patient", "\(signedIn.status) \(signedIn.text.prefix(300))")
        #expect(signedIn.headers[values: .setCookie].contains { $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
    }

    @Test("a one-time code from the outbox opens a session; pages are escaped and carry the security headers", arguments: TestEngine.available)
    func signInAndPages(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let author = try await tokens.bearer(.doctor("99700000011"))
            _ = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()
                .replacingTitle(with: "<script>alert(1)</script>"))
            let jar = Jar()
            #expect(try await jar.get(client, "/portal/patient").status == .seeOther, "no session: to the sign-in page")
            try await Self.signIn(client, store, jar, ins: .fixture(), recordID: recordID)

            let documents = try await jar.get(client, "/portal/patient/documents")
            #expect(documents.status == .ok && documents.headers[.contentType] == "text/html; charset=utf-8")
            #expect(documents.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !documents.text.contains("<script>alert"))
            #expect(documents.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(documents.headers[.xContentTypeOptions] == "nosniff")
            for path in ["/portal/patient", "/portal/patient/summary", "/portal/patient/access", "/portal/patient/history", "/portal/patient/record"] {
                #expect(try await jar.get(client, path).status == .ok, "\(path)")
            }

            // A form without the session's token changes nothing.
            let forged = try await jar.post(client, "/portal/patient/access", ["_csrf": "forged", "action": "block", "rpps": "99700000022"])
            #expect(forged.status == .forbidden)
            let access = try await jar.get(client, "/portal/patient/access")
            #expect(!access.text.contains("RPPS 99700000022"))
            let blocked = try await jar.post(client, "/portal/patient/access", ["_csrf": Self.csrf(in: access), "action": "block", "rpps": "99700000022"])
            #expect(blocked.status == .seeOther)
            #expect(try await jar.get(client, "/portal/patient/access").text.contains("RPPS 99700000022"))
            let bad = try await jar.post(client, "/portal/patient/access", ["_csrf": Self.csrf(in: access), "action": "block", "rpps": "12"])
            #expect(bad.status == .badRequest && bad.text.contains("RPPS"))

            // A document added from the portal: the bytes must be what their type says.
            let documentsPage = try await jar.get(client, "/portal/patient/documents")
            func upload(_ filename: String, _ type: String, _ content: String) async throws -> TestResponse {
                let boundary = "----carnet-test-boundary"
                var body = ""
                for (name, value) in [("_csrf", Self.csrf(in: documentsPage)), ("type", "DOCPAT03"), ("title", "Mon compte rendu"), ("date", "2026-10-01")] {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
                let response = try await client.execute(uri: "/portal/patient/documents", method: .post,
                                                        headers: jar.header + [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body))
                return response
            }
            let fake = try await upload("report.pdf", "application/pdf", "not a pdf")
            #expect(fake.status == .badRequest && fake.text.contains("ne correspond pas"), "\(fake.text.prefix(300))")
            let uploaded = try await upload("report.txt", "text/plain", "Compte rendu saisi par la patiente (synthétique).")
            #expect(uploaded.status == .seeOther, "\(uploaded.text.prefix(300))")
            let shown = try await jar.get(client, uploaded.headers[.location] ?? "/")
            #expect(shown.text.contains("Compte rendu saisi par la patiente"))

            // Signed out, the session is gone.
            #expect(try await jar.post(client, "/portal/sign-out", ["_csrf": Self.csrf(in: access)]).status == .seeOther)
            #expect(try await jar.get(client, "/portal/patient").status == .seeOther)
        }
    }

    @Test("wrong codes are counted, an unknown INS is answered as a known one, a professional's token opens the web access")
    func signInRefusals() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let jar = Jar()
            let page = try await jar.get(client, "/portal/patient/sign-in")
            let token = Self.csrf(in: page)
            #expect(try await jar.post(client, "/portal/patient/sign-in", ["ins": INS.fixture().value]).status == .forbidden, "no CSRF token")
            let unknown = try await jar.post(client, "/portal/patient/sign-in", ["_csrf": token, "ins": INS.fixture(7).value])
            let known = try await jar.post(client, "/portal/patient/sign-in", ["_csrf": token, "ins": INS.fixture().value])
            #expect(unknown.status == .ok && known.status == .ok)
            #expect(unknown.text.replacingOccurrences(of: INS.fixture(7).value, with: "") == known.text.replacingOccurrences(of: INS.fixture().value, with: ""),
                    "the answer does not say whether a record exists")
            let badINS = try await jar.post(client, "/portal/patient/sign-in", ["_csrf": token, "ins": "123"])
            #expect(badINS.status == .badRequest && badINS.text.contains("aria-invalid"))
            for _ in 0..<5 {
                #expect(try await jar.post(client, "/portal/patient/verify", ["_csrf": token, "ins": INS.fixture().value, "code": "000000"]).status == .badRequest)
            }
            let message = try await store.notifications(recordID: recordID).last { $0.notification.kind == .signInCode }?.notification.message ?? ""
            let code = String(message.split(separator: ":").last?.prefix { $0 != "." }.trimmingCharacters(in: .whitespaces) ?? "")
            #expect(try await jar.post(client, "/portal/patient/verify", ["_csrf": token, "ins": INS.fixture().value, "code": code]).status == .badRequest,
                    "after five wrong tries even the right code is refused")

            let proPage = try await jar.get(client, "/portal/pro/sign-in")
            let doctor = try await tokens.bearer(.doctor("99700000011"))
            let bearer = String(doctor[.authorization]?.dropFirst("Bearer ".count) ?? "")
            #expect(try await jar.post(client, "/portal/pro/sign-in", ["_csrf": Self.csrf(in: proPage), "token": "nonsense"]).status == .badRequest)
            let signedIn = try await jar.post(client, "/portal/pro/sign-in", ["_csrf": Self.csrf(in: proPage), "token": bearer])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/portal/pro")
            let find = try await jar.get(client, "/portal/pro")
            let found = try await jar.post(client, "/portal/pro/find", ["_csrf": Self.csrf(in: find), "ins": INS.fixture().value])
            #expect(found.status == .ok && found.text.contains("MARTIN"), "\(found.text.prefix(400))")
            let wrongKey = try await jar.post(client, "/portal/pro/find", ["_csrf": Self.csrf(in: find), "ins": String(INS.fixture().value.prefix(13)) + "00"])
            #expect(wrongKey.status == .badRequest)
        }
    }

    @Test("sessions end after their idle time; sign-in codes are one use", arguments: TestEngine.available)
    func sessionsAndCodes(_ engine: TestEngine) async throws {
        try await withPortalState(engine) { state async throws in
            let sessions = PortalSessions(state: state, idleTimeout: 60)
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded())
            let session = try await sessions.start(for: .patient(.fixture()), now: start)
            #expect(try await sessions.session(session.id, now: start.addingTimeInterval(50)) != nil)
            #expect(try await sessions.session(session.id, now: start.addingTimeInterval(100)) != nil, "each request resets the idle clock")
            #expect(try await sessions.session(session.id, now: start.addingTimeInterval(200)) == nil)
            #expect(session.id.count >= 43 && session.csrfToken != session.id)
            // The store keeps the hash of a session's id, never the id: a copy of the table opens no session.
            #expect(try await state.session(idHash: session.id) == nil)

            let codes = SignInCodes(state: state)
            let code = try await codes.issue(for: "x", now: start) ?? ""
            #expect(try await codes.verify(code, for: "x", now: start.addingTimeInterval(10)))
            #expect(try await !codes.verify(code, for: "x", now: start.addingTimeInterval(11)), "used up")
            let late = try await codes.issue(for: "y", now: start) ?? ""
            #expect(try await !codes.verify(late, for: "y", now: start.addingTimeInterval(SignInCodes.validity + 1)), "expired")
            for _ in 0..<4 { _ = try await codes.issue(for: "y", now: start) }
            #expect(try await codes.issue(for: "y", now: start) == nil, "five codes a quarter of an hour at most")
            // Five wrong tries use a code up, the right one included.
            let guessed = try await codes.issue(for: "z", now: start) ?? ""
            for _ in 0..<5 { #expect(try await !codes.verify("000000" == guessed ? "111111" : "000000", for: "z", now: start)) }
            #expect(try await !codes.verify(guessed, for: "z", now: start), "five wrong tries end the code")
        }
    }

    @Test("HTML interpolation escapes text and keeps markup")
    func escaping() {
        let text = #"<a href="x">'&'</a>"#
        let page: HTML = "<p title=\"\(text)\">\(text)</p>\(HTML.trusted("<br>"))"
        #expect(page.description == "<p title=\"&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\">&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</p><br>")
    }
}

extension ByteBuffer {
    /// The test document with another `description` (its title on the portal).
    func replacingTitle(with title: String) -> ByteBuffer {
        ByteBuffer(string: String(buffer: self).replacingOccurrences(of: "\"description\": \"Compte rendu (synthetic)\"",
                                                                     with: "\"description\": \"\(title)\""))
    }
}
