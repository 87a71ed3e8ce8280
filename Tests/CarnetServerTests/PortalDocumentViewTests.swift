import CarnetCore
import CarnetFHIR
@testable import CarnetPortal
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Documents as people read them in the portal: a PDF in the page (framed from Carnet only), an
/// image, a CDA through its human-readable narrative; and the demo's synthetic files of each kind.
@Suite("Portal document views")
struct PortalDocumentViewTests {
    /// Pushes `content` as a document of `contentType`, by the test physician; its id.
    static func push(_ client: any TestClientProtocol, _ tokens: Tokens, _ content: Data, _ contentType: String,
                     type: String = "11488-4") async throws -> String {
        let body = String(buffer: DocumentRoutesTests.documentBody(type: type, content: "x", contentType: contentType))
            .replacingOccurrences(of: Data("x".utf8).base64EncodedString(), with: content.base64EncodedString())
        let pushed = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), ByteBuffer(string: body))
        return try #require(pushed.json["id"] as? String, "\(pushed.text.prefix(300))")
    }

    @Test("a PDF is framed in the page from Carnet only, an image shown, a CDA read through its sections")
    func views() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let pdf = try await Self.push(client, tokens, DemoFiles.pdf(lines: ["Synthetic PDF"]), "application/pdf")
            let image = try await Self.push(client, tokens, DemoFiles.png(), "image/png")
            let cda = try await Self.push(client, tokens, DemoFiles.cda(title: "Lettre (synthétique)", sections: [("Traitement de sortie", ["Rien de nouveau."])]),
                                          "text/xml", type: "11490-0")
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)

            let pdfPage = try await jar.get(client, "/portal/patient/documents/\(pdf)")
            #expect(pdfPage.text.contains("<iframe class=\"document\" src=\"/portal/patient/documents/\(pdf)/content\""))
            #expect(pdfPage.headers[.contentSecurityPolicy]?.contains("frame-src 'self'") == true)
            #expect(pdfPage.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "the page itself is framed by no one")
            let pdfContent = try await jar.get(client, "/portal/patient/documents/\(pdf)/content")
            #expect(pdfContent.headers[.contentType] == "application/pdf" && pdfContent.headers[.contentSecurityPolicy] == "frame-ancestors 'self'")
            #expect(pdfContent.headers[PortalMiddleware.frameOptions] == "SAMEORIGIN")

            let imagePage = try await jar.get(client, "/portal/patient/documents/\(image)")
            #expect(imagePage.text.contains("<img src=\"/portal/patient/documents/\(image)/content\""))
            let imageContent = try await jar.get(client, "/portal/patient/documents/\(image)/content")
            #expect(imageContent.headers[PortalMiddleware.frameOptions] == "DENY" && imageContent.headers[.contentSecurityPolicy]?.contains("sandbox") == true)

            let cdaPage = try await jar.get(client, "/portal/patient/documents/\(cda)")
            #expect(cdaPage.text.contains("Document CDA structuré : ses sections")
                    && cdaPage.text.contains("<section class=\"cda-section\"><h3>Traitement de sortie</h3>"), "its sections, as HTML (issue 18)")
            #expect(!cdaPage.text.contains("ClinicalDocument"), "the narrative, not the XML")

            let home = try await jar.get(client, "/portal/patient")
            #expect(home.headers[.contentSecurityPolicy]?.contains("frame-src") == false,
                    "no other page may frame anything")
        }
    }

    @Test("22: a CDA level 1 document whose nonXMLBody carries a PDF is shown as that PDF, decoded, not as base64 text")
    func cdaLevelOne() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let pdf = DemoFiles.pdf(lines: ["Synthetic PDF inside a CDA"])
            let cda = Data(("""
                <?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Compte rendu (synthetic)</title>
                <component><nonXMLBody><text mediaType="application/pdf" representation="B64">
                """ + pdf.base64EncodedString(options: .lineLength76Characters) + "</text></nonXMLBody></component></ClinicalDocument>").utf8)
            let id = try await Self.push(client, tokens, cda, "application/xml")
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let page = try await jar.get(client, "/portal/patient/documents/\(id)")
            #expect(page.text.contains("<iframe class=\"document\" src=\"/portal/patient/documents/\(id)/content?embedded=pdf\""), "\(page.text.prefix(2000))")
            #expect(!page.text.contains(pdf.base64EncodedString().prefix(40)), "not its base64 text")
            let embedded = try await jar.get(client, "/portal/patient/documents/\(id)/content?embedded=pdf")
            #expect(embedded.status == .ok && embedded.headers[.contentType] == "application/pdf" && Data(embedded.body.readableBytesView) == pdf)
            #expect(embedded.headers[.contentSecurityPolicy] == "frame-ancestors 'self'")
            let whole = try await jar.get(client, "/portal/patient/documents/\(id)/content")
            #expect(whole.headers[.contentType] == "application/xml", "the document itself stays the CDA")
            let none = try await Self.push(client, tokens, Data(TransactionRoutesTests.cda1.utf8), "application/xml")
            #expect(try await jar.get(client, "/portal/patient/documents/\(none)/content?embedded=pdf").status == .notFound)
        }
    }

    @Test("the demo's synthetic files are what their type says")
    func demoFiles() throws {
        let pdf = DemoFiles.pdf(lines: ["Compte rendu (synthétique)", "a (parenthesis) and a \\ backslash"])
        #expect(ContentInspection.problem(with: pdf, mediaType: "application/pdf") == nil)
        let trailer = String(decoding: pdf.suffix(40), as: UTF8.self)
        let xref = try #require(Int(trailer.split(separator: "\n").dropLast().last ?? ""))
        #expect(pdf[xref..<(xref + 4)] == Data("xref".utf8), "startxref points at the cross-reference table")
        let png = DemoFiles.png(width: 300, height: 250)
        #expect(ContentInspection.problem(with: png, mediaType: "image/png") == nil)
        #expect(png.count > 300 * 250, "uncompressed pixels, in more than one deflate block")
        let cda = DemoFiles.cda(title: "T & <t>", sections: [("S", ["p"])])
        #expect(ContentInspection.problem(with: cda, mediaType: "text/xml") == nil)
        #expect(CDANarrative.text(of: cda) == "T & <t>\nS\np", "the title and the section, text unescaped once")
    }
}
