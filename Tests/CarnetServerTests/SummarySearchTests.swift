import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The summary searches of every type but AllergyIntolerance and Consent (see SummaryLifecycleTests):
/// each type's patient, date, code and status parameters, as `SummarySearch` reads them, on two items
/// that differ in each, beside another patient's item that must never come back.
@Suite("Structured summary: searches by type")
struct SummarySearchTests {
    typealias Fixtures = SummaryRoutesTests

    static func hypertension(_ patient: String) -> String {
        #"{"resourceType": "Condition", "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]}, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003", "display": "Hypertensive disorder"}]}, "subject": {"reference": "Patient/\#(patient)"}, "onsetDateTime": "2023-06-01"}"#
    }

    static func amlodipine(_ patient: String) -> String {
        #"{"resourceType": "MedicationStatement", "status": "completed", "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "C08CA01", "display": "amlodipine"}]}, "subject": {"reference": "Patient/\#(patient)"}, "effectiveDateTime": "2024-02-10"}"#
    }

    static func vaccination(_ patient: String, code: String = "208", status: String = "completed", date: String = "2021-05-10") -> String {
        #"{"resourceType": "Immunization", "status": "\#(status)", "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "\#(code)"}], "text": "vaccine \#(code)"}, "patient": {"reference": "Patient/\#(patient)"}, "occurrenceDateTime": "\#(date)", "primarySource": true}"#
    }

    static func bodyWeight(_ patient: String) -> String {
        #"{"resourceType": "Observation", "status": "preliminary", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body weight"}]}, "subject": {"reference": "Patient/\#(patient)"}, "effectiveDateTime": "2025-11-20", "valueQuantity": {"value": 72, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}"#
    }

    static func trustedPerson(_ patient: String, active: Bool = true) -> String {
        #"{"resourceType": "RelatedPerson", "active": \#(active), "patient": {"reference": "Patient/\#(patient)"}, "relationship": [{"coding": [{"system": "https://carnet.example/fhir/CodeSystem/related-person-role", "code": "personne-de-confiance", "display": "Personne de confiance"}]}], "name": [{"family": "DURAND", "given": ["Claire"]}], "period": {"start": "2025-09-01"}}"#
    }

    /// The items of each type: two for the patient, differing in code, status and date; one for someone else.
    static func items(_ patient: String) -> [(type: String, body: String)] {
        [
            ("Condition", Fixtures.condition(patient)), ("Condition", hypertension(patient)),
            ("MedicationStatement", Fixtures.treatment(patient)), ("MedicationStatement", amlodipine(patient)),
            ("Immunization", vaccination(patient, code: "03", status: "not-done", date: "1990-06-01")),
            ("Observation", Fixtures.bloodGroup(patient)), ("Observation", bodyWeight(patient)),
            ("RelatedPerson", Fixtures.emergencyContact(patient)), ("RelatedPerson", trustedPerson(patient, active: false)),
        ]
    }

    /// Each search and how many items it must find (the patient's id is added).
    static let searches: [(type: String, query: String, total: Int)] = [
        ("Condition", "", 2),
        ("Condition", "&clinical-status=active", 1),
        ("Condition", "&clinical-status=resolved", 1),
        ("Condition", "&clinical-status=active,resolved", 2),
        ("Condition", "&clinical-status=remission", 0),
        ("Condition", "&code=http://snomed.info/sct%7C44054006", 1),
        ("Condition", "&code=38341003", 1),
        ("Condition", "&code=http://loinc.org%7C38341003", 0),
        ("Condition", "&date=ge2020", 1),
        ("Condition", "&date=2019-03", 1),
        ("Condition", "&date=lt2019", 0),
        ("Condition", "&clinical-status=active&date=ge2020", 0),
        ("MedicationStatement", "", 2),
        ("MedicationStatement", "&status=active", 1),
        ("MedicationStatement", "&status=completed", 1),
        ("MedicationStatement", "&status=stopped", 0),
        ("MedicationStatement", "&code=http://www.whocc.no/atc%7CC08CA01", 1),
        ("MedicationStatement", "&code=A10BA02", 1),
        ("MedicationStatement", "&code=http://snomed.info/sct%7CA10BA02", 0),
        ("MedicationStatement", "&date=ge2024", 1),
        ("MedicationStatement", "&date=2019-04-01", 1),
        ("MedicationStatement", "&date=gt2024-02-10", 0),
        ("Immunization", "", 2),
        ("Immunization", "&status=completed", 1),
        ("Immunization", "&status=not-done", 1),
        ("Immunization", "&status=entered-in-error", 0),
        ("Immunization", "&vaccine-code=http://hl7.org/fhir/sid/cvx%7C208", 1),
        ("Immunization", "&vaccine-code=03,208", 2),
        ("Immunization", "&vaccine-code=http://loinc.org%7C208", 0),
        ("Immunization", "&date=ge2021-01-01", 1),
        ("Immunization", "&date=le1995", 1),
        ("Immunization", "&date=2022", 0),
        ("Observation", "", 2),
        ("Observation", "&status=final", 1),
        ("Observation", "&status=preliminary", 1),
        ("Observation", "&status=amended", 0),
        ("Observation", "&code=http://loinc.org%7C882-1", 1),
        ("Observation", "&code=29463-7", 1),
        ("Observation", "&code=http://snomed.info/sct%7C882-1", 0),
        ("Observation", "&date=2024-05", 1),
        ("Observation", "&date=ge2025", 1),
        ("Observation", "&date=lt2024", 0),
        ("Observation", "&code=882-1&status=preliminary", 0),
        ("RelatedPerson", "", 2),
        ("RelatedPerson", "&relationship=http://terminology.hl7.org/CodeSystem/v2-0131%7CC", 1),
        ("RelatedPerson", "&relationship=personne-de-confiance", 1),
        ("RelatedPerson", "&relationship=http://terminology.hl7.org/CodeSystem/v2-0131%7Cpersonne-de-confiance", 0),
        ("RelatedPerson", "&active=true", 1),
        ("RelatedPerson", "&active=false", 1),
        ("RelatedPerson", "&date=ge2025", 1),
        ("RelatedPerson", "&date=lt2025", 0),
    ]

