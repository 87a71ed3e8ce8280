import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 16.2: a refused or empty access is not a consultation. An unauthorised nurse whose search
/// and summary returned nothing raises no first-access notification, no "new professionals" alert,
/// and the history says "aucun résultat" — while an authorised doctor's read that returned a
/// document still does all three.
@Suite("First access follows the outcome")
struct FirstAccessOutcomeTests {
    static let nurse = Actor(role: .professional(Professional(rpps: try! RPPS("99700000066"), profession: .nurse)))

    @Test("an unauthorised nurse's empty search and summary are no first access; an authorised read is", arguments: TestEngine.available)
    func emptyAccessIsNoConsultation(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            // A doctor feeds a document (feeding needs no authorisation) and is then authorised below.
            let doctor = try await tokens.bearer(.doctor("99700000011"))
            _ = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody())

            let nurse = try await tokens.bearer(Self.nurse)
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patient)", method: .get, headers: nurse)
            #expect(search.status == .ok && (search.json["total"] as? Int) == 0, "the nurse, never authorised, finds nothing")
            let summary = try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: nurse)
            #expect(summary.status == .ok)

            let notices = try await store.notifications(recordID: recordID).map(\.notification)
            #expect(!notices.contains { $0.kind == .firstAccess }, "\(notices.map(\.message))")

            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let home = try await jar.get(client, "/portal/patient")
            #expect(!home.text.contains("Nouveaux professionnels") && !home.text.contains("99700000066"))
            let history = try await jar.get(client, "/portal/patient/history")
            let nurseLines = history.text.components(separatedBy: "<tr").filter { $0.contains("99700000066") }
            #expect(nurseLines.count == 2, "the search and the summary")
            #expect(nurseLines.allSatisfy { $0.contains("aucun résultat") && !$0.contains(">fait<") }, "\(nurseLines)")

            // The patient authorises the doctor, whose search then returns the document: a consultation.
            let access = try await jar.get(client, "/portal/patient/access")
            #expect(try await jar.post(client, "/portal/patient/access", ["_csrf": PortalRoutesTests.csrf(in: access), "action": "authorize",
                                                                           "rpps": "99700000011"]).status == .seeOther)
            let found = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patient)", method: .get, headers: doctor)
            #expect((found.json["total"] as? Int) == 1)
            #expect(try await store.notifications(recordID: recordID).filter { $0.notification.kind == .firstAccess }
                .map(\.notification.message).allSatisfy { $0.contains("99700000011") })
            #expect(try await store.notifications(recordID: recordID).contains { $0.notification.kind == .firstAccess })
            let after = try await jar.get(client, "/portal/patient")
            #expect(after.text.contains("Nouveaux professionnels") && after.text.contains("99700000011") && !after.text.contains("99700000066"))
            let doctorLine = try await jar.get(client, "/portal/patient/history").text.components(separatedBy: "<tr")
                .first { $0.contains("99700000011") && $0.contains("consultation de la liste des documents") }
            #expect(doctorLine?.contains(">fait<") == true)

            // A refused access reads as refused.
            // (The API answers it as an empty search, concealing the refusal; the patient's history says what it was.)
            _ = try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patient)", method: .get, headers: nurse)
            let refusedLine = try await jar.get(client, "/portal/patient/history").text.components(separatedBy: "<tr")
                .first { $0.contains("99700000066") && $0.contains("consultation des remboursements") }
            #expect(refusedLine?.contains("refusé") == true, "\(refusedLine ?? "no line")")
        }
    }
}
