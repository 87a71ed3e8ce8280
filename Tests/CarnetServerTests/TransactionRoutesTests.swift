import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-65 provide bundles shaped as ANS's PDSm guide publishes them for TD2 and TD2.1 (written for
/// Carnet, not copied): conditional subject by INS, contained author, `Binary` entries by `urn:uuid`,
/// and the FHIRPath `PATCH` that supersedes a replaced document.
@Suite("Transaction bundles (ITI-65)")
struct TransactionRoutesTests {
    static func binary(_ fullUrl: String, _ text: String) -> String {
        """
        {"fullUrl": "\(fullUrl)", "resource": {"resourceType": "Binary", "contentType": "application/xml",
         "data": "\(Data(text.utf8).base64EncodedString())"}, "request": {"method": "POST", "url": "Binary"}}
        """
    }

    static func document(_ fullUrl: String, binary: String, ins: INS, uniqueID: String?, content: String, replaces: String? = nil) -> String {
        """
        {"fullUrl": "\(fullUrl)", "resource": {"resourceType": "DocumentReference",
          "contained": [{"resourceType": "Practitioner", "id": "author", "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}],
                         "name": [{"family": "TEST", "given": ["Alice"]}]}],
          \(uniqueID.map { #""masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": "\#($0)"},"# } ?? "")
          "status": "current",
          \(replaces.map { #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#($0)"}}],"# } ?? "")
          "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},
          "category": [{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument", "code": "10"}]}],
          "subject": {"reference": "Patient?identifier=\(ins.system.uri)|\(ins.value)"},
          "date": "2026-06-12T10:00:00+02:00", "author": [{"reference": "#author"}],
          "securityLabel": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "N"}]}],
          "content": [{"attachment": {"contentType": "application/xml", "language": "fr-FR", "url": "\(binary)",
                       "size": \(content.utf8.count), "hash": "\(sha1Base64(Data(content.utf8)))"}}]},
         "request": {"method": "POST", "url": "DocumentReference"}}
        """
    }

    /// An MHD SubmissionSet listing `entries` (fullUrls of the Bundle's DocumentReferences).
    static func submissionSet(uniqueID: String? = nil, entries: [String] = [], code: String = "submissionset") -> String {
        """
        {"fullUrl": "urn:uuid:aaaaaaaa-0000-0000-0000-000000000001", "resource": {"resourceType": "List",
         "extension": [{"url": "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId", "valueIdentifier": {"value": "urn:oid:1.2.250.1.999"}}],
         \(uniqueID.map { #""identifier": [{"use": "usual", "system": "urn:ietf:rfc:3986", "value": "\#($0)"}],"# } ?? "")
         "status": "current", "mode": "working", "title": "Sortie d'hospitalisation (synthetic)",
         "code": {"coding": [{"system": "https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes", "code": "\(code)"}]},
         "entry": [\(entries.map { #"{"item": {"reference": "\#($0)"}}"# }.joined(separator: ", "))]},
         "request": {"method": "POST", "url": "List"}}
        """
    }

    static func supersession(_ target: String) -> String {
        """
        {"fullUrl": "urn:uuid:aaaaaaaa-0000-0000-0000-000000000009", "resource": {"resourceType": "Parameters", "parameter": [{"name": "operation",
          "part": [{"name": "type", "valueCode": "replace"}, {"name": "path", "valueString": "DocumentReference.status"},
                   {"name": "value", "valueCode": "superseded"}]}]},
         "request": {"method": "PATCH", "url": "DocumentReference/\(target)"}}
        """
    }

