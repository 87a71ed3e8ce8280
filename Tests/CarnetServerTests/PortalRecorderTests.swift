import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 16.3: who recorded each summary item is said from the reader's point of view (a GP had been
/// shown the patient's allergy as "saisi par vous"), and a patient's upload goes in their own section
/// under a patient-side type (TRE_A05 `DOCPAT0x`, setting `EXP_PATIENT`) with their name as author.
@Suite("Portal: who recorded what")
struct PortalRecorderTests {
    @Test("the patient's item is 'saisi par le patient' to a GP, the GP's is the GP's to the patient; 'vous' only for the author",
          arguments: TestEngine.available)
    func recorderPerReader(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/summary"))
            #expect(try await jar.post(client, "/portal/patient/summary", ["_csrf": csrf, "form": "allergy", "substance": "arachide"]).status == .seeOther)
            let doctor = try await tokens.bearer(.doctor())
            let added = try await client.execute(uri: "/fhir/AllergyIntolerance", method: .post, headers: doctor + fhirJSON,
                                                 body: ByteBuffer(string: SummaryRoutesTests.allergy(patient)))
            #expect(added.status == .created, "\(added.text.prefix(300))")

            let pro = try await PortalEmergencyTests.signIn(client, tokens, .doctor())
            #expect(try await PortalEmergencyTests.open(client, pro, patient, kind: "consent").status == .seeOther)
            let proPage = try await pro.get(client, "/portal/pro/patient").text
            let peanut = try #require(proPage.components(separatedBy: "<li>").first { $0.contains("arachide") })
            #expect(peanut.contains("saisi par le patient") && !peanut.contains("saisi par vous"), "\(peanut)")
            let penicillin = try #require(proPage.components(separatedBy: "<li>").first { $0.contains("penicillin") })
            #expect(penicillin.contains("saisi par vous"), "the GP's own item")

            let patientPage = try await jar.get(client, "/portal/patient/summary").text
            let own = try #require(patientPage.components(separatedBy: "<li>").first { $0.contains("arachide") })
            #expect(own.contains("saisi par vous"))
            let theirs = try #require(patientPage.components(separatedBy: "<li>").first { $0.contains("penicillin") })
            #expect(theirs.contains("saisi par le professionnel de santé RPPS 99700000011"), "\(theirs)")
        }
    }

    @Test("a patient's upload is filed under a patient type in their own section, with their name as author", arguments: TestEngine.available)
    func patientUpload(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let page = try await jar.get(client, "/portal/patient/documents")
            let uploadTypes = page.text.components(separatedBy: "id=\"doc-type\"").last?.components(separatedBy: "</select>").first ?? ""
            #expect(uploadTypes.contains("<option value=\"DOCPAT03\"") && !uploadTypes.contains("57833-6"),
                    "the patient's upload form offers the patient's types")
            let csrf = PortalRoutesTests.csrf(in: page)
            let professionalType = try await PortalProblemMessagesTests.upload(client, jar, to: "/portal/patient/documents", csrf: csrf,
                                                                           fields: [("type", "57833-6"), ("title", "Ordonnance"), ("date", "2026-10-01"), ("text", "Texte (synthétique)")])
            #expect(professionalType.status == .badRequest, "a professional type is not the patient's to choose")
            let uploaded = try await PortalProblemMessagesTests.upload(client, jar, to: "/portal/patient/documents", csrf: csrf,
                                                                       fields: [("type", "DOCPAT02"), ("title", "Mon ordonnance"), ("date", "2026-10-01"), ("text", "Texte (synthétique)")])
            #expect(uploaded.status == .seeOther)
            let entry = try #require(try await store.documents(recordID: recordID).first)
            #expect(entry.type.code == "DOCPAT02" && entry.type.system == "urn:oid:1.2.250.1.213.1.1.4.12")
            #expect(entry.practiceSetting?.code == "EXP_PATIENT")
            #expect(entry.authors.map(\.display) == ["Anne MARTIN"] && !entry.authors.contains { $0.identifierValue == INS.fixture().value })

            let list = try await jar.get(client, "/portal/patient/documents").text
            let mine = try #require(list.components(separatedBy: "id=\"my-documents\"").last)
            #expect(mine.contains("Mon ordonnance") && mine.contains("Anne MARTIN") && !mine.contains(">\(INS.fixture().value)<"))
            #expect(mine.contains("Traitement, ordonnance ou document de soins"))
        }
    }
}
