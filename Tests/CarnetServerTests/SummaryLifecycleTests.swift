import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A summary item's life: versions with `If-Match`, deletion kept in the history, who may change
/// what, the searches, `$everything`, and every kind of bad input answered with a 4xx naming the field.
@Suite("Structured summary: lifecycle, searches and bad input")
struct SummaryLifecycleTests {
    typealias Fixtures = SummaryRoutesTests

    static func put(_ client: any TestClientProtocol, _ headers: HTTPFields, _ path: String, _ body: String, ifMatch: String? = nil) async throws -> TestResponse {
        var headers = headers + SummaryRoutesTests.fhirJSON
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return try await client.execute(uri: "/fhir/\(path)", method: .put, headers: headers, body: ByteBuffer(string: body))
    }

    static func withID(_ body: String, _ id: String) -> String {
        body.replacingOccurrences(of: #"{"resourceType": "#, with: #"{"id": "\#(id)", "resourceType": "#)
    }

    @Test("versions, If-Match, deletion and history; who may change what", arguments: TestEngine.available)
    func lifecycle(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let created = try await Fixtures.post(client, holder, "AllergyIntolerance", Fixtures.allergy(patient))
            let id = created.json["id"] as? String ?? ""
            let path = "AllergyIntolerance/\(id)"
            let resolved = Self.withID(Fixtures.allergy(patient).replacingOccurrences(of: #""code": "active""#, with: #""code": "resolved""#), id)

            let updated = try await Self.put(client, holder, path, resolved, ifMatch: "W/\"1\"")
            #expect(updated.status == .ok && updated.headers[.eTag] == "W/\"2\"", "\(updated.text)")
            let stale = try await Self.put(client, holder, path, resolved, ifMatch: "W/\"1\"")
            #expect(stale.status == .preconditionFailed, "\(stale.text)")
            #expect(try await Self.put(client, holder, path, resolved, ifMatch: "soon").expression == "If-Match")

            let search = { (query: String) async throws -> Int in
                try await client.execute(uri: "/fhir/AllergyIntolerance?patient=\(patient)\(query)", method: .get, headers: holder).json["total"] as? Int ?? -1
            }
            #expect(try await search("") == 1)
            #expect(try await search("&clinical-status=resolved") == 1)
            #expect(try await search("&clinical-status=active") == 0)
            #expect(try await search("&code=http://snomed.info/sct%7C91936005") == 1)
            #expect(try await search("&code=91936005,123") == 1)
            #expect(try await search("&code=http://loinc.org%7C91936005") == 0)
            #expect(try await search("&date=ge2025-01-01") == 1)
            #expect(try await search("&date=lt2025") == 0)

            let deleted = try await client.execute(uri: "/fhir/\(path)", method: .delete, headers: holder)
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/fhir/\(path)", method: .get, headers: holder).status == .gone)
            #expect(try await search("") == 0)
            let history = try await client.execute(uri: "/fhir/\(path)/_history", method: .get, headers: holder)
            #expect(history.json["total"] as? Int == 3, "\(history.text.prefix(200))")
            let first = try await client.execute(uri: "/fhir/\(path)/_history/1", method: .get, headers: holder)
            #expect(first.status == .ok && first.headers[.eTag] == "W/\"1\"")
            #expect(try await client.execute(uri: "/fhir/\(path)/_history/9", method: .get, headers: holder).status == .notFound)
            #expect(try await client.execute(uri: "/fhir/Condition/\(id)", method: .get, headers: holder).status == .notFound,
                    "an item is found under its own type only")
            #expect(try await Self.put(client, holder, path, resolved).status == .gone)
            #expect(try await client.execute(uri: "/fhir/Condition/\(id)", method: .delete, headers: holder).status == .notFound)

            // A physician's condition: another authorised physician updates it, only its author deletes it, the patient does neither.
            let author = try await tokens.bearer(.doctor("99700000011"))
            let colleague = try await tokens.bearer(.doctor("99700000022"))
            _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + fhirJSON,
                                         body: AccessControlRoutesTests.professional("99700000022"))
            let condition = try await Fixtures.post(client, author, "Condition", Fixtures.condition(patient))
            let conditionPath = "Condition/\(condition.json["id"] as? String ?? "")"
            let remission = Self.withID(Fixtures.condition(patient).replacingOccurrences(of: #""code": "active""#, with: #""code": "remission""#),
                                        condition.json["id"] as? String ?? "")
            #expect(try await Self.put(client, colleague, conditionPath, remission).status == .ok)
            #expect(try await client.execute(uri: "/fhir/\(conditionPath)", method: .delete, headers: colleague).status == .forbidden)
            #expect(try await Self.put(client, holder, conditionPath, remission).status == .forbidden)
            #expect(try await client.execute(uri: "/fhir/\(conditionPath)", method: .delete, headers: holder).status == .forbidden)
            let read = try await client.execute(uri: "/fhir/\(conditionPath)", method: .get, headers: holder)
            let recorder = ((read.json["extension"] as? [[String: Any]])?.last?["valueReference"] as? [String: Any])?["identifier"] as? [String: Any]
            #expect(recorder?["value"] as? String == "899700000022", "the last version's recorder: \(read.text)")
            #expect(try await client.execute(uri: "/fhir/\(conditionPath)", method: .delete, headers: author).status == .noContent)

            // The patient's own section: a professional can neither write nor change it.
            let contact = try await Fixtures.post(client, holder, "RelatedPerson", Fixtures.emergencyContact(patient))
            let contactID = contact.json["id"] as? String ?? ""
            #expect(try await Self.put(client, colleague, "RelatedPerson/\(contactID)", Self.withID(Fixtures.emergencyContact(patient), contactID))
                .status == .forbidden)
            // Someone else's patient learns nothing.
            let stranger = try await tokens.bearer(.patient(.fixture(2)))
            #expect(try await client.execute(uri: "/fhir/RelatedPerson/\(contactID)", method: .get, headers: stranger).status == .notFound)
            #expect(try await Fixtures.post(client, stranger, "RelatedPerson", Fixtures.emergencyContact(patient)).status == .notFound)
        }
    }

