import CarnetCore
import CarnetFHIR
import CarnetTestSupport
import Foundation
import Testing

/// Reading a client's Patient into an INS and identity traits, with errors that name the element.
@Suite("Patient mapping")
struct PatientMappingTests {
    /// An FR Core-style Patient as professionals' software sends it.
    static func patientJSON(system: String = "urn:oid:1.2.250.1.213.1.4.8", value: String = "295109912611193",
                            gender: String = "\"female\"", birthDate: String = "\"1995-10-01\"", extra: String = "") -> String {
        """
        {"resourceType": "Patient", \(extra)
         "identifier": [{"use": "usual", "system": "urn:oid:1.2.250.1.71.4.2.7", "value": "IPP-778"},
                        {"use": "official", "system": "\(system)", "value": "\(value)"}],
         "name": [{"use": "usual", "family": "DUPONT"},
                  {"use": "official", "family": "MARTIN", "given": ["Anne"],
                   "extension": [{"url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-birth-list-given-name", "valueString": "Anne Marie"}]}],
         "gender": \(gender), "birthDate": \(birthDate),
         "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                        "valueAddress": {"extension": [{"url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code",
                                                        "valueCoding": {"code": "99126"}}]}}]}
        """
    }

    static func input(_ json: String, keyChecking: INS.KeyChecking = .relaxedForTestIdentities) throws -> PatientInput {
        try FHIRJSON.decode(PatientResource.self, from: Data(json.utf8), resourceName: "Patient").input(keyChecking: keyChecking)
    }

    static func inputError(_ json: String, keyChecking: INS.KeyChecking = .relaxedForTestIdentities) -> FHIRInputError? {
        do {
            _ = try input(json, keyChecking: keyChecking)
            return nil
        } catch let error as FHIRInputError {
            return error
        } catch {
            return FHIRInputError("unexpected \(error)")
        }
    }

    @Test("an FR Core Patient gives its INS and birth identity traits")
    func readsFRCorePatient() throws {
        let input = try Self.input(Self.patientJSON())
        #expect(input.ins.value == "295109912611193" && input.ins.system == .nir)
        #expect(input.identity.birthFamilyName == "MARTIN")
        #expect(input.identity.givenNames == ["Anne", "Marie"])
        #expect(input.identity.sex == .female)
        #expect(input.identity.birthDate.description == "1995-10-01")
        #expect(input.identity.birthplaceCode == "99126")
    }

    @Test("each faulty element is named in the error", arguments: [
        (patientJSON(value: "295109912611142"), "Patient.identifier[1].value", "INS key 42 does not match the number"),
        (patientJSON(value: "2951099126111"), "Patient.identifier[1].value", "15 characters"),
        (patientJSON(system: "urn:oid:1.2.3"), "Patient.identifier", "an INS identifier is required"),
        (patientJSON(value: ""), "Patient.identifier[1].value", "is required"),
        (patientJSON(gender: "\"f\""), "Patient.gender", "not one of male, female"),
        (patientJSON(gender: "null"), "Patient.gender", "is required"),
        (patientJSON(gender: "\"male\""), "Patient.gender", "INS sex digit 2 says 'female'"),
        (patientJSON(birthDate: "\"1995-02-30\""), "Patient.birthDate", "not a valid date"),
        (patientJSON(birthDate: "19951001"), "Patient.birthDate", "wrong type"),
        (patientJSON(extra: "\"identifier\": 3,"), "Patient.identifier", "wrong type"),
    ])
    func namedErrors(_ json: String, _ expression: String, _ message: String) {
        let error = Self.inputError(json)
        #expect(error?.expression == expression)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("a resource that is not a Patient is refused")
    func wrongResourceType() {
        let error = Self.inputError(#"{"resourceType": "Observation"}"#)
        #expect(error?.expression == "resourceType")
    }

    @Test("a name without family name is refused")
    func missingFamily() {
        let json = #"{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"295109912611193"}],"name":[{"given":["A"]}],"gender":"female","birthDate":"1995"}"#
        #expect(Self.inputError(json)?.expression == "Patient.name[0].family")
        let noName = #"{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"295109912611193"}],"gender":"female","birthDate":"1995"}"#
        #expect(Self.inputError(noName)?.expression == "Patient.name")
    }

    @Test("two current INS are refused; an old one is ignored")
    func severalINS() throws {
        let two = #"{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"295109912611193"},{"system":"urn:oid:1.2.250.1.213.1.4.9","value":"253072B07300470"}],"name":[{"family":"A"}],"gender":"female","birthDate":"1995"}"#
        #expect(Self.inputError(two)?.expression == "Patient.identifier")
        let old = two.replacingOccurrences(of: #"{"system":"urn:oid:1.2.250.1.213.1.4.9""#, with: #"{"use":"old","system":"urn:oid:1.2.250.1.213.1.4.9""#)
        #expect(try Self.input(old).ins.value == "295109912611193")
    }

    @Test("test identities with wrong keys pass only when relaxed; production INS never")
    func relaxedTestKeys() throws {
        let test = Self.patientJSON(system: "urn:oid:1.2.250.1.213.1.4.10", value: "123456789012345", gender: "\"male\"")
        #expect(try Self.input(test).ins.system == .test)
        #expect(Self.inputError(test, keyChecking: .strict)?.expression == "Patient.identifier[1].value")
        let production = Self.patientJSON(value: "295109912611142")
        #expect(Self.inputError(production, keyChecking: .relaxedForTestIdentities) != nil)
    }

    @Test("a record's Patient reads back into the same INS and identity")
    func roundTrip() throws {
        let record = HealthRecord(ins: .fixture(7), identity: .fixture(given: ["Camille", "Louise"]), createdAt: testInstant)
        let data = try FHIRJSON.encode(PatientResource(record))
        let decoded = try FHIRJSON.decode(PatientResource.self, from: data, resourceName: "Patient")
        #expect(decoded.id == record.id.description && decoded.active == true && decoded.meta?.versionId == "1")
        let input = try decoded.input(keyChecking: .strict)
        #expect(input.ins == record.ins && input.identity == record.identity)
    }

    @Test("a closed record's Patient is inactive and carries the closure")
    func closedRecord() throws {
        let record = try HealthRecord(ins: .fixture(8), identity: .fixture(), createdAt: testInstant)
            .applying(.close, at: testInstant.addingTimeInterval(3600), reason: "décès")
        let patient = PatientResource(record)
        #expect(patient.active == false)
        let closure = patient.extension?.first { $0.url == PatientResource.ExtensionURL.recordClosure }
        #expect(closure?.extension?.contains { $0.url == "raisonFermeture" && $0.valueString == "décès" } == true)
        #expect(closure?.extension?.first { $0.url == "dateFermeture" }?.valueDateTime == "2026-11-18T12:06:40.123Z")
    }
}

