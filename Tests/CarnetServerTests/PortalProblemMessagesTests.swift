import CarnetCore
import CarnetFHIR
@testable import CarnetPortal
@testable import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Bad input and conflicts on portal pages, through the real router: said in French on French pages
/// (English with the switch), in place — beside the field concerned, or atop the form or page it
/// concerns — telling what is wrong and what to do; never a developer's English, never a 500.
@Suite("Portal problems in French")
struct PortalProblemMessagesTests {
    typealias Jar = PortalRoutesTests.Jar

    static func upload(_ client: any TestClientProtocol, _ jar: Jar, to uri: String, csrf: String, fields: [(String, String)]) async throws -> TestResponse {
        let boundary = "----carnet-test-boundary"
        var body = ""
        for (name, value) in [("_csrf", csrf)] + fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await client.execute(uri: uri, method: .post, headers: jar.header + [.contentType: "multipart/form-data; boundary=\(boundary)"],
                                        body: ByteBuffer(string: body))
    }

    @Test("closing a closed record, reopening an open one, deleting an item twice, unblocking nobody: said in place, in French or English")
    func conflictsInPlace() async throws {
        try await withCarnetStore { client, tokens, store in
            let recordID = try #require(RecordID(try await createPatient(client, tokens)))
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/record"))

            let reopen = try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "reopen"])
            #expect(reopen.status == .conflict && reopen.text.contains("Ce dossier est déjà ouvert : rien n&#39;a changé."), "\(reopen.text.prefix(400))")
            #expect(reopen.text.contains("Votre dossier est ouvert.") && !reopen.text.contains("already"), "the page as it is, no English")

