import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The structured summary end to end: the patient's own section and professionals' clinical items,
/// `$summary` built from what each reader may see, versions, deletions, `$everything`, bad input.
@Suite("Structured summary")
struct SummaryRoutesTests {
    static let fhirJSON: HTTPFields = [.contentType: "application/fhir+json"]

    static func bloodGroup(_ patient: String) -> String {
        #"{"resourceType": "Observation", "status": "final", "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}], "code": {"coding": [{"system": "http://loinc.org", "code": "882-1", "display": "ABO and Rh group [Type] in Blood"}]}, "subject": {"reference": "Patient/\#(patient)"}, "effectiveDateTime": "2024-05-02", "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "278149003", "display": "Blood group A Rh(D) positive"}]}}"#
    }

    static func allergy(_ patient: String) -> String {
        #"{"resourceType": "AllergyIntolerance", "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]}, "type": "allergy", "category": ["medication"], "criticality": "high", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005", "display": "Allergy to penicillin"}]}, "patient": {"reference": "Patient/\#(patient)"}, "recordedDate": "2025-01-10", "reaction": [{"manifestation": [{"coding": [{"system": "http://snomed.info/sct", "code": "39579001", "display": "Anaphylaxis"}]}], "severity": "severe"}]}"#
    }

    static func emergencyContact(_ patient: String) -> String {
        #"{"resourceType": "RelatedPerson", "patient": {"reference": "Patient/\#(patient)"}, "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C", "display": "Emergency Contact"}]}], "name": [{"family": "MARTIN", "given": ["Paul"]}], "telecom": [{"system": "phone", "value": "+33 6 00 00 00 00"}]}"#
    }

    static func organDonation(_ patient: String, _ stance: String = "deny") -> String {
        #"{"resourceType": "Consent", "status": "active", "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}]}, "category": [{"coding": [{"system": "https://carnet.example/fhir/CodeSystem/consent-category", "code": "organ-donation", "display": "Organ donation"}]}], "patient": {"reference": "Patient/\#(patient)"}, "dateTime": "2026-01-15", "policyRule": {"text": "Registre national des refus"}, "provision": {"type": "\#(stance)"}}"#
    }

    static func condition(_ patient: String) -> String {
        #"{"resourceType": "Condition", "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006", "display": "Diabetes mellitus type 2"}]}, "subject": {"reference": "Patient/\#(patient)"}, "onsetDateTime": "2019-03"}"#
    }

    static func treatment(_ patient: String, status: String = "active") -> String {
        #"{"resourceType": "MedicationStatement", "status": "\#(status)", "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "A10BA02", "display": "metformin"}]}, "subject": {"reference": "Patient/\#(patient)"}, "effectivePeriod": {"start": "2019-04-01"}, "dosage": [{"text": "1000 mg twice a day"}]}"#
    }

    static func post(_ client: any TestClientProtocol, _ headers: HTTPFields, _ type: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/fhir/\(type)", method: .post, headers: headers + fhirJSON, body: ByteBuffer(string: body))
    }

