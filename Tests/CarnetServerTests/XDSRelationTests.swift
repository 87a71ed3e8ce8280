import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// APND, XFRM and signs associations in ITI-41 are MHD's `relatesTo` appends, transforms and signs,
/// both ways: pushed over XDS.b, read over MHD; pushed over MHD, answered by ITI-18 GetAssociations.
@Suite("XDS.b APND, XFRM, signs ↔ MHD relatesTo")
struct XDSRelationTests {
    static func relatesTo(_ resource: [String: Any]?) -> [(code: String, target: String)] {
        (resource?["relatesTo"] as? [[String: Any]] ?? []).map {
            ($0["code"] as? String ?? "", ($0["target"] as? [String: Any])?["reference"] as? String ?? "")
        }
    }

    @Test("an addendum pushed over XDS.b appends over MHD; one pushed over MHD is an APND over ITI-18", arguments: TestEngine.available)
    func appends(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([XDSMessages.Document()])).xdsStatus == "Success")
            let found = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let original = try #require(XDSProvideAndRetrieveTests.resources(found).first?["id"] as? String)

            func push(_ type: String, target: String) async throws -> TestResponse {
                var addendum = XDSMessages.Document()
                addendum.replaces = target
                let message = XDSMessages.provideAndRegister([addendum]).replacingOccurrences(of: "urn:ihe:iti:2007:AssociationType:RPLC", with: type)
                return try await XDSMessages.post(client, "/xds/repository", doctor, message)
            }
            let appended = try await push("urn:ihe:iti:2007:AssociationType:APND", target: original)
            #expect(appended.xdsStatus == "Success", "\(appended.text)")
            let all = XDSProvideAndRetrieveTests.resources(try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor))
            #expect(all.count == 2, "an addendum replaces nothing")
            let addendum = try #require(all.first { !Self.relatesTo($0).isEmpty })
            #expect(Self.relatesTo(addendum).map(\.code) == ["appends"])
            #expect(Self.relatesTo(addendum).map(\.target) == ["DocumentReference/\(original)"])
            let addendumID = try #require(addendum["id"] as? String)
            let viaXDS = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(XDSMessages.getAssociations, [
                ("$uuid", "('urn:uuid:\(addendumID)')")]))
            #expect(viaXDS.text.contains("associationType=\"urn:ihe:iti:2007:AssociationType:APND\" sourceObject=\"urn:uuid:\(addendumID)\" targetObject=\"urn:uuid:\(original)\""),
                    "\(viaXDS.text)")

            #expect(try await push("urn:ihe:iti:2007:AssociationType:signs", target: original).xdsStatus == "Success")
            let missing = try await push("urn:ihe:iti:2007:AssociationType:XFRM", target: UUID().uuidString.lowercased())
            #expect(missing.xdsStatus == "Failure" && missing.xdsErrorCodes == ["UnresolvedReferenceException"], "\(missing.text)")
            let notServed = try await push("urn:ihe:iti:2007:AssociationType:XFRM_RPLC", target: original)
            #expect(notServed.xdsErrorCodes == ["XDSRegistryMetadataError"])

            let mhd = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(
                extra: #""relatesTo": [{"code": "transforms", "target": {"reference": "DocumentReference/\#(original)"}}],"#))
            #expect(mhd.status == .created, "\(mhd.text)")
            let mhdID = try #require(mhd.json["id"] as? String)
            let transformed = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(XDSMessages.getAssociations, [
                ("$uuid", "('urn:uuid:\(mhdID)')")], returnType: "ObjectRef"))
            #expect(transformed.xdsObjectIDs("ObjectRef").contains("urn:uuid:\(mhdID)-transforms-0"), "\(transformed.text)")
            let everything = try await XDSMessages.post(client, "/xds/registry", doctor, XDSGetAllTests.getAll(.fixture(), documents: [XDSMessages.approved]))
            #expect(everything.text.components(separatedBy: "AssociationType:APND\"").count - 1 == 1)
            #expect(everything.text.components(separatedBy: "AssociationType:XFRM\"").count - 1 == 1)
            #expect(everything.text.components(separatedBy: "AssociationType:signs\"").count - 1 == 1)
        }
    }
}
