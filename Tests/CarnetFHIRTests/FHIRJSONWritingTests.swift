import CarnetCore
import CarnetFHIR
import CarnetJSON
import CarnetTestSupport
import Foundation
import Testing

/// Search answers are written by hand (`FHIRJSONWriting.swift`); they must be the very bytes
/// Foundation's encoder gives with FHIR's settings, whatever the resource holds.
struct FHIRJSONWritingTests {
    static func foundationJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func handWritten(_ value: some JSONWritable) -> String {
        String(decoding: value.jsonBytes(), as: UTF8.self)
    }

    /// A pushed resource using every element the mapping reads, plus contained authors and extensions.
    static let rich = """
    {"resourceType":"DocumentReference","id":"x","meta":{"versionId":"2","lastUpdated":"2026-03-10T09:30:00Z","profile":["http://p/1"]},
     "contained":[{"resourceType":"Practitioner","id":"a1","identifier":[{"system":"urn:oid:1.2.250.1.71.4.2.1","value":"899700000011"}],
                   "name":[{"family":"Test","given":["Dr","Ann"],"use":"official"}]},
                  {"resourceType":"Organization","id":"o1","name":"Hôpital \\"synthétique\\" / test","active":true,"telecom":[{"system":"phone","value":"0"}],
                   "extension":[{"url":"http://e/9","valueDecimal":1.5,"valueInteger":3}]}],
     "authenticator":{"reference":"#o1"},
     "extension":[{"url":"http://e/1","valueBoolean":false},{"url":"http://e/2","extension":[{"url":"a","valueCode":"c"}],
                   "valueAddress":{"city":"Paris","postalCode":"75001","country":"FR"}},
                  {"url":"http://e/3","valueCodeableConcept":{"coding":[{"code":"x"}],"text":"t"},"valueIdentifier":{"use":"usual","value":"v",
                   "type":{"coding":[{"system":"s","code":"c","display":"d"}]}},"valueDateTime":"2026","valueString":"s\\n","valueCoding":{"code":"y"}}],
     "masterIdentifier":{"value":"urn:oid:1.2.250.1.999.1"},"identifier":[{"use":"official","value":"urn:uuid:1"}],"status":"current",
     "type":{"coding":[{"system":"http://loinc.org","code":"34112-3","display":"CR hospitalier"}]},
     "category":[{"coding":[{"code":"10"}]}],"subject":{"reference":"Patient/1","type":"Patient","display":"D"},
     "date":"2026-03-10T09:30:00+01:00","author":[{"reference":"#a1"},{"identifier":{"value":"1"}}],"description":"CRH \\u0001 (synthetic)",
     "securityLabel":[{"coding":[{"code":"R"}]}],
     "content":[{"attachment":{"contentType":"application/pdf","language":"fr-FR","data":"JVBERi0xLjQK","url":"http://x/Binary/1","size":9,
                               "hash":"lWB7AtSKeGy3hol9cnEU/HmBSx4=","title":"t","creation":"2026"},"format":{"code":"f"}}],
     "context":{"period":{"start":"2026-03-01","end":"2026-03-09"},"facilityType":{"coding":[{"code":"SA01"}]},
                "practiceSetting":{"coding":[{"code":"ETABLISSEMENT"}]},"event":[{"coding":[{"code":"E1"}]}],
                "sourcePatientInfo":{"identifier":{"value":"IPP"}},"related":[{"identifier":{"value":"V1"}},{"reference":"Encounter/1"}]},
     "relatesTo":[{"code":"replaces","target":{"reference":"DocumentReference/2"}},{"code":"signs","target":{"reference":"DocumentReference/3"}}]}
    """

    @Test func aRichDocumentReferenceIsWrittenAsFoundationWritesIt() throws {
        let resource = try FHIRJSON.decode(DocumentReferenceResource.self, from: Data(Self.rich.utf8), resourceName: "DocumentReference")
        #expect(resource.contained?.count == 2 && resource.extension?.count == 3 && resource.relatesTo?.count == 2)
        #expect(resource.authenticator != nil && resource.context?.related?.count == 2 && resource.contained?[1].raw["telecom"] != nil)
        #expect(Self.handWritten(resource) == (try Self.foundationJSON(resource)))
        #expect(Self.handWritten(DocumentReferenceResource()) == (try Self.foundationJSON(DocumentReferenceResource())))
    }

    @Test func searchBundlesOfStoredEntriesAreWrittenAsFoundationWritesThem() throws {
        let record = RecordID()
        var masked = DocumentEntry.fixture(in: record)
        masked.visibility = DocumentVisibility(maskedToProfessionals: true, confidentiality: .restricted)
        masked.status = .archived
        masked.replaces = DocumentID()
        masked.servicePeriod = DatePeriod(start: testInstant, end: nil)
        masked.events = [Code(system: "s", code: "e")]
        masked.beginNextVersion(at: testInstant.addingTimeInterval(60))
        let resources = [DocumentEntry.fixture(in: record), masked].map { DocumentReferenceResource($0, baseURL: "https://carnet.test/fhir") }
        let bundles = [
            SearchBundle(selfURL: "https://carnet.test/fhir/DocumentReference?patient=1&type=a|b", entries: resources.map {
                (fullUrl: "https://carnet.test/fhir/DocumentReference/\($0.id ?? "")", resource: $0)
            }, total: 7, nextURL: "https://carnet.test/fhir/DocumentReference?_offset=2"),
            SearchBundle<DocumentReferenceResource>(selfURL: "https://carnet.test/fhir/DocumentReference?patient=2", entries: []),
        ]
        for bundle in bundles {
            #expect(Self.handWritten(bundle) == (try Self.foundationJSON(bundle)))
            #expect(String(decoding: try FHIRJSON.encode(bundle), as: UTF8.self) == (try Self.foundationJSON(bundle)))
        }
    }
}