    static func summaryItems(_ response: TestResponse) -> [String] {
        ((response.json["entry"] as? [[String: Any]]) ?? []).dropFirst(2).compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }.sorted()
    }

    @Test("the patient's section and a physician's items, each $summary showing what its reader may see", arguments: TestEngine.available)
    func doneWhen(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            for (type, body) in [("Observation", Self.bloodGroup(patient)), ("AllergyIntolerance", Self.allergy(patient)),
                                 ("RelatedPerson", Self.emergencyContact(patient)), ("Consent", Self.organDonation(patient))] {
                let created = try await Self.post(client, holder, type, body)
                #expect(created.status == .created, "\(type): \(created.text)")
                #expect(created.headers[.eTag] == "W/\"1\"")
                let tag = ((created.json["meta"] as? [String: Any])?["tag"] as? [[String: Any]])?.first?["code"] as? String
                #expect(tag == "patient", "\(type) is recorded by the patient")
            }
            let physician = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await Self.post(client, physician, "RelatedPerson", Self.emergencyContact(patient)).status == .forbidden,
                    "contacts are the patient's own section")
            for (type, body) in [("Condition", Self.condition(patient)), ("MedicationStatement", Self.treatment(patient))] {
                let created = try await Self.post(client, physician, type, body)
                #expect(created.status == .created, "\(type): \(created.text)")
            }
            // Feeding needs no authorisation; before one, the physician sees only what they recorded.
            #expect(Self.summaryItems(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: physician)) ==
                    ["Condition", "MedicationStatement"])
            for rpps in ["99700000022", "99700000021", "99700000070", "99700000040"] {
                _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + Self.fhirJSON,
                                             body: AccessControlRoutesTests.professional(rpps))
            }
            let full = ["AllergyIntolerance", "Condition", "Consent", "MedicationStatement", "Observation", "RelatedPerson"]
            let forPhysician = try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: physician)
            #expect(forPhysician.status == .ok && forPhysician.json["type"] as? String == "document", "\(forPhysician.text.prefix(300))")
            #expect(Self.summaryItems(forPhysician) == full)
            let composition = ((forPhysician.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any]) ?? [:]
            #expect(composition["resourceType"] as? String == "Composition" && (composition["section"] as? [Any])?.count == 7)

            func summary(_ profession: Profession, _ rpps: String) async throws -> [String] {
                let token = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS(rpps), profession: profession))))
                return Self.summaryItems(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: token))
            }
            #expect(try await summary(.pharmacist, "99700000021") == full, "the interim matrix grants pharmacists every type")
            #expect(try await summary(.physiotherapist, "99700000070") == ["AllergyIntolerance", "Condition", "MedicationStatement", "Observation"],
                    "physiotherapists read the medical summary, not the patient's wishes (EXPPAT_1)")
            #expect(try await summary(.dentist, "99700000040") == ["AllergyIntolerance", "Condition", "MedicationStatement", "Observation"])

            // The patient hides all documents: professionals see only what they recorded, the holder everything.
            _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$hide-documents", method: .post, headers: holder + Self.fhirJSON,
                                         body: ByteBuffer(string: #"{"resourceType": "Parameters", "parameter": [{"name": "hidden", "valueBoolean": true}]}"#))
            #expect(Self.summaryItems(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: physician)) ==
                    ["Condition", "MedicationStatement"])
            #expect(try await summary(.pharmacist, "99700000021").isEmpty)
            #expect(Self.summaryItems(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: holder)) == full)
        }
    }
}

extension SummaryRoutesTests {
    static func directivesSection(_ response: TestResponse) -> [String] {
        let composition = ((response.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any]) ?? [:]
        let section = (composition["section"] as? [[String: Any]])?.first {
            (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "42348-3"
        }
        return ((section?["entry"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
    }

    @Test("advance directives: the EXPPAT_3 document and its Consent in $summary, gone when masked or not granted", arguments: TestEngine.available)
    func advanceDirectives(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let author = try await tokens.bearer(.doctor("99700000011"))
            let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(type: "EXPPAT_3",
                                                                                                              content: "Directives anticipées (synthétiques)"))
            #expect(pushed.status == .created, "\(pushed.text)")
            let documentID = pushed.json["id"] as? String ?? ""
            let directive = #"{"resourceType": "Consent", "status": "active", "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "adr"}]}, "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentcategorycodes", "code": "acd"}]}], "patient": {"reference": "Patient/\#(patient)"}, "dateTime": "2026-02-01", "policyRule": {"text": "CSP L1111-11"}, "sourceReference": {"reference": "DocumentReference/\#(documentID)"}}"#
            #expect(try await Self.post(client, holder, "Consent", directive).status == .created)
            for rpps in ["99700000022", "99700000040"] {
                _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + Self.fhirJSON,
                                             body: AccessControlRoutesTests.professional(rpps))
            }
            let physician = try await tokens.bearer(.doctor("99700000022"))
            let dentist = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS("99700000040"), profession: .dentist))))
            let seen = Self.directivesSection(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: physician))
            #expect(seen.count == 2 && seen.contains { $0.hasSuffix("DocumentReference/\(documentID)") }, "\(seen)")
            #expect(Self.directivesSection(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: dentist)).isEmpty,
                    "dentists may not read advance directives")

            let masked = try await client.execute(uri: "/fhir/DocumentReference/\(documentID)/$mask", method: .post, headers: holder)
            #expect(masked.status == .ok, "\(masked.text)")
            let afterMask = Self.directivesSection(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: physician))
            #expect(afterMask.count == 1 && !afterMask.contains { $0.contains(documentID) }, "a masked document never appears: \(afterMask)")
            #expect(Self.directivesSection(try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: holder)).count == 2)
        }
    }
}
