import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Layout the pages' own Content-Security-Policy allows: only Carnet's style sheet styles them
/// (`style-src 'self'` blocks inline style attributes), and it keeps images and charts within a
/// phone's width (the browser suite measures a 375-px screen).
@Suite("Portal layout")
struct PortalLayoutTests {
    @Test("no page carries an inline style; the style sheet bounds images and charts to the screen")
    func noInlineStyles() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            // A PNG signature and nothing else: enough for the content check and for the page to show it as an image.
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).base64EncodedString()
            let body = String(buffer: DocumentRoutesTests.documentBody(content: "x", contentType: "image/png"))
                .replacingOccurrences(of: Data("x".utf8).base64EncodedString(), with: png)
            let pushed = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), ByteBuffer(string: body))
            let document = try #require(pushed.json["id"] as? String, "\(pushed.text.prefix(300))")
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            for path in ["/portal/patient", "/portal/patient/documents", "/portal/patient/documents/\(document)", "/portal/patient/summary",
                         "/portal/patient/access", "/portal/patient/history", "/portal/patient/record", "/portal"] {
                let page = try await jar.get(client, path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains(" style="), "\(path) has an inline style the page's own policy blocks")
                #expect(page.headers[.contentSecurityPolicy]?.contains("style-src 'self'") == true)
            }
            #expect(try await jar.get(client, "/portal/patient/documents/\(document)").text.contains("<img src=\"/portal/patient/documents/\(document)/content\""))
            let css = try await client.execute(uri: "/portal/assets/carnet.css", method: .get)
            #expect(css.text.contains("img, svg, iframe, object, video { max-width: 100%; }"))
        }
    }
}
