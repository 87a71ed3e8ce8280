import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The portals' side of issue 18 through the real router: a record opens on what is new since the
/// reader's last visit (the professional) or sign-in (the patient), and one search box finds documents
/// by the words inside them — never one the reader may not see.
@Suite("Portal: new since last visit, search inside the documents")
struct PortalNewAndSearchTests {
    typealias Jar = PortalRoutesTests.Jar

    static func push(_ client: any TestClientProtocol, _ headers: HTTPFields, title: String, content: String, label: String? = nil) async throws {
        let body = DocumentRoutesTests.documentBody(content: content, labels: label.map(AccessControlRoutesTests.label) ?? "").replacingTitle(with: title)
        #expect(try await DocumentRoutesTests.push(client, headers, body).status == .created)
    }

    @Test("a professional opens a record on what is new since their last visit, and searches inside its documents", arguments: TestEngine.available)
    func professional(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, _ in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            #expect(try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                             body: AccessControlRoutesTests.professional("99700000022")).status == .ok)
            try await Self.push(client, author, title: "Ancien compte rendu", content: "Tension artérielle normale.")
            try await Self.push(client, author, title: "Note masquée", content: "Zéphyrine confidentielle.", label: "MASQUE_PS")

            let jar = try await PortalEmergencyTests.signIn(client, tokens, .doctor("99700000022"))
            #expect(try await PortalEmergencyTests.open(client, jar, patientID, kind: "open").status == .seeOther)
            let firstVisit = try await jar.get(client, "/portal/pro/patient")
            #expect(firstVisit.text.contains("Première visite de ce dossier") && firstVisit.text.contains("Ancien compte rendu"))
            #expect(!firstVisit.text.contains("Note masquée"))

            try await NewSinceLastAccessTests.tick()
            try await Self.push(client, author, title: "Échographie cardiaque", content: "Fuite mitrale minime.")
            try await NewSinceLastAccessTests.tick()
            #expect(try await PortalEmergencyTests.open(client, jar, patientID, kind: "open").status == .seeOther)
            let page = try await jar.get(client, "/portal/pro/patient")
            let text = page.text
            let newSection = try #require(text.range(of: "Nouveau depuis votre dernière visite"))
            let others = try #require(text.range(of: "Autres documents"))
            #expect(newSection.upperBound < others.lowerBound, "the new ones first")
            let echo = try #require(text.range(of: "Échographie cardiaque"))
            let old = try #require(text.range(of: "Ancien compte rendu"))
            #expect(echo.lowerBound < others.lowerBound && old.lowerBound > others.lowerBound)
            #expect(text.contains("1 nouveau(x) document(s)") && !text.contains("Note masquée"))

            let csrf = PortalRoutesTests.csrf(in: page)
            let found = try await jar.post(client, "/portal/pro/patient/search", ["_csrf": csrf, "words": "FUITES mitrales"])
            #expect(found.status == .ok && found.text.contains("Échographie cardiaque") && found.text.contains("1 document(s) trouvé(s)"))
            #expect(!found.text.contains("Ancien compte rendu"))
            let hidden = try await jar.post(client, "/portal/pro/patient/search", ["_csrf": csrf, "words": "zéphyrine"])
            #expect(hidden.status == .ok && hidden.text.contains("0 document(s) trouvé(s)") && !hidden.text.contains("Note masquée"))
            let empty = try await jar.post(client, "/portal/pro/patient/search", ["_csrf": csrf, "words": "le de"])
            #expect(empty.status == .badRequest && empty.text.contains("aria-invalid=\"true\"") && empty.text.contains("mots à chercher"))
            let forged = try await jar.post(client, "/portal/pro/patient/search", ["_csrf": "forged", "words": "mitrale"])
            #expect(forged.status == .forbidden)
        }
    }

    @Test("the patient's documents open on what is new since their previous sign-in; their search box finds by words", arguments: TestEngine.available)
    func patient(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let recordID = try #require(RecordID(try await createPatient(client, tokens)))
            let author = try await tokens.bearer(.doctor())
            try await Self.push(client, author, title: "Ancien compte rendu", content: "Tension artérielle normale.")
            try await Self.push(client, author, title: "À annoncer", content: "Xylophone diagnostic.", label: "INVISIBLE_PATIENT")
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let first = try await jar.get(client, "/portal/patient/documents")
            #expect(first.status == .ok && !first.text.contains("Nouveau depuis votre dernière connexion"), "a first sign-in: no baseline")

            try await NewSinceLastAccessTests.tick()
            try await Self.push(client, author, title: "Échographie cardiaque", content: "Fuite mitrale minime.")
            try await NewSinceLastAccessTests.tick()
            let again = Jar()
            try await PortalRoutesTests.signIn(client, store, again, ins: .fixture(), recordID: recordID)
            let page = try await again.get(client, "/portal/patient/documents")
            let text = page.text
            let newSection = try #require(text.range(of: "Nouveau depuis votre dernière connexion"))
            let echo = try #require(text.range(of: "Échographie cardiaque"))
            let old = try #require(text.range(of: "Ancien compte rendu"))
            #expect(newSection.lowerBound < echo.lowerBound && echo.lowerBound < old.lowerBound)
            #expect(text.contains("1 nouveau(x) document(s)") && !text.contains("À annoncer"))

            let csrf = PortalRoutesTests.csrf(in: page)
            let found = try await again.post(client, "/portal/patient/documents/filter", ["_csrf": csrf, "words": "échographies"])
            #expect(found.status == .ok && found.text.contains("<p>1 document(s)</p>") && found.text.contains("Échographie cardiaque"))
            let hidden = try await again.post(client, "/portal/patient/documents/filter", ["_csrf": csrf, "words": "xylophone"])
            #expect(hidden.text.contains("<p>0 document(s)</p>") && !hidden.text.contains("À annoncer"))
            let bad = try await again.post(client, "/portal/patient/documents/filter", ["_csrf": csrf, "words": "et"])
            #expect(bad.status == .badRequest && bad.text.contains("mots à chercher"))
        }
    }
}
