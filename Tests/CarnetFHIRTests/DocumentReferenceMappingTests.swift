import CarnetCore
import CarnetFHIR
import CarnetTestSupport
import Foundation
import Testing

@Suite("DocumentReference mapping")
struct DocumentReferenceMappingTests {
    static func resource(_ json: String) throws -> DocumentReferenceResource {
        try FHIRJSON.decode(DocumentReferenceResource.self, from: Data(json.utf8), resourceName: "DocumentReference")
    }

    static let pushed = """
    {"resourceType":"DocumentReference","masterIdentifier":{"value":"urn:oid:1.2.250.1.999.1"},"status":"current",
     "type":{"coding":[{"system":"http://loinc.org","code":"34112-3","display":"CR hospitalier"}]},
     "category":[{"coding":[{"system":"urn:oid:1.2.250.1.213.1.1.4.1","code":"10"}]}],
     "subject":{"identifier":{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"295109912611193"}},
     "date":"2026-03-10T09:30:00+01:00","description":"CRH (synthetic)",
     "securityLabel":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
                      {"coding":[{"system":"urn:oid:1.2.250.1.213.1.1.4.13","code":"INVISIBLE_REP_LEGAUX"}]}],
     "content":[{"attachment":{"contentType":"application/pdf","language":"fr-FR","data":"JVBERi0xLjQK","size":9,"hash":"lWB7AtSKeGy3hol9cnEU/HmBSx4="},
                 "format":{"system":"http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode","code":"urn:ihe:iti:xds-sd:pdf:2008"}}],
     "context":{"period":{"start":"2026-03-01","end":"2026-03-09"},"facilityType":{"coding":[{"code":"SA01"}]},
                "practiceSetting":{"coding":[{"code":"ETABLISSEMENT"}]},"event":[{"coding":[{"code":"E1"}]}]}}
    """

    @Test("a pushed DocumentReference gives its draft, content and subject")
    func input() throws {
        let input = try Self.resource(Self.pushed).input(keyChecking: .strict, now: testInstant, maxContentSize: 1024)
        #expect(input.content == Data("%PDF-1.4\n".utf8))
        #expect(input.subject == .ins(try INS("295109912611193")))
        #expect(input.draft.uniqueID == "urn:oid:1.2.250.1.999.1" && input.draft.type.code == "34112-3")
        #expect(input.draft.visibility.invisibleToLegalRepresentatives && input.draft.visibility.confidentiality == .restricted)
        #expect(input.draft.date == FHIRDate.interval("2026-03-10T08:30:00Z")?.lower)
        #expect(input.draft.servicePeriod?.end == FHIRDate.interval("2026-03-09")?.lower)
        #expect(input.draft.events.map(\.code) == ["E1"] && input.draft.facilityType?.code == "SA01")
        #expect(input.draft.format?.code == "urn:ihe:iti:xds-sd:pdf:2008")
    }

    @Test("a stored entry comes out with its content by URL, its labels and its relations")
    func output() throws {
        var entry = DocumentEntry.fixture(in: RecordID(), replaces: DocumentID())
        entry.status = .archived
        entry.visibility.maskedToProfessionals = true
        let resource = DocumentReferenceResource(entry, baseURL: "http://carnet.test/fhir")
        #expect(resource.status == "current")
        #expect(resource.extension?.first?.url == DocumentReferenceResource.isArchivedExtension)
        #expect(resource.content?.first?.attachment?.url == "http://carnet.test/fhir/Binary/\(entry.id)")
        #expect(resource.content?.first?.attachment?.data == nil)
        #expect(resource.securityLabel?.compactMap { $0.coding?.first?.code } == ["MASQUE_PS", "N"])
        #expect(resource.relatesTo?.first?.target?.reference == "DocumentReference/\(entry.replaces!)")
        #expect(resource.subject?.reference == "Patient/\(entry.recordID)")
    }

    @Test("subjects: Patient/{id}, conditional INS reference, identifier")
    func subjects() throws {
        let id = RecordID()
        func subject(_ json: String) throws -> DocumentSubjectReference {
            try Self.resource(Self.pushed.replacingOccurrences(
                of: #""subject":{"identifier":{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"295109912611193"}}"#, with: json))
                .input(keyChecking: .strict, now: testInstant, maxContentSize: 1024).subject
        }
        #expect(try subject(#""subject":{"reference":"Patient/\#(id)"}"#) == .recordID(id))
        #expect(try subject(#""subject":{"reference":"Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|295109912611193"}"#)
                == .ins(try INS("295109912611193")))
    }

    @Test("content checks: size, hash and limit")
    func contentChecks() throws {
        let resource = try Self.resource(Self.pushed)
        #expect(throws: FHIRInputError.self) { try resource.input(keyChecking: .strict, now: testInstant, maxContentSize: 8) }
        let wrongSize = try Self.resource(Self.pushed.replacingOccurrences(of: #""size":9"#, with: #""size":10"#))
        #expect(throws: FHIRInputError("is 10 but the content has 9 bytes", at: "DocumentReference.content[0].attachment.size")) {
            try wrongSize.input(keyChecking: .strict, now: testInstant, maxContentSize: 1024)
        }
    }

    @Test("FHIR dates stand for intervals", arguments: [
        ("2026", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), ("2026-02", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"),
        ("2024-02-29", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"),
    ])
    func dateIntervals(_ text: String, _ lower: String, _ upper: String) throws {
        let interval = try #require(FHIRDate.interval(text))
        #expect(interval.lower == (try Date.ISO8601FormatStyle().parse(lower)))
        #expect(interval.upper == (try Date.ISO8601FormatStyle().parse(upper)))
    }

    @Test("the dateTime shape is checked exactly as FHIR's pattern says, on every one-character change of valid values")
    func dateTimeShape() {
        // FHIR's dateTime pattern, restricted to the full form with seconds Carnet accepts; ASCII digits only.
        let pattern = /[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])/
        let valid = ["2026-03-10T09:30:00Z", "2026-03-10T23:59:60+01:00", "1999-12-31T00:00:00.123456789-12:30", "2026-03-10T09:30:00.5Z"]
        var samples = valid + ["", "2026-03-10", "2026-03-10T09:30Z", "2026-03-10T09:30:00.1234567890Z", "2026-03-10T09:30:00.Z",
                               "2026-03-10T09:30:00+0100", "2026-03-10T09:30:00Z ", "２026-03-10T09:30:00Z"]
        for text in valid {
            let characters = Array(text)
            for index in characters.indices {
                for replacement in ["0", "2", "6", "9", ":", "-", "+", ".", "Z", "T", "x", ""] {
                    var changed = characters
                    changed.replaceSubrange(index...index, with: Array(replacement))
                    samples.append(String(changed))
                }
            }
        }
        for text in samples {
            #expect(FHIRDate.hasDateTimeShape(text) == (text.wholeMatch(of: pattern) != nil), "\(text)")
        }
    }

    @Test("malformed dates are refused", arguments: ["2026-13", "2023-02-29", "26-01-01", "2026-01-01T25:00:00Z", "yesterday", ""])
    func badDates(_ text: String) {
        #expect(FHIRDate.interval(text) == nil)
    }
}
