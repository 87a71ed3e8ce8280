import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation

/// The first demo patient's structured summary, synthetic like the rest of the demo: what the patient
/// recorded (blood group, an allergy, an emergency contact, the organ-donation stance) and what the
/// demo physician recorded (a condition, a treatment), read through the same FHIR mapping as the API.
enum DemoSummary {
    static func seed(_ record: HealthRecord, physician: Actor, in service: RecordService) async throws {
        let holder = Actor.patient(record.ins)
        guard try await service.searchSummary(of: record.id, SummaryQuery(kinds: Set(SummaryKind.allCases)), by: holder).isEmpty else { return }
        let patient = #""Patient/\#(record.id)""#
        let byPatient: [(String, String)] = [
            ("Observation", #"{"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "882-1", "display": "ABO and Rh group [Type] in Blood"}]}, "subject": {"reference": \#(patient)}, "effectiveDateTime": "2021-06-14", "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "278149003", "display": "Blood group A Rh(D) positive"}]}}"#),
            ("AllergyIntolerance", #"{"resourceType": "AllergyIntolerance", "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]}, "type": "allergy", "category": ["medication"], "criticality": "high", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91936005", "display": "Allergie à la pénicilline"}]}, "patient": {"reference": \#(patient)}, "recordedDate": "2024-02-03"}"#),
            ("RelatedPerson", #"{"resourceType": "RelatedPerson", "patient": {"reference": \#(patient)}, "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C", "display": "Emergency Contact"}]}], "name": [{"family": "DEMO", "given": ["Paul"]}], "telecom": [{"system": "phone", "value": "+33 1 00 00 00 00"}]}"#),
            ("Consent", #"{"resourceType": "Consent", "status": "active", "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}]}, "category": [{"coding": [{"system": "https://carnet.example/fhir/CodeSystem/consent-category", "code": "organ-donation"}]}], "patient": {"reference": \#(patient)}, "dateTime": "2025-09-01", "policyRule": {"text": "Don d'organes : non opposé (synthétique)"}, "provision": {"type": "permit"}}"#),
        ]
        let byPhysician: [(String, String)] = [
            ("Condition", #"{"resourceType": "Condition", "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003", "display": "Hypertension artérielle"}]}, "subject": {"reference": \#(patient)}, "onsetDateTime": "2020-05"}"#),
            ("MedicationStatement", #"{"resourceType": "MedicationStatement", "status": "active", "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "C09AA05", "display": "ramipril"}]}, "subject": {"reference": \#(patient)}, "effectivePeriod": {"start": "2020-06-01"}, "dosage": [{"text": "5 mg le matin"}]}"#),
        ]
        for (actor, items) in [(holder, byPatient), (physician, byPhysician)] {
            for (type, json) in items {
                _ = try await service.addSummaryItem(try SummaryResource.item(from: Data(json.utf8), resourceType: type), by: actor)
            }
        }
    }
}
