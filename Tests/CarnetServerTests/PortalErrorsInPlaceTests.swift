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

/// Bad input answered in place, in the page's language: the form shown again as typed, the message
/// beside the field it is about, the field marked invalid for assistive technologies.
@Suite("Portal errors in place")
struct PortalErrorsInPlaceTests {
    typealias Jar = PortalRoutesTests.Jar

    static func upload(_ client: any TestClientProtocol, _ jar: Jar, csrf: String, fields: [(String, String)],
                       file: (name: String, type: String, content: String)?) async throws -> TestResponse {
        let boundary = "----carnet-test-boundary"
        var body = ""
        for (name, value) in [("_csrf", csrf)] + fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n\(file.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await client.execute(uri: "/portal/patient/documents", method: .post,
                                        headers: jar.header + [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body))
    }

    @Test("upload, RPPS, closing and INS errors are said beside their field, in French or English")
    func errorsInPlace() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/documents"))

            let fake = try await Self.upload(client, jar, csrf: csrf, fields: [("type", "DOCPAT03"), ("title", "Mon <b>bilan</b>"), ("date", "")],
                                             file: ("bilan.pdf", "application/pdf", "not a pdf"))
            #expect(fake.status == .badRequest)
            #expect(fake.text.contains("value=\"Mon &lt;b&gt;bilan&lt;/b&gt;\""), "the title typed is kept, escaped")
            #expect(fake.text.contains("id=\"doc-date\" name=\"date\" value=\"\" aria-describedby=\"doc-date-hint doc-date-error\" aria-invalid=\"true\""))
            #expect(fake.text.contains("<div id=\"doc-file-error\"><p class=\"error\" role=\"alert\">Le fichier ne correspond pas à son type : il n&#39;est pas un PDF"),
                    "the content check, in French, beside the file field")
            #expect(fake.text.contains("<option value=\"DOCPAT03\" selected>"))
            let typed = try await Self.upload(client, jar, csrf: csrf, fields: [("type", "DOCPAT03"), ("title", ""), ("date", "2026-10-01"),
                                                                                 ("text", "Texte saisi (synthétique)")], file: nil)
            #expect(typed.status == .badRequest && typed.text.contains(">Texte saisi (synthétique)</textarea>") && typed.text.contains("value=\"2026-10-01\""))
            #expect(typed.text.contains("<div id=\"doc-title-error\"><p class=\"error\""))

            let access = try await jar.get(client, "/portal/patient/access")
            let badRPPS = try await jar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: access), "action": "block", "rpps": "12a"])
            #expect(badRPPS.status == .badRequest)
            #expect(badRPPS.text.contains("id=\"rpps-block\" name=\"rpps\" inputmode=\"numeric\" autocomplete=\"off\" value=\"12a\" aria-describedby=\"rpps-block-hint rpps-block-error\" aria-invalid=\"true\""))
            #expect(badRPPS.text.contains("<div id=\"rpps-block-error\"><p class=\"error\" role=\"alert\">Ce numéro RPPS n&#39;est pas valide : un RPPS compte 11 chiffres"))
            #expect(!badRPPS.text.contains("must have"), "no English on a French page")
            #expect(!badRPPS.text.contains("id=\"rpps-authorize\" name=\"rpps\" inputmode=\"numeric\" autocomplete=\"off\" value=\"12a\""), "only the field sent")

            jar.cookies["carnet_lang"] = "en"
            let english = try await jar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: access), "action": "authorize", "rpps": "12"])
            #expect(english.text.contains("<div id=\"rpps-authorize-error\"><p class=\"error\" role=\"alert\">This RPPS number is not valid: RPPS must have 11 digits"))
            jar.cookies["carnet_lang"] = "fr"

            let close = try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "close", "reason": "déménagement"])
            #expect(close.status == .badRequest)
            #expect(close.text.contains("name=\"confirm\" value=\"yes\" aria-describedby=\"confirm-error\" aria-invalid=\"true\""))
            #expect(close.text.contains("<div id=\"confirm-error\"><p class=\"error\" role=\"alert\">Cochez"))
            #expect(close.text.contains("value=\"déménagement\"") && close.text.contains("Fermer mon dossier"), "the closing form again, as typed")
            #expect(try await jar.get(client, "/portal/patient/record").text.contains("Votre dossier est ouvert"))

            let pro = try await PortalEmergencyTests.signIn(client, tokens, .doctor())
            let findPage = try await pro.get(client, "/portal/pro")
            let wrongKey = try await pro.post(client, "/portal/pro/find", ["_csrf": PortalRoutesTests.csrf(in: findPage),
                                                                           "ins": String(INS.fixture().value.prefix(13)) + "00"])
            #expect(wrongKey.status == .badRequest && wrongKey.text.contains("la clé 00 ne correspond pas"), "\(wrongKey.text.prefix(200))")
        }
    }

    @Test("every access rule is said in French on French pages", arguments: AccessRule.allCases)
    func rulesInFrench(_ rule: AccessRule) {
        #expect(PortalMessages.rule(rule, .en) == rule.explanation)
        #expect(PortalMessages.rule(rule, .fr) != rule.explanation && !PortalMessages.rule(rule, .fr).isEmpty)
    }
}
