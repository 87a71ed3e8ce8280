import CarnetCore
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `authorRole` and `authorSpecialty` cross both doors: pushed over XDS.b, found over MHD as the
/// author's contained PractitionerRole `code` and `specialty`; pushed over MHD that way, found over
/// ITI-18 in the author classification's slots.
@Suite("XDS.b author role and specialty")
struct XDSAuthorRoleTests {
    static func coding(_ value: Any?) -> [String: Any]? {
        (((value as? [[String: Any]])?.first)?["coding"] as? [[String: Any]])?.first
    }

    @Test("pushed over XDS.b, the author's role and specialty are found over MHD and ITI-18", arguments: TestEngine.available)
    func xdsToMHD(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let pushed = try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([XDSMessages.Document()]))
            #expect(pushed.xdsStatus == "Success", "\(pushed.text)")

            let found = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let resource = try #require(XDSProvideAndRetrieveTests.resources(found).first)
            let authors = resource["author"] as? [[String: Any]] ?? []
            let person = try #require(authors.first)
            #expect((person["identifier"] as? [String: Any])?["value"] as? String == "899700000011", "the identifier stays on the reference")
            let reference = try #require(person["reference"] as? String)
            #expect(reference.hasPrefix("#"))
            #expect(authors.dropFirst().allSatisfy { $0["reference"] == nil }, "the institution has no role of its own")
            let contained = resource["contained"] as? [[String: Any]] ?? []
            let role = try #require(contained.first { "#\($0["id"] as? String ?? "")" == reference })
            #expect(role["resourceType"] as? String == "PractitionerRole")
            #expect(((role["practitioner"] as? [String: Any])?["identifier"] as? [String: Any])?["value"] as? String == "899700000011")
            #expect(Self.coding(role["code"])?["code"] as? String == "10")
            #expect(Self.coding(role["code"])?["system"] as? String == "urn:oid:1.2.250.1.213.1.1.4.6")
            #expect(Self.coding(role["code"])?["display"] as? String == "Médecin")
            #expect(Self.coding(role["specialty"])?["code"] as? String == "SM54")
            #expect(Self.coding(role["specialty"])?["system"] as? String == "urn:oid:1.2.250.1.213.2.28")

            let queried = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.findDocuments(.fixture()))
            #expect(queried.text.contains("<rim:Slot name=\"authorRole\"><rim:ValueList><rim:Value>10^Médecin^1.2.250.1.213.1.1.4.6</rim:Value>"),
                    "\(queried.text)")
            #expect(queried.text.contains("<rim:Slot name=\"authorSpecialty\"><rim:ValueList><rim:Value>SM54^Médecine générale (SM)^1.2.250.1.213.2.28</rim:Value>"))

            // What MHD serves can be pushed back over MHD, the role read from the contained PractitionerRole.
            var again = resource
            again["id"] = nil
            again["meta"] = nil
            again["identifier"] = nil
            again["masterIdentifier"] = ["value": "urn:oid:1.2.250.1.999.21.77"]
            again["subject"] = ["reference": "Patient/\(patientID)"]
            var content = (again["content"] as? [[String: Any]] ?? [[:]])
            var attachment = content[0]["attachment"] as? [String: Any] ?? [:]
            attachment["url"] = nil
            attachment["hash"] = nil
            attachment["size"] = nil
            attachment["data"] = Data("Une autre version synthétique.".utf8).base64EncodedString()
            content[0]["attachment"] = attachment
            again["content"] = content
            let body = try JSONSerialization.data(withJSONObject: again)
            let repushed = try await DocumentRoutesTests.push(client, doctor, ByteBuffer(string: String(decoding: body, as: UTF8.self)))
            #expect(repushed.status == .created, "\(repushed.text)")
            let rereadRole = ((repushed.json["contained"] as? [[String: Any]])?.first)
            #expect(Self.coding(rereadRole?["specialty"])?["code"] as? String == "SM54")
            let requeried = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.findDocuments(.fixture()))
            #expect(requeried.text.components(separatedBy: "<rim:Slot name=\"authorRole\">").count == 3, "both documents carry the role")
        }
    }

    @Test("pushed over MHD with a contained PractitionerRole, the role and specialty are found over ITI-18", arguments: TestEngine.available)
    func mhdToXDS(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let author = """
                "author": [{"reference": "#role"}],
                """
            let contained = """
                "contained": [
                  {"resourceType": "PractitionerRole", "id": "role", "practitioner": {"reference": "#prac"},
                   "code": [{"coding": [{"system": "urn:oid:1.2.250.1.213.1.1.4.6", "code": "10", "display": "Médecin"}]}],
                   "specialty": [{"coding": [{"system": "urn:oid:1.2.250.1.213.1.1.4.5", "code": "G15_10/SM26", "display": "Qualifié en médecine générale"}]}]},
                  {"resourceType": "Practitioner", "id": "prac", "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}],
                   "name": [{"family": "TEST", "given": ["Alice"]}]}
                ],
                """
            let base = DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.21.2", extra: contained)
            let body = String(buffer: base).replacingOccurrences(
                of: #""author": [{"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}, "display": "Dr Test"}],"#, with: author)
            let pushed = try await DocumentRoutesTests.push(client, doctor, ByteBuffer(string: body))
            #expect(pushed.status == .created, "\(pushed.text)")
            let answer = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.findDocuments(.fixture()))
            #expect(answer.xdsStatus == "Success", "\(answer.text)")
            #expect(answer.text.contains("899700000011^TEST^Alice"), "the professional, from the contained Practitioner")
            #expect(answer.text.contains("<rim:Value>10^Médecin^1.2.250.1.213.1.1.4.6</rim:Value>"), "\(answer.text)")
            #expect(answer.text.contains("<rim:Value>G15_10/SM26^Qualifié en médecine générale^1.2.250.1.213.1.1.4.5</rim:Value>"))

            // Read back over MHD, the contained resources are as sent, not doubled by a written PractitionerRole.
            let id = try #require(pushed.json["id"] as? String)
            let read = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: doctor)
            #expect((read.json["contained"] as? [Any])?.count == 2)
            #expect(((read.json["author"] as? [[String: Any]])?.first)?["reference"] as? String == "#role")
        }
    }

    @Test("a role given as ITI TF-3 codes it (CNE) or as a bare string is kept")
    func codedForms() {
        #expect(XDSAuthors.code("Attending^Médecin traitant^^&1.2.3.4&ISO") == Code(system: "urn:oid:1.2.3.4", code: "Attending", display: "Médecin traitant"))
        #expect(XDSAuthors.code("Primary Surgeon") == Code(system: nil, code: "Primary Surgeon"))
        #expect(XDSAuthors.code("^nothing") == nil)
        #expect(XDSAuthors.write(Code(system: nil, code: "10")) == "10")
        #expect(XDSAuthors.write(Code(system: "http://loinc.org", code: "x^y")) == "x y^^2.16.840.1.113883.6.1")
    }
}
