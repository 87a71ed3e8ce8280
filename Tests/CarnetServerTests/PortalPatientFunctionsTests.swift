import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 16, "missing for patients": the portal now does what the API did through RecordService —
/// hide all documents, oppose feeding, new-document notices, the itemised care history, self-reported
/// conditions, treatments and vaccinations, deleting one's own documents — each change confirmed,
/// each deletion asked first.
@Suite("Portal: the patient's own functions")
struct PortalPatientFunctionsTests {
    static func signedIn(_ client: any TestClientProtocol, _ tokens: Tokens, _ store: any RecordStore) async throws -> (PortalRoutesTests.Jar, String, RecordID) {
        let patient = try await createPatient(client, tokens)
        let recordID = try #require(RecordID(patient))
        let jar = PortalRoutesTests.Jar()
        try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
        return (jar, patient, recordID)
    }

    @Test("hiding all documents, opposing feeding and new-document notices: saved, confirmed, in force", arguments: TestEngine.available)
    func standingChoices(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let (jar, patient, recordID) = try await Self.signedIn(client, tokens, store)
            let access = try await jar.get(client, "/portal/patient/access")
            #expect(access.text.contains("Mes choix") && access.text.contains("name=\"hideDocuments\""))
            let version = try await store.accessControls(recordID: recordID).version
            let saved = try await jar.post(client, "/portal/patient/settings", ["_csrf": PortalRoutesTests.csrf(in: access), "hideDocuments": "yes",
                                                                                "opposeFeeding": "yes", "notifyNewDocuments": "yes"])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/portal/patient/access?done=settings")
            let after = try await jar.get(client, saved.headers[.location] ?? "")
            #expect(after.text.contains("Vos choix sont enregistrés."))
            let controls = try await store.accessControls(recordID: recordID)
            #expect(controls.documentsHiddenFromProfessionals && controls.feedingOpposed == true && controls.notifyNewDocuments == true)
            // Three boxes ticked are one change: one new version of the controls (one audit event).
            #expect(controls.version == version + 1)
            let refused = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), DocumentRoutesTests.documentBody())
            #expect(refused.status == .forbidden, "feeding opposed")
            _ = patient

            // Unticking lifts them.
            let lifted = try await jar.post(client, "/portal/patient/settings", ["_csrf": PortalRoutesTests.csrf(in: after)])
            #expect(lifted.status == .seeOther)
            let again = try await store.accessControls(recordID: recordID)
            #expect(!again.documentsHiddenFromProfessionals && again.feedingOpposed == false && again.notifyNewDocuments == false)
        }
    }

    @Test("the care history itemised, newest first, 25 a page", arguments: TestEngine.available)
    func careHistory(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let (jar, _, _) = try await Self.signedIn(client, tokens, store)
            var claims = try (1...30).map { try CareHistoryReadTests.claim("claim-\($0)", daysAgo: $0 * 3) }
            claims[0].label = "Le plus récent (synthétique)"
            claims[29].label = "Le plus ancien (synthétique)"
            _ = try await store.addClaims(claims, checkpoint: ClaimImportCheckpoint(source: "test", linesDone: 30, imported: 0, duplicates: 0, rejected: 0))
            let first = try await jar.get(client, "/portal/patient/care-history")
            #expect(first.status == .ok && first.text.contains("30 soin(s) remboursé(s)"))
            let rows = first.text.components(separatedBy: "<tr>").dropFirst(2)
            #expect(rows.count == 25 && rows.first?.contains("Le plus récent") == true && !first.text.contains("Le plus ancien"))
            #expect(first.text.contains("26,50 €") && first.text.contains("RPPS 99700000011"))
            let second = try await jar.get(client, "/portal/patient/care-history?page=2")
            #expect(second.text.contains("Le plus ancien") && second.text.components(separatedBy: "<tr>").dropFirst(2).count == 5)
        }
    }

    @Test("history, treatments and vaccinations reported by the patient; an item deleted only after confirming", arguments: TestEngine.available)
    func selfReported(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let (jar, _, recordID) = try await Self.signedIn(client, tokens, store)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/summary"))
            for fields in [["form": "condition", "condition": "Appendicectomie", "status": "resolved"],
                           ["form": "medication", "medication": "Lévothyrox 75 µg", "dosage": "un le matin"],
                           ["form": "immunization", "vaccine": "DTPolio", "date": "2024-03-01"]] {
                let added = try await jar.post(client, "/portal/patient/summary", fields.merging(["_csrf": csrf]) { $1 })
                #expect(added.status == .seeOther && added.headers[.location] == "/portal/patient/summary?done=added", "\(fields) \(added.text.prefix(400))")
            }
            let missing = try await jar.post(client, "/portal/patient/summary", ["_csrf": csrf, "form": "immunization", "vaccine": "ROR"])
            #expect(missing.status == .badRequest && missing.text.contains("Indiquez la date de la vaccination"))
            let entries = try await store.summaryEntries(recordID: recordID, kinds: [.condition, .medication, .immunization])
            #expect(Set(entries.map(\.kind)) == [.condition, .medication, .immunization] && entries.allSatisfy(\.recordedByPatient))
            let page = try await jar.get(client, "/portal/patient/summary?done=added").text
            #expect(page.contains("C&#39;est ajouté à votre dossier.") || page.contains("C'est ajouté à votre dossier."))
            #expect(page.contains("Appendicectomie") && page.contains("Lévothyrox 75 µg") && page.contains("DTPolio"))

            // Deleting asks first; only the confirmed form deletes.
            let item = try #require(entries.first { $0.kind == .immunization })
            let fields = ["_csrf": csrf, "item": item.id.description, "type": "Immunization"]
            let asked = try await jar.post(client, "/portal/patient/summary/delete", fields)
            #expect(asked.status == .ok && asked.text.contains("Confirmer la suppression") && asked.text.contains("DTPolio")
                    && asked.text.contains("name=\"confirm\" value=\"yes\""))
            #expect(try await store.summaryEntries(recordID: recordID, kinds: [.immunization]).contains { !$0.deleted })
            let deleted = try await jar.post(client, "/portal/patient/summary/delete", fields.merging(["confirm": "yes"]) { $1 })
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/portal/patient/summary?done=deleted")
            #expect(!(try await jar.get(client, "/portal/patient/summary").text.contains("DTPolio")))
        }
    }

    @Test("the patient deletes a document they added, after confirming; a professional's has no delete", arguments: TestEngine.available)
    func deleteOwnDocument(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let (jar, _, recordID) = try await Self.signedIn(client, tokens, store)
            #expect(try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), DocumentRoutesTests.documentBody()).status == .created)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/documents"))
            let uploaded = try await PortalProblemMessagesTests.upload(client, jar, to: "/portal/patient/documents", csrf: csrf,
                                                                       fields: [("type", "DOCPAT07"), ("title", "Mon certificat"), ("date", "2026-10-01"), ("text", "Texte (synthétique)")])
            let path = try #require(uploaded.headers[.location])
            let documentPage = try await jar.get(client, path)
            #expect(documentPage.text.contains("\(path)/delete"))
            let asked = try await jar.post(client, "\(path)/delete", ["_csrf": csrf])
            #expect(asked.status == .ok && asked.text.contains("Confirmer la suppression") && asked.text.contains("Mon certificat"))
            #expect(try await store.documents(recordID: recordID).allSatisfy { $0.status == .current })
            let deleted = try await jar.post(client, "\(path)/delete", ["_csrf": csrf, "confirm": "yes"])
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/portal/patient/documents?done=deleted")
            let list = try await jar.get(client, "/portal/patient/documents?done=deleted").text
            #expect(list.contains("C&#39;est supprimé.") || list.contains("C'est supprimé."))
            #expect(!list.contains("Mon certificat"))

            let professional = try #require(try await store.documents(recordID: recordID).first { $0.submitterID == "99700000011" })
            let theirs = try await jar.get(client, "/portal/patient/documents/\(professional.id)")
            #expect(!theirs.text.contains("/delete"))
            let forced = try await jar.post(client, "/portal/patient/documents/\(professional.id)/delete", ["_csrf": csrf, "confirm": "yes"])
            #expect(forced.status == .forbidden && forced.text.contains("Vous ne pouvez supprimer que les documents que vous avez ajoutés"))
            #expect(try await store.documents(recordID: recordID).first { $0.id == professional.id }?.status == .current)
        }
    }
}
