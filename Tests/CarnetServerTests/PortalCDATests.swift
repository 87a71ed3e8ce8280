import CarnetCore
@testable import CarnetPortal
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 18 in the portals: a level-3 CDA's sections as readable, safe HTML (headings, paragraphs,
/// lists, tables; every text escaped, narrative elements only), and a CDA upload that contradicts the
/// form said beside the field.
@Suite("Portal CDA")
struct PortalCDATests {
    /// A synthetic level-3 CDA (written for this test) whose narrative tries every trick a hostile one might.
    static let structured = Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:x="urn:example:other">
          <code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/>
          <title>Consultation (synthétique)</title>
          <component><structuredBody>
            <component><section ID="s1" style="color:red">
              <code code="29545-1" codeSystem="2.16.840.1.113883.6.1"/>
              <title>Examen clinique</title>
              <text>
                <paragraph styleCode="Bold" onclick="alert(1)">Tension <content styleCode="Bold">12/8</content>, &lt;script&gt;alert(1)&lt;/script&gt;</paragraph>
                <list listType="ordered"><item>Premier point</item><item>Second point</item></list>
                <table border="1"><thead><tr><th>Analyse</th><th>Résultat</th></tr></thead>
                  <tbody><tr><td colspan="2" style="x">Glycémie</td></tr><tr><td>HbA1c</td><td>6,1 %</td></tr></tbody></table>
                <linkHtml href="javascript:alert(1)">un lien</linkHtml>
                <renderMultiMedia referencedObject="img1"><caption>image omise</caption></renderMultiMedia>
                <x:script>alert(2)</x:script>
              </text>
              <entry><observation><value>hors narration</value></observation></entry>
              <component><section><title>Sous-section</title><text>Texte imbriqué</text></section></component>
            </section></component>
          </structuredBody></component>
        </ClinicalDocument>
        """.utf8)

    /// A professional's upload form, with a file.
    static func upload(_ client: any TestClientProtocol, _ jar: PortalRoutesTests.Jar, csrf: String, fields: [(String, String)],
                       file: (name: String, type: String, content: String)) async throws -> TestResponse {
        let boundary = "----carnet-test-boundary"
        var body = ""
        for (name, value) in [("_csrf", csrf)] + fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n\(file.content)\r\n"
        body += "--\(boundary)--\r\n"
        return try await client.execute(uri: "/portal/pro/upload", method: .post,
                                        headers: jar.header + [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body))
    }

    @Test("sections become headings, paragraphs, lists and tables; nothing but text and fixed tags comes from the document")
    func rendering() throws {
        let html = try #require(CDABodyHTML.render(Self.structured)).description
        #expect(html.contains("<section class=\"cda-section\"><h3>Examen clinique</h3><div class=\"cda-text\">"))
        #expect(html.contains("<p>Tension <strong>12/8</strong>, &lt;script&gt;alert(1)&lt;/script&gt;</p>"))
        #expect(html.contains("<ol><li>Premier point</li><li>Second point</li></ol>"))
        #expect(html.contains("<table><thead><tr><th>Analyse</th><th>Résultat</th></tr></thead>"))
        #expect(html.contains("<td colspan=\"2\">Glycémie</td>"))
        #expect(html.contains("<span>un lien</span>") && !html.contains("javascript") && !html.contains("href"))
        #expect(!html.contains("image omise") && !html.contains("hors narration"))
        #expect(!html.contains("onclick") && !html.contains("style") && !html.contains("<script") && html.contains("alert(2)"),
                "a foreign element keeps its text, escaped, and loses its tag")
        #expect(html.contains("<section class=\"cda-section\"><h4>Sous-section</h4><div class=\"cda-text\">Texte imbriqué</div></section></section>"))
    }

    @Test("no sections, a level 1 body, or XML a parser must never see render nothing", arguments: [
        #"<ClinicalDocument xmlns="urn:hl7-org:v3"><title>t</title></ClinicalDocument>"#,
        #"<ClinicalDocument xmlns="urn:hl7-org:v3"><component><nonXMLBody><text mediaType="text/plain">x</text></nonXMLBody></component></ClinicalDocument>"#,
        #"<!DOCTYPE d [<!ENTITY x "y">]><ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody><component><section><title>&x;</title></section></component></structuredBody></component></ClinicalDocument>"#,
    ])
    func nothing(_ text: String) {
        #expect(CDABodyHTML.render(Data(text.utf8)) == nil)
    }

    @Test("the portal shows a level-3 CDA's sections in the page", arguments: TestEngine.available)
    func page(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let id = try await PortalDocumentViewTests.push(client, tokens, Self.structured, "application/xml")
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: try #require(RecordID(patient)))
            let page = try await jar.get(client, "/portal/patient/documents/\(id)")
            #expect(page.text.contains("<div class=\"document cda\"><section class=\"cda-section\"><h3>Examen clinique</h3>"), "\(page.text.prefix(3000))")
            #expect(page.text.contains("<td>6,1 %</td>") && !page.text.contains("javascript:"))
        }
    }

    @Test("a level-1 CDA's PDF is a content read like any other: decided, served as application/pdf, audited", arguments: TestEngine.available)
    func levelOnePDFAudited(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let pdf = DemoFiles.pdf(lines: ["Synthetic PDF inside a CDA"])
            let cda = Data((#"<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><component><nonXMLBody>"#
                + #"<text mediaType="application/pdf" representation="B64">"# + pdf.base64EncodedString() + "</text></nonXMLBody></component></ClinicalDocument>").utf8)
            let id = try await PortalDocumentViewTests.push(client, tokens, cda, "application/xml")
            let jar = try await PortalEmergencyTests.signIn(client, tokens, .doctor())
            _ = try await PortalEmergencyTests.find(client, jar, .fixture())
            #expect(try await PortalEmergencyTests.open(client, jar, patient, kind: "consent").status == .seeOther)
            let embedded = try await jar.get(client, "/portal/pro/documents/\(id)/content?embedded=pdf")
            #expect(embedded.status == .ok && embedded.headers[.contentType] == "application/pdf" && Data(embedded.body.readableBytesView) == pdf)
            let events = try await store.auditEvents(recordID: recordID, limit: 100)
            #expect(events.contains { $0.resources == ["Binary/\(id)"] && $0.detail == "content" && $0.actorID.hasSuffix("99700000011") })
            // Another professional, not authorised, gets what a missing document gets.
            let stranger = try await PortalEmergencyTests.signIn(client, tokens, .doctor("99700000044"))
            #expect(try await stranger.get(client, "/portal/pro/documents/\(id)/content?embedded=pdf").status != .ok)
        }
    }

    @Test("a professional uploading another patient's CDA is told so beside the file, in French; nothing is added", arguments: TestEngine.available)
    func uploadOtherPatient(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let jar = try await PortalEmergencyTests.signIn(client, tokens, .doctor())
            _ = try await PortalEmergencyTests.find(client, jar, .fixture())
            #expect(try await PortalEmergencyTests.open(client, jar, patient, kind: "consent").status == .seeOther)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/pro/patient"))
            let other = INS.fixture(9)
            let refused = try await Self.upload(client, jar, csrf: csrf, fields: [
                ("type", "11488-4"), ("title", "Compte rendu"), ("date", "2026-02-14"),
            ], file: ("cr.xml", "application/xml", CDAHeaderRoutesTests.cda(ins: other)))
            #expect(refused.status == .unprocessableContent, "\(refused.text.prefix(2000))")
            #expect(refused.text.contains("Ce document CDA concerne un autre patient (INS \(other.value) dans le document)"))
            #expect(refused.text.contains("<div id=\"doc-file-error\"><p class=\"error\""))
            let wrongType = try await Self.upload(client, jar, csrf: csrf, fields: [
                ("type", "11502-2"), ("title", "Compte rendu"), ("date", "2026-02-14"),
            ], file: ("cr.xml", "application/xml", CDAHeaderRoutesTests.cda()))
            #expect(wrongType.status == .unprocessableContent && wrongType.text.contains("<div id=\"doc-type-error\"><p class=\"error\""))
            let documents = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patient)", method: .get, headers: try await tokens.bearer(.doctor()))
            #expect(documents.json["total"] as? Int == 0)
        }
    }
}
