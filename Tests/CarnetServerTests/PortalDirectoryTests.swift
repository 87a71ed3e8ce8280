import CarnetCore
@testable import CarnetPortal
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 16, "people, not numbers": with the national directory loaded, the portals name every
/// professional (name, profession, town) where they showed an RPPS, the patient finds one by name to
/// authorise or block, and the number alone is shown only for someone the directory does not know.
@Suite("Portal: professionals by name")
struct PortalDirectoryTests {
    typealias Jar = PortalRoutesTests.Jar

    /// The test professionals as the directory knows them (synthetic names).
    static func loadDirectory(_ store: any RecordStore) async throws {
        _ = try await store.upsertDirectoryEntries([
            DirectoryEntry(rpps: try RPPS("99700000011"), civility: "Docteur", lastName: "LEMOINE", firstName: "Alice", professionCode: "10",
                           professionLabel: "Médecin", specialty: "Médecine générale", town: "LYON", postalCode: "69003"),
            DirectoryEntry(rpps: try RPPS("99700000021"), civility: "Monsieur", lastName: "CARON", firstName: "Bruno", professionCode: "21",
                           professionLabel: "Pharmacien", town: "VILLEURBANNE", postalCode: "69100"),
        ])
    }

    @Test("the patient finds a professional by name, chooses, authorises; lists, history and authors name people",
          arguments: TestEngine.available)
    func patientSide(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            try await Self.loadDirectory(store)
            let (jar, _, _) = try await PortalPatientFunctionsTests.signedIn(client, tokens, store)
            let access = try await jar.get(client, "/portal/patient/access")
            #expect(access.text.contains("Trouver un professionnel par son nom"))
            let found = try await jar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: access), "action": "find", "name": "caron"])
            #expect(found.status == .ok && found.text.contains("Bruno CARON") && found.text.contains("Pharmacien — Villeurbanne"))
            #expect(!found.text.contains("Alice LEMOINE"))
            let chosen = try await jar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: found), "action": "choose",
                                                                               "rpps": "99700000021", "name": "caron"])
            #expect(chosen.text.contains("Choisi :") && chosen.text.contains("name=\"rpps\" inputmode=\"numeric\" autocomplete=\"off\" value=\"99700000021\""))
            let nobody = try await jar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: found), "action": "find", "name": "zzz"])
            #expect(nobody.text.contains("Aucun professionnel de l&#39;annuaire ne porte ce nom"))

            for rpps in ["99700000021", "99700000099"] {
                let page = try await jar.get(client, "/portal/patient/access")
                let done = try await jar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: page), "action": "authorize", "rpps": rpps])
                #expect(done.status == .seeOther)
            }
            let listed = try await jar.get(client, "/portal/patient/access")
            #expect(listed.text.contains("<span class=\"person\">Bruno CARON</span>"), "a known professional by name")
            #expect(listed.text.contains("RPPS 99700000099"), "an unknown one by number")

            // A document by the doctor names them; so does the history.
            let pushed = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), DocumentRoutesTests.documentBody())
            #expect(pushed.status == .created)
            let documents = try await jar.get(client, "/portal/patient/documents")
            #expect(documents.text.contains("Dr Alice LEMOINE"), "\(documents.text.prefix(0))")
            let filtered = try await jar.post(client, "/portal/patient/documents/filter", ["_csrf": PortalRoutesTests.csrf(in: documents), "author": "lemoine"])
            #expect(filtered.text.contains("<p>1 document(s)</p>"), "the author filter matches the directory's name (the document says only 'Dr Test')")
            let none = try await jar.post(client, "/portal/patient/documents/filter", ["_csrf": PortalRoutesTests.csrf(in: documents), "author": "caron"])
            #expect(none.text.contains("<p>0 document(s)</p>"))
            let history = try await jar.get(client, "/portal/patient/history")
            #expect(history.text.contains("Dr Alice LEMOINE") && history.text.contains("Médecin (médecine générale) — Lyon"))
            #expect(history.text.contains("class=\"scroll-hint\""), "a wide table says it scrolls")
        }
    }

    @Test("the professional web access: who is signed in, the patient's sex and birth date, a revocation said, visibility offered",
          arguments: TestEngine.available)
    func professionalSide(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            try await Self.loadDirectory(store)
            let signIn = try await Jar().get(client, "/portal/pro/sign-in")
            #expect(!signIn.text.contains("carnet token") && !signIn.text.lowercased().contains("jeton"), "no developer's words")
            let (patientJar, patient, _) = try await PortalPatientFunctionsTests.signedIn(client, tokens, store)
            let jar = try await PortalEmergencyTests.signIn(client, tokens, .doctor())
            let home = try await jar.get(client, "/portal/pro")
            #expect(home.text.contains("Connecté :") && home.text.contains("Dr Alice LEMOINE"))

            let found = try await PortalEmergencyTests.find(client, jar, .fixture())
            #expect(found.text.contains("femme, née le 12/07/1985"), "sex and a French date")
            #expect(found.text.contains("value=\"consent\""), "not authorised yet: consent may be declared")

            // Authorised, then revoked by the patient: the page says so instead of offering consent again.
            for action in ["authorize", "revoke"] {
                let page = try await patientJar.get(client, "/portal/patient/access")
                _ = try await patientJar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: page), "action": action, "rpps": "99700000011"])
            }
            let revoked = try await PortalEmergencyTests.find(client, jar, .fixture())
            #expect(revoked.text.contains("Le patient a retiré votre autorisation") && !revoked.text.contains("value=\"consent\""))

            // Authorised again by the patient: the upload form offers visibility and today's date.
            let page = try await patientJar.get(client, "/portal/patient/access")
            _ = try await patientJar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: page), "action": "authorize", "rpps": "99700000011"])
            let opened = try await PortalEmergencyTests.open(client, jar, patient, kind: "open")
            #expect(opened.status == .seeOther)
            let record = try await jar.get(client, "/portal/pro/patient")
            #expect(record.text.contains("name=\"masked\"") && record.text.contains("name=\"invisible\""))
            #expect(record.text.contains("name=\"date\" value=\"\(PortalUpload.today())\""))
            #expect(record.text.contains("née le 12/07/1985"))
        }
    }

    @Test("one emergency, several events: one alert on the patient's home, in French")
    func alertsGrouped() async throws {
        try await withCarnetStore { client, tokens, store in
            try await Self.loadDirectory(store)
            let (jar, patient, _) = try await PortalPatientFunctionsTests.signedIn(client, tokens, store)
            _ = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), DocumentRoutesTests.documentBody())
            let regulator = try await tokens.bearer(Actor(role: .regulator(Professional(rpps: try RPPS("99700000011"), profession: .physician)),
                                                          accessMode: .centre15, emergencyReason: "appel pour un malaise (synthétique)"))
            for uri in ["/fhir/DocumentReference?patient=\(patient)", "/fhir/Patient/\(patient)/$summary", "/fhir/DocumentReference?patient=\(patient)"] {
                let response = try await client.execute(uri: uri, method: .get, headers: regulator)
                #expect(response.status == .ok, "\(uri)")
            }
            let home = try await jar.get(client, "/portal/patient")
            let alerts = home.text.components(separatedBy: "id=\"alerts\"").dropFirst().first ?? ""
            let section = alerts.components(separatedBy: "</section>").first ?? ""
            #expect(section.components(separatedBy: "<li>").count - 1 == 1, "\(section)")
            #expect(section.contains("accès en régulation (Centre 15) par") && section.contains("Dr Alice LEMOINE"))
        }
    }

    @Test("the blood group and document types are named in French")
    func frenchLabels() {
        #expect(PortalDocumentTypes.label("11369-6", .fr) == "Historique des vaccinations")
        #expect(PortalDocumentTypes.label("60591-5", .fr) == "Synthèse médicale")
    }
}