            // Two tabs: the record closed in the first, then closing again from the second.
            #expect(try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "close", "confirm": "yes"]).status == .seeOther)
            let again = try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "close", "confirm": "yes"])
            #expect(again.status == .conflict && again.text.contains("Ce dossier est déjà fermé") && again.text.contains("Rouvrir mon dossier"))
            jar.cookies["carnet_lang"] = "en"
            let english = try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "close", "confirm": "yes"])
            #expect(english.status == .conflict && english.text.contains("This record is already closed: nothing changed. You can reopen it from this page."))
            jar.cookies["carnet_lang"] = "fr"
            #expect(try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "reopen"]).status == .seeOther)

            // An item deleted twice (a double click).
            #expect(try await jar.post(client, "/portal/patient/summary", ["_csrf": csrf, "form": "allergy", "substance": "pénicilline"]).status == .seeOther)
            let summary = try await jar.get(client, "/portal/patient/summary").text
            let item = String(summary[try #require(summary.range(of: "name=\"item\" value=\""))!.upperBound...].prefix { $0 != "\"" })
            let delete = ["_csrf": csrf, "item": item, "type": "AllergyIntolerance", "confirm": "yes"]
            #expect(try await jar.post(client, "/portal/patient/summary/delete", delete).status == .seeOther)
            let twice = try await jar.post(client, "/portal/patient/summary/delete", delete)
            #expect(twice.status == .conflict && twice.text.contains("Cet élément a déjà été supprimé : rien n&#39;a changé."), "\(twice.text.prefix(400))")
            #expect(twice.text.contains("Compléter ma partie"), "on the summary page, which stays usable")

            // Unblocking someone who is not blocked: atop the access page.
            let unblock = try await jar.post(client, "/portal/patient/access", ["_csrf": csrf, "action": "unblock", "rpps": "99700000022"])
            #expect(unblock.status == .conflict && unblock.text.contains("Le professionnel 99700000022 n&#39;est pas bloqué."), "\(unblock.text.prefix(400))")
            #expect(unblock.text.contains("Qui peut accéder à mon dossier"))
        }
    }

    @Test("a missing field of the patient's section is said beside it, the text typed kept")
    func summaryFieldInPlace() async throws {
        try await withCarnetStore { client, tokens, store in
            let recordID = try #require(RecordID(try await createPatient(client, tokens)))
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/summary"))
            let noPhone = try await jar.post(client, "/portal/patient/summary", ["_csrf": csrf, "form": "contact", "family": "Durand", "phone": "12"])
            #expect(noPhone.status == .badRequest)
            #expect(noPhone.text.contains("id=\"contact-phone\" name=\"phone\" inputmode=\"tel\" autocomplete=\"off\" value=\"12\" aria-invalid=\"true\" aria-describedby=\"contact-phone-error\""))
            #expect(noPhone.text.contains("<div id=\"contact-phone-error\"><p class=\"error\" role=\"alert\">Indiquez un numéro de téléphone"))
            #expect(noPhone.text.contains("value=\"Durand\""), "the name typed is kept")
        }
    }

    @Test("a professional replacing a document already replaced is told so atop the form, in French")
    func replacedTwice() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let pro = try await PortalEmergencyTests.signIn(client, tokens, .doctor())
            #expect(try await PortalEmergencyTests.open(client, pro, patient, kind: "consent").status == .seeOther)
            let csrf = PortalRoutesTests.csrf(in: try await pro.get(client, "/portal/pro/patient"))
            let fields = [("type", "11488-4"), ("title", "Compte rendu (synthétique)"), ("date", "2026-10-01"), ("text", "Texte (synthétique)")]
            let first = try await Self.upload(client, pro, to: "/portal/pro/upload", csrf: csrf, fields: fields)
            #expect(first.status == .seeOther, "\(first.text.prefix(300))")
            let old = String(try #require(first.headers[.location]).split(separator: "/").last ?? "")
            #expect(try await Self.upload(client, pro, to: "/portal/pro/upload", csrf: csrf, fields: fields + [("replaces", old)]).status == .seeOther)
            let twice = try await Self.upload(client, pro, to: "/portal/pro/upload", csrf: csrf, fields: fields + [("replaces", old)])
            #expect(twice.status == .conflict)
            #expect(twice.text.contains("Ce document a déjà été remplacé par une version plus récente : ouvrez la version en cours"), "\(twice.text.prefix(500))")
            #expect(twice.text.contains("value=\"Compte rendu (synthétique)\"") && !twice.text.contains("superseded"), "the form as typed, no English")
        }
    }

    @Test("every record, document, summary and submission conflict has its own French and English sentence",
          arguments: [PortalLanguage.fr, .en])
    func everyConflictSaid(_ l: PortalLanguage) {
        var messages: [String] = []
        for state in RecordState.allCases {
            for transition in [RecordTransition.close, .reopen, .delete, .restore] {
                messages.append(PortalProblemMessages.record(.illegalTransition(from: state, transition: transition), l))
            }
        }
        messages += [PortalProblemMessages.record(.versionConflict, l), PortalProblemMessages.record(.notFound, l)]
        for status in DocumentStatus.allCases {
            for transition in [DocumentTransition.replace, .archive, .unarchive, .delete, .enterInError] {
                messages.append(PortalProblemMessages.document(.illegalTransition(from: status, transition: transition), l))
            }
        }
        messages.append(PortalProblemMessages.document(.conflictingVisibility, l))
        let id = DocumentID()
        messages += [DocumentInputError.duplicateUniqueID("1.2.3"), .duplicateSubmissionSet("1.2.3"), .replacedDocumentNotFound(id),
                     .relatedDocumentNotFound(id, at: "DocumentReference.relatesTo[0].target"),
                     .ambiguousUniqueID("1.2.3")].map { PortalProblemMessages.documentInput($0, l) }
        messages += [SummaryItemError.versionMismatch(current: 2), .patientChanged, .kindChanged(from: .allergy, to: .observation)]
            .map { PortalProblemMessages.summaryItem($0, l) }
        messages += [StoreError.versionConflict, .duplicateDocument(uniqueID: "1.2.3")].compactMap { PortalProblemMessages.store($0, l) }
        for message in messages {
            #expect(!message.isEmpty && message.hasSuffix("."), "a whole sentence: \(message)")
            #expect(!message.contains("superseded") && !message.contains("DocumentReference") && !message.contains("FHIR"), "no developer terms: \(message)")
            if l == .fr { #expect(!message.contains(" the ") && !message.contains(" is "), "no English on a French page: \(message)") }
        }
        #expect(PortalProblemMessages.store(.corruptRow("x"), l) == nil, "an internal fault is not the user's to fix")
    }

    @Test("a FHIR check's error names the form field it concerns, in French, with what to do")
    func fhirInputSaid() {
        let criticality = FHIRInputError("must be one of high, low, unable-to-assess", at: "AllergyIntolerance.criticality")
        #expect(PortalProblemMessages.field(for: criticality.expression)?.id == "allergy-criticality")
        #expect(PortalProblemMessages.fhirInput(criticality, .fr) == "La gravité n'a pas une valeur permise : choisissez-en une dans la liste.")
        #expect(PortalProblemMessages.fhirInput(criticality, .en) == "The severity does not have an allowed value: choose one from the list.")
        let group = FHIRInputError("is required for a blood group (LOINC 882-1)", at: "Observation.valueCodeableConcept", code: "required")
        #expect(PortalProblemMessages.field(for: group.expression)?.id == "blood-group")
        #expect(PortalProblemMessages.fhirInput(group, .fr) == "Le groupe sanguin est obligatoire : renseignez-le.")
        #expect(PortalProblemMessages.field(for: "DocumentReference.date")?.id == "doc-date")
        let whole = FHIRInputError("the body must be a JSON object", code: "structure")
        #expect(PortalProblemMessages.field(for: whole.expression) == nil)
        #expect(PortalProblemMessages.fhirInput(whole, .fr).hasPrefix("Le formulaire envoyé n'est pas accepté tel quel"))
    }

    @Test("an error page no route answered in place is French too: an unknown action on the record page")
    func fallbackPageInFrench() async throws {
        try await withCarnetStore { client, tokens, store in
            let recordID = try #require(RecordID(try await createPatient(client, tokens)))
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/record"))
            let unknown = try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "explode"])
            #expect(unknown.status == .badRequest && unknown.text.contains("Le formulaire envoyé n&#39;est pas accepté tel quel"), "\(unknown.text.prefix(400))")
            #expect(!unknown.text.contains("unknown action"))
        }
    }
}
