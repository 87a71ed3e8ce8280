import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The document upload's body, read as it streams in (multipart-kit): a body that does not parse, is
/// cut short or comes from another site is refused with a page saying so and nothing added; a file
/// over the limit is refused with the form shown again, the rest of the body never kept.
@Suite("Portal upload input")
struct PortalUploadInputTests {
    typealias Jar = PortalRoutesTests.Jar
    static let boundary = "----carnet-test-boundary"

    static func body(csrf: String, file: String) -> String {
        var body = ""
        for (name, value) in [("_csrf", csrf), ("type", "DOCPAT03"), ("title", "Mon compte rendu"), ("date", "2026-10-01")] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cr.txt\"\r\nContent-Type: text/plain\r\n\r\n\(file)\r\n"
        return body + "--\(boundary)--\r\n"
    }

    static func post(_ client: any TestClientProtocol, _ jar: Jar, _ body: String, contentType: String = "multipart/form-data; boundary=\(boundary)")
        async throws -> TestResponse {
        try await client.execute(uri: "/portal/patient/documents", method: .post, headers: jar.header + [.contentType: contentType],
                                 body: ByteBuffer(string: body))
    }

    @Test("missing boundary, truncated body, wrong CSRF and an oversize file are refused cleanly; a good upload still lands")
    func badBodies() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/documents"))
            let listed = { try await jar.get(client, "/portal/patient/documents").text.contains("Mon compte rendu") }
            #expect(try await listed() == false)

            let good = Self.body(csrf: csrf, file: "Compte rendu (synthétique).")
            let noBoundary = try await Self.post(client, jar, good, contentType: "multipart/form-data")
            #expect(noBoundary.status == .badRequest && noBoundary.text.contains("incomplet"), "\(noBoundary.text.prefix(300))")
            let truncated = try await Self.post(client, jar, String(good.prefix(good.count - 30)))
            #expect(truncated.status == .badRequest && truncated.text.contains("incomplet"))
            let garbage = try await Self.post(client, jar, "--\(Self.boundary)\r\nno header line\r\n\r\nx\r\n--\(Self.boundary)--\r\n")
            #expect(garbage.status == .badRequest)
            // A non-ASCII byte in a part's header name: multipart-kit's parser would trap (a crash); a 400 page.
            let badHeader = try await Self.post(client, jar, "--\(Self.boundary)\r\nContent-Dispositi\u{e9}on: form-data; name=\"a\"\r\n\r\nx\r\n--\(Self.boundary)--\r\n")
            #expect(badHeader.status == .badRequest)
            let forged = try await Self.post(client, jar, Self.body(csrf: "wrong-token", file: "x"))
            #expect(forged.status == .forbidden && forged.text.contains("expiré"))
            // The test configuration's limit is 32 KiB: a 40 KiB file is refused beside its field, the form kept.
            let oversize = try await Self.post(client, jar, Self.body(csrf: csrf, file: String(repeating: "a", count: 40 * 1024)))
            #expect(oversize.status == .badRequest, "\(oversize.text.prefix(300))")
            #expect(oversize.text.contains("<div id=\"doc-file-error\"><p class=\"error\"") && oversize.text.contains("value=\"Mon compte rendu\""))
            // Far over it, reading stops: a page saying so, not the whole body read.
            let huge = try await Self.post(client, jar, Self.body(csrf: csrf, file: String(repeating: "a", count: 200 * 1024)))
            #expect(huge.status == .contentTooLarge)
            #expect(try await listed() == false, "nothing added by a refused upload")

            let added = try await Self.post(client, jar, good)
            #expect(added.status == .seeOther, "\(added.text.prefix(300))")
            #expect(try await listed())
            // The text fields, decoded by the framework like any form's, keep what URL encoding escapes.
            let escaped = Self.body(csrf: csrf, file: "x").replacingOccurrences(of: "Mon compte rendu", with: "R&D = 100 % + 1 ; été")
            #expect(try await Self.post(client, jar, escaped).status == .seeOther)
            #expect(try await jar.get(client, "/portal/patient/documents").text.contains("R&amp;D = 100 % + 1 ; été"))
        }
    }
}
