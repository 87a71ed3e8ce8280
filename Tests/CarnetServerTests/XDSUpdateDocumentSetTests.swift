import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-57 through the real router, onto the same document changes as MHD's PATCH.
@Suite("XDS.b Update Document Set (ITI-57)")
struct XDSUpdateDocumentSetTests {
    @Test("Approved → Deprecated archives and back unarchives; a masking update hides it from other professionals")
    func statusAndConfidentiality() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let ins = INS.fixture()
            let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.10.1"))
            let id = try #require(pushed.json["id"] as? String)
            let holder = try await tokens.bearer(.patient(ins))
            let granted = try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                                   body: AccessControlRoutesTests.professional("99700000022"))
            #expect(granted.status == .ok)
            let colleague = try await tokens.bearer(.doctor("99700000022"))

            let archive = try await XDSMessages.post(client, "/xds/registry", author, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.statusChange("urn:uuid:\(id)", from: XDSMessages.approved, to: XDSMessages.deprecated)))
            #expect(archive.xdsStatus == "Success", "\(archive.text)")
            #expect(archive.text.contains("urn:ihe:iti:2010:UpdateDocumentSetResponse"))
            let archived = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: author)
            #expect((archived.json["extension"] as? [[String: Any]])?.first?["valueBoolean"] as? Bool == true, "PDSm's is-archived")
            let again = try await XDSMessages.post(client, "/xds/registry", author, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.statusChange("urn:uuid:\(id)", from: XDSMessages.approved, to: XDSMessages.deprecated)))
            #expect(again.xdsStatus == "Failure" && again.xdsErrorCodes == ["XDSMetadataUpdateError"], "already archived: \(again.text)")
            let unarchive = try await XDSMessages.post(client, "/xds/registry", author, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.statusChange("urn:uuid:\(id)", from: XDSMessages.deprecated, to: XDSMessages.approved)))
            #expect(unarchive.xdsStatus == "Success", "\(unarchive.text)")

            let seen = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: colleague)
            #expect(seen.status == .ok)
            let version = try #require(((seen.json["meta"] as? [String: Any])?["versionId"] as? String).flatMap { Int($0) })
            let stale = try await XDSMessages.post(client, "/xds/registry", author, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.confidentialityUpdate("urn:uuid:\(id)", previousVersion: version - 1, [("MASQUE_PS", "1.2.250.1.213.1.1.4.13"), ("N", "2.16.840.1.113883.5.25")])))
            #expect(stale.xdsErrorCodes == ["XDSMetadataVersionError"], "\(stale.text)")
            let mask = try await XDSMessages.post(client, "/xds/registry", author, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.confidentialityUpdate("urn:uuid:\(id)", previousVersion: version, [("MASQUE_PS", "1.2.250.1.213.1.1.4.13"), ("N", "2.16.840.1.113883.5.25")])))
            #expect(mask.xdsStatus == "Success", "\(mask.text)")
            let hidden = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: colleague)
            #expect(hidden.status == .notFound, "masked: the colleague no longer sees it")
            let byXDS = try await XDSMessages.post(client, "/xds/registry", colleague, XDSMessages.findDocuments(ins, returnType: "ObjectRef"))
            #expect(byXDS.xdsObjectIDs("ObjectRef").isEmpty)

            // The colleague may not change what they may not see: answered as a missing document.
            let refused = try await XDSMessages.post(client, "/xds/registry", colleague, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.statusChange("urn:uuid:\(id)", from: XDSMessages.approved, to: XDSMessages.deprecated)))
            let missing = try await XDSMessages.post(client, "/xds/registry", colleague, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.statusChange("urn:uuid:\(UUID().uuidString.lowercased())", from: XDSMessages.approved, to: XDSMessages.deprecated)))
            #expect(refused.xdsErrorCodes == missing.xdsErrorCodes && refused.xdsErrorCodes == ["UnresolvedReferenceException"])
            let two = try await XDSMessages.post(client, "/xds/registry", author, XDSMessages.updateDocumentSet(ins: ins,
                XDSMessages.statusChange("urn:uuid:\(id)", from: XDSMessages.approved, to: XDSMessages.deprecated)
                    + XDSMessages.statusChange("urn:uuid:\(id)", from: XDSMessages.deprecated, to: XDSMessages.approved).replacingOccurrences(of: "upd01", with: "upd03")))
            #expect(two.xdsErrorCodes == ["XDSMetadataUpdateError"], "one change per request")
        }
    }
}