    @Test("Consent searches: the access decisions stay the holder's, the summary's consents are searchable by scope", arguments: TestEngine.available)
    func consents(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let directive = #"{"resourceType": "Consent", "status": "active", "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "adr"}]}, "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentcategorycodes", "code": "acd"}]}], "patient": {"reference": "Patient/\#(patient)"}, "dateTime": "2026-02-01", "policyRule": {"text": "Directives anticipées, CSP L1111-11"}, "sourceAttachment": {"title": "Held by my general practitioner"}}"#
            #expect(try await Fixtures.post(client, holder, "Consent", directive).status == .created)
            #expect(try await Fixtures.post(client, holder, "Consent", Fixtures.organDonation(patient)).status == .created)
            let all = try await client.execute(uri: "/fhir/Consent?patient=\(patient)", method: .get, headers: holder)
            #expect(all.status == .ok && (all.json["total"] as? Int ?? 0) >= 3, "the access decisions and both consents: \(all.text.prefix(300))")
            let physician = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await client.execute(uri: "/fhir/Consent?patient=\(patient)", method: .get, headers: physician).status == .forbidden)
            _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + fhirJSON,
                                         body: AccessControlRoutesTests.professional("99700000022"))
            let wishes = try await client.execute(uri: "/fhir/Consent?patient=\(patient)&scope=adr,treatment", method: .get, headers: physician)
            #expect(wishes.status == .ok && wishes.json["total"] as? Int == 2, "\(wishes.text.prefix(300))")
            let donation = try await client.execute(uri: "/fhir/Consent?patient=\(patient)&category=organ-donation", method: .get, headers: physician)
            #expect(donation.json["total"] as? Int == 1)
        }
    }

    @Test("$everything: what the reader may see, paged", arguments: TestEngine.available)
    func everything(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            _ = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor("99700000011")), DocumentRoutesTests.documentBody(.fixture()))
            for (type, body) in [("Observation", Fixtures.bloodGroup(patient)), ("RelatedPerson", Fixtures.emergencyContact(patient))] {
                _ = try await Fixtures.post(client, holder, type, body)
            }
            let everything = try await client.execute(uri: "/fhir/Patient/\(patient)/$everything", method: .get, headers: holder)
            #expect(everything.status == .ok && everything.json["total"] as? Int == 4, "Patient, document, two items: \(everything.text.prefix(300))")
            let page = try await client.execute(uri: "/fhir/Patient/\(patient)/$everything?_count=3", method: .get, headers: holder)
            #expect((page.json["entry"] as? [Any])?.count == 3)
            let next = (page.json["link"] as? [[String: Any]])?.first { $0["relation"] as? String == "next" }?["url"] as? String
            #expect(next?.contains("_offset=3") == true)
            let physiotherapist = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS("99700000070"), profession: .physiotherapist))))
            _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + fhirJSON,
                                         body: AccessControlRoutesTests.professional("99700000070"))
            let narrow = try await client.execute(uri: "/fhir/Patient/\(patient)/$everything", method: .get, headers: physiotherapist)
            #expect(narrow.json["total"] as? Int == 3, "the patient, the consultation report and the blood group, not the contact: \(narrow.text.prefix(300))")
            #expect(try await client.execute(uri: "/fhir/Patient/\(patient)/$everything?since=2020", method: .get, headers: holder).status == .badRequest)
            #expect(try await client.execute(uri: "/fhir/Patient/\(RecordID())/$summary", method: .get, headers: holder).status == .notFound)
        }
    }

    @Test("bad input: a 400 naming the field, nothing written")
    func badInput() async throws {
        try await withCarnet { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let allergy = Fixtures.allergy(patient)
            let cases: [(type: String, body: String, expression: String?)] = [
                ("AllergyIntolerance", "{", nil),
                ("AllergyIntolerance", "[]", nil),
                ("AllergyIntolerance", Fixtures.condition(patient), "AllergyIntolerance.resourceType"),
                ("AllergyIntolerance", allergy.replacingOccurrences(of: #""patient": {"reference": "Patient/\#(patient)"}, "#, with: ""), "AllergyIntolerance.patient"),
                ("AllergyIntolerance", allergy.replacingOccurrences(of: "Patient/\(patient)", with: "Practitioner/\(patient)"), "AllergyIntolerance.patient.reference"),
                ("AllergyIntolerance", allergy.replacingOccurrences(of: #""criticality": "high""#, with: #""criticality": "very""#), "AllergyIntolerance.criticality"),
                ("AllergyIntolerance", allergy.replacingOccurrences(of: #""criticality": "high""#, with: #""criticality": null"#), "AllergyIntolerance.criticality"),
                ("AllergyIntolerance", allergy.replacingOccurrences(of: #""category": ["medication"]"#, with: #""category": []"#), "AllergyIntolerance.category"),
                ("AllergyIntolerance", allergy.replacingOccurrences(of: "2025-01-10", with: "10/01/2025"), "AllergyIntolerance.recordedDate"),
                ("AllergyIntolerance", allergy.replacingOccurrences(of: #""code": "active""#, with: #""code": "cured""#), "AllergyIntolerance.clinicalStatus"),
                ("Observation", Fixtures.bloodGroup(patient).replacingOccurrences(of: #""valueCodeableConcept""#, with: #""note""#), "Observation.value[x]"),
                ("MedicationStatement", Fixtures.treatment(patient, status: "taking"), "MedicationStatement.status"),
                ("Consent", Fixtures.organDonation(patient).replacingOccurrences(of: "organ-donation", with: "other"), "Consent.scope"),
                ("RelatedPerson", Fixtures.emergencyContact(patient).replacingOccurrences(of: #""relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C", "display": "Emergency Contact"}]}], "#, with: ""), "RelatedPerson.relationship"),
                ("Immunization", #"{"resourceType": "Immunization", "status": "completed", "patient": {"reference": "Patient/\#(patient)"}, "occurrenceDateTime": "2020-01-01"}"#, "Immunization.vaccineCode"),
                ("Immunization", #"{"resourceType": "Immunization", "status": "completed", "vaccineCode": {"text": "BCG"}, "patient": {"reference": "Patient/\#(patient)"}}"#, "Immunization.occurrence[x]"),
                ("Condition", Fixtures.condition(patient).replacingOccurrences(of: #""onsetDateTime""#,
                                                                             with: #""note": \#(String(repeating: "[", count: 100))1\#(String(repeating: "]", count: 100)), "onsetDateTime""#), nil),
            ]
            for (type, body, expression) in cases {
                let response = try await Fixtures.post(client, holder, type, body)
                #expect(response.status == .badRequest, "\(type) \(body.prefix(80)): \(response.status) \(response.text)")
                if let expression { #expect(response.expression == expression, "\(response.text)") }
            }
            #expect(try await client.execute(uri: "/fhir/AllergyIntolerance?patient=\(patient)", method: .get, headers: holder).json["total"] as? Int == 0)
            #expect(try await client.execute(uri: "/fhir/AllergyIntolerance?subject=\(patient)&severity=high", method: .get, headers: holder).status == .badRequest)
            #expect(try await client.execute(uri: "/fhir/AllergyIntolerance", method: .get, headers: holder).expression == "patient")
            #expect(try await client.execute(uri: "/fhir/AllergyIntolerance?patient=\(patient)&date=soon", method: .get, headers: holder).expression == "date")

            // An update may not move an item to another patient or turn it into another kind.
            let donation = try await Fixtures.post(client, holder, "Consent", Fixtures.organDonation(patient))
            let id = donation.json["id"] as? String ?? ""
            let directive = Fixtures.organDonation(patient).replacingOccurrences(of: #""code": "treatment""#, with: #""code": "adr""#)
            #expect(try await Self.put(client, holder, "Consent/\(id)", Self.withID(directive, id)).status == .badRequest)
            #expect(try await Self.put(client, holder, "Consent/\(id)", Self.withID(Fixtures.organDonation(patient), RecordID().description)).expression == "Consent.id")
            let other = try await createPatient(client, tokens, .fixture(2))
            #expect(try await Self.put(client, holder, "Consent/\(id)", Self.withID(Fixtures.organDonation(other), id)).status == .badRequest)
            let history = try await client.execute(uri: "/fhir/Consent/\(id)/_history", method: .get, headers: holder)
            #expect(history.json["total"] as? Int == 1, "nothing was written")
        }
    }
}