    static func bundle(_ entries: [String]) -> ByteBuffer {
        .json(#"{"resourceType": "Bundle", "type": "transaction", "entry": [\#(entries.joined(separator: ",\n"))]}"#)
    }

    static let cda1 = #"<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>synthetic 1</title></ClinicalDocument>"#
    static let cda2 = #"<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>synthetic 2</title></ClinicalDocument>"#
    /// New words for a replacement: the bytes of another current document would be that document's duplicate (issue 18).
    static let cda3 = #"<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>synthetic 3</title></ClinicalDocument>"#

    static func twoDocuments(_ ins: INS = .fixture(), setID: String? = nil) -> ByteBuffer {
        bundle([submissionSet(uniqueID: setID, entries: ["urn:uuid:aaaaaaaa-0000-0000-0000-000000000002", "urn:uuid:aaaaaaaa-0000-0000-0000-000000000004"]),
                document("urn:uuid:aaaaaaaa-0000-0000-0000-000000000002", binary: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000003", ins: ins,
                         uniqueID: "urn:oid:1.2.250.1.999.2", content: cda1),
                binary("urn:uuid:aaaaaaaa-0000-0000-0000-000000000003", cda1),
                document("urn:uuid:aaaaaaaa-0000-0000-0000-000000000004", binary: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000005", ins: ins,
                         uniqueID: nil, content: cda2),
                binary("urn:uuid:aaaaaaaa-0000-0000-0000-000000000005", cda2)])
    }

    @Test("a submission set with two documents: transaction-response, both found, identical bytes", arguments: TestEngine.available)
    func provideTwo(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: Self.twoDocuments())
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["type"] as? String == "transaction-response")
            let statuses = (response.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["response"] as? [String: Any])?["status"] as? String }
            #expect(statuses == Array(repeating: "201 Created", count: 5))

            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 2)
            let resources = (search.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            let author = (resources.first?["author"] as? [[String: Any]])?.first
            #expect((author?["identifier"] as? [String: Any])?["value"] as? String == "899700000011")
            #expect(author?["display"] as? String == "Alice TEST")
            for resource in resources {
                let id = try #require(resource["id"] as? String)
                let bytes = try await client.execute(uri: "/fhir/Binary/\(id)", method: .get, headers: doctor)
                #expect([Self.cda1, Self.cda2].contains(String(buffer: bytes.body)))
                #expect(bytes.headers[.contentType] == "application/xml")
            }
        }
    }

    @Test("TD2.1: a replacement with its PATCH entry supersedes the old version", arguments: TestEngine.available)
    func replacement(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            _ = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: Self.twoDocuments())
            let search = "/fhir/DocumentReference?patient=\(patientID)"
            let before = try await client.execute(uri: search, method: .get, headers: doctor)
            let oldID = try #require((before.json["entry"] as? [[String: Any]])?.first.flatMap { ($0["resource"] as? [String: Any])?["id"] as? String })
            let replacement = Self.bundle([
                Self.submissionSet(entries: ["urn:uuid:aaaaaaaa-0000-0000-0000-000000000006"]),
                Self.document("urn:uuid:aaaaaaaa-0000-0000-0000-000000000006", binary: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000007",
                              ins: .fixture(), uniqueID: "urn:oid:1.2.250.1.999.3", content: Self.cda3, replaces: oldID),
                Self.supersession(oldID),
                Self.binary("urn:uuid:aaaaaaaa-0000-0000-0000-000000000007", Self.cda3),
            ])
            let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: replacement)
            #expect(response.status == .ok, "\(response.text)")
            let after = try await client.execute(uri: search, method: .get, headers: doctor)
            #expect(after.json["total"] as? Int == 2)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(oldID)", method: .get, headers: doctor).json["status"] as? String == "superseded")
        }
    }

    @Test("one bad entry refuses the whole bundle, naming it, and stores nothing", arguments: [
        (#"{"resourceType": "Bundle", "type": "batch", "entry": []}"#, "Bundle.type"),
        (#"{"resourceType": "Bundle", "type": "transaction", "entry": []}"#, "Bundle.entry"),
        (#"{"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": {"resourceType": "Observation"}}]}"#,
         "Bundle.entry[0].resource.resourceType"),
        (#"{"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": {"resourceType": "DocumentReference", "type": 3}}]}"#,
         "Bundle.entry[0].resource.type"),
    ])
    func badBundles(_ body: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            let response = try await client.execute(uri: "/fhir", method: .post, headers: try await tokens.bearer(.doctor()) + fhirJSON, body: .json(body))
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.expression == expression, "\(response.diagnostics)")
        }
    }

    @Test("a faulty second document, a dangling Binary reference or a wrong hash leaves no document at all")
    func allOrNothing() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let wrongHash = String(buffer: Self.twoDocuments()).replacingOccurrences(of: sha1Base64(Data(Self.cda2.utf8)), with: sha1Base64(Data("x".utf8)))
            let dangling = String(buffer: Self.twoDocuments()).replacingOccurrences(
                of: #""url": "urn:uuid:aaaaaaaa-0000-0000-0000-000000000005""#, with: #""url": "urn:uuid:aaaaaaaa-0000-0000-0000-0000000000ff""#)
            let productionINS = String(buffer: Self.twoDocuments()).replacingOccurrences(of: INS.fixture().value, with: "123456789012345")
            let strayListEntry = String(buffer: Self.twoDocuments()).replacingOccurrences(
                of: #"{"item": {"reference": "urn:uuid:aaaaaaaa-0000-0000-0000-000000000004"}}"#, with: #"{"item": {"reference": "urn:uuid:0"}}"#)
            let notASubmissionSet = String(buffer: Self.twoDocuments()).replacingOccurrences(of: #""code": "submissionset""#, with: #""code": "folder""#)
            for (body, expression) in [(wrongHash, "Bundle.entry[3].resource.content[0].attachment.hash"),
                                       (strayListEntry, "Bundle.entry[0].resource.entry[1].item"),
                                       (notASubmissionSet, "Bundle.entry[0].resource.code"),
                                       (dangling, "Bundle.entry[3].resource.content[0].attachment.url"),
                                       (productionINS, "Bundle.entry[1].resource.subject.reference")] {
                let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: .json(body))
                #expect(response.status == .badRequest && response.expression == expression, "\(response.diagnostics)")
            }
            let duplicate = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: Self.bundle([
                Self.document("urn:uuid:1", binary: "urn:uuid:2", ins: .fixture(), uniqueID: "urn:oid:1.2.3", content: Self.cda1),
                Self.binary("urn:uuid:2", Self.cda1),
                Self.document("urn:uuid:3", binary: "urn:uuid:4", ins: .fixture(), uniqueID: "urn:oid:1.2.3", content: Self.cda2),
                Self.binary("urn:uuid:4", Self.cda2),
            ]))
            #expect(duplicate.status == .conflict)
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 0)
        }
    }
}