    /// Parameters a type does not take (another type's name for the same idea) and bad values: a 400 naming them.
    static let refused: [(type: String, query: String, parameter: String)] = [
        ("Condition", "&status=active", "status"),
        ("Condition", "&vaccine-code=208", "vaccine-code"),
        ("MedicationStatement", "&clinical-status=active", "clinical-status"),
        ("Immunization", "&code=208", "code"),
        ("Observation", "&relationship=C", "relationship"),
        ("RelatedPerson", "&status=active", "status"),
        ("RelatedPerson", "&active=yes", "active"),
        ("RelatedPerson", "&code=C", "code"),
        ("Observation", "&code=http://loinc.org%7C", "code"),
        ("Immunization", "&date=2021-13", "date"),
        ("Condition", "&scope=adr", "scope"),
    ]

    @Test("each type's patient, date, code and status searches, only the patient's items", arguments: TestEngine.available)
    func searches(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let other = try await createPatient(client, tokens, .fixture(2))
            let holder = try await tokens.bearer(.patient(.fixture()))
            let otherHolder = try await tokens.bearer(.patient(.fixture(2)))
            for (type, body) in Self.items(patient) {
                let created = try await Fixtures.post(client, holder, type, body)
                #expect(created.status == .created, "\(type): \(created.text)")
            }
            // A physician records the vaccination they gave: a professional's create of an Immunization.
            let physician = try await tokens.bearer(.doctor("99700000011"))
            let vaccination = try await Fixtures.post(client, physician, "Immunization", Self.vaccination(patient))
            #expect(vaccination.status == .created, "\(vaccination.text)")
            #expect(vaccination.json["resourceType"] as? String == "Immunization" && vaccination.headers[.location]?.contains("/fhir/Immunization/") == true)
            let tag = ((vaccination.json["meta"] as? [String: Any])?["tag"] as? [[String: Any]])?.first?["code"] as? String
            #expect(tag == "professional")
            // Someone else's items of every type, which no search of this patient may return.
            for type in ["Condition", "MedicationStatement", "Immunization", "Observation", "RelatedPerson"] {
                let body = Self.items(other).first { $0.type == type }?.body ?? ""
                #expect(try await Fixtures.post(client, otherHolder, type, body).status == .created, "\(type) for the other patient")
            }

            for (type, query, total) in Self.searches {
                let response = try await client.execute(uri: "/fhir/\(type)?patient=\(patient)\(query)", method: .get, headers: holder)
                let resources = ((response.json["entry"] as? [[String: Any]]) ?? []).compactMap { $0["resource"] as? [String: Any] }
                #expect(response.status == .ok && response.json["total"] as? Int == total && resources.count == total,
                        "\(type)?\(query): \(response.status) \(response.text.prefix(300))")
                #expect(resources.allSatisfy { $0["resourceType"] as? String == type })
                let subjects = resources.compactMap { (($0["subject"] ?? $0["patient"]) as? [String: Any])?["reference"] as? String }
                #expect(subjects.allSatisfy { $0 == "Patient/\(patient)" } && subjects.count == total, "\(type)?\(query): \(subjects)")
            }
            // `subject` (and a `Patient/` reference) names the patient too; the other patient's search finds only theirs.
            for type in ["Condition", "Observation", "MedicationStatement"] {
                let bySubject = try await client.execute(uri: "/fhir/\(type)?subject=Patient/\(patient)", method: .get, headers: holder)
                #expect(bySubject.json["total"] as? Int == 2, "\(type)?subject=: \(bySubject.text.prefix(200))")
            }
            for type in ["Condition", "MedicationStatement", "Immunization", "Observation", "RelatedPerson"] {
                let theirs = try await client.execute(uri: "/fhir/\(type)?patient=\(other)", method: .get, headers: otherHolder)
                #expect(theirs.json["total"] as? Int == 1, "\(type) of the other patient: \(theirs.text.prefix(200))")
                let refused = try await client.execute(uri: "/fhir/\(type)?patient=\(other)", method: .get, headers: holder)
                #expect([.forbidden, .notFound].contains(refused.status) || refused.json["total"] as? Int == 0,
                        "\(type): a patient never finds another's items")
            }
            for (type, query, parameter) in Self.refused {
                let response = try await client.execute(uri: "/fhir/\(type)?patient=\(patient)\(query)", method: .get, headers: holder)
                #expect(response.status == .badRequest && response.expression == parameter, "\(type)?\(query): \(response.status) \(response.text)")
            }
        }
    }
}
