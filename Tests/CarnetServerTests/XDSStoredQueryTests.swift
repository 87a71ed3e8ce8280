import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-18 through the real router, onto the same searches as MHD: FindDocuments, GetDocuments,
/// FindSubmissionSets, GetAssociations, in LeafClass and ObjectRef.
@Suite("XDS.b Registry Stored Query (ITI-18)")
struct XDSStoredQueryTests {
    @Test("pushed over MHD, found over ITI-18 with the same metadata; filters by type and creation time", arguments: TestEngine.available)
    func findDocuments(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let ins = INS.fixture()
            let report = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.6.1", type: "11488-4",
                                                                                                           date: "2026-03-10T09:30:00+01:00"))
            let lab = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.6.2", type: "11502-2",
                                                                                                        date: "2026-04-02T08:00:00Z"))
            let reportID = try #require(report.json["id"] as? String)
            let labID = try #require(lab.json["id"] as? String)

            let all = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.findDocuments(ins))
            #expect(all.xdsStatus == "Success", "\(all.text)")
            #expect(all.text.contains("urn:ihe:iti:2007:RegistryStoredQueryResponse"))
            #expect(all.xdsObjectIDs("ExtrinsicObject") == ["urn:uuid:\(labID)", "urn:uuid:\(reportID)"], "newest first, ids as MHD's")
            #expect(all.text.contains("value=\"urn:oid:1.2.250.1.999.6.1\""), "the uniqueId as pushed")
            #expect(all.text.contains("nodeRepresentation=\"11488-4\""))
            #expect(all.text.contains("<rim:Value>2.16.840.1.113883.6.1</rim:Value>"), "LOINC written as its OID")
            #expect(all.text.contains("<rim:Value>20260310083000</rim:Value>"), "creationTime in UTC")
            #expect(all.text.contains("<rim:Value>\(ins.value)^^^&amp;1.2.250.1.213.1.4.8&amp;ISO</rim:Value>"))
            #expect(all.text.contains("899700000011^"), "the author person")

            let byType = try await XDSMessages.post(client, "/xds/registry", doctor,
                                                    XDSMessages.findDocuments(ins, [("$XDSDocumentEntryTypeCode", "('11502-2^^2.16.840.1.113883.6.1')")]))
            #expect(byType.xdsObjectIDs("ExtrinsicObject") == ["urn:uuid:\(labID)"])
            let byTime = try await XDSMessages.post(client, "/xds/registry", doctor,
                                                    XDSMessages.findDocuments(ins, [("$XDSDocumentEntryCreationTimeFrom", "20260301"),
                                                                                   ("$XDSDocumentEntryCreationTimeTo", "20260401")], returnType: "ObjectRef"))
            #expect(byTime.xdsObjectIDs("ObjectRef") == ["urn:uuid:\(reportID)"])
            #expect(byTime.xdsObjectIDs("ExtrinsicObject").isEmpty)

            let unknownParameter = try await XDSMessages.post(client, "/xds/registry", doctor,
                                                              XDSMessages.findDocuments(ins, [("$XDSDocumentEntryAuthorPersn", "'x'")]))
            #expect(unknownParameter.xdsStatus == "Failure" && unknownParameter.xdsErrorCodes == ["XDSRegistryError"])
            let noPatient = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(XDSMessages.findDocuments, []))
            #expect(noPatient.xdsErrorCodes == ["XDSStoredQueryParamNumber"])
            let unknownQuery = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery("urn:uuid:00000000-0000-0000-0000-000000000000", []))
            #expect(unknownQuery.xdsErrorCodes == ["XDSUnknownStoredQuery"])
        }
    }

    @Test("pushed over XDS.b: FindSubmissionSets, GetDocuments by uuid and unique id, GetAssociations with HasMember and RPLC")
    func submissionSetsDocumentsAssociations() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let ins = INS.fixture()
            let original = XDSMessages.Document()
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([original], setUniqueID: "1.2.250.1.999.8.1")).xdsStatus == "Success")
            let found = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.findDocuments(ins))
            let originalUUID = try #require(found.xdsObjectIDs("ExtrinsicObject").first)
            var replacement = XDSMessages.Document()
            replacement.replaces = String(originalUUID.dropFirst("urn:uuid:".count))
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([replacement], setUniqueID: "1.2.250.1.999.8.2")).xdsStatus == "Success")

            let sets = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(XDSMessages.findSubmissionSets, [
                ("$XDSSubmissionSetPatientId", "'\(XDSMessages.cx(ins))'"), ("$XDSSubmissionSetStatus", "('\(XDSMessages.approved)')")]))
            #expect(sets.xdsObjectIDs("RegistryPackage").count == 2, "\(sets.text)")
            #expect(sets.text.contains("value=\"1.2.250.1.999.8.1\"") && sets.text.contains("value=\"1.2.250.1.999.7\""), "uniqueId and sourceId")
            let lists = try await client.execute(uri: "/fhir/List?patient=\(patientID)&code=submissionset", method: .get, headers: doctor)
            let listIDs = (lists.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
            #expect(Set(sets.xdsObjectIDs("RegistryPackage")) == Set(listIDs.map { "urn:uuid:\($0)" }), "the same sets as ITI-66, the same ids")

            let deprecated = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.findDocuments(ins, [])
                .replacingOccurrences(of: XDSMessages.approved, with: XDSMessages.deprecated))
            #expect(deprecated.xdsObjectIDs("ExtrinsicObject") == [originalUUID], "the replaced version is Deprecated")
            #expect(deprecated.text.contains("status=\"\(XDSMessages.deprecated)\""))

            let byUUID = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(XDSMessages.getDocuments, [
                ("$XDSDocumentEntryEntryUUID", "('\(originalUUID)', 'urn:uuid:\(UUID().uuidString.lowercased())')")]))
            #expect(byUUID.xdsObjectIDs("ExtrinsicObject") == [originalUUID], "an unknown uuid is left out")
            let byUniqueID = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(XDSMessages.getDocuments, [
                ("$XDSDocumentEntryUniqueId", "('\(replacement.uniqueID)')")]))
            let replacementUUID = try #require(byUniqueID.xdsObjectIDs("ExtrinsicObject").first)

            let associations = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(XDSMessages.getAssociations, [
                ("$uuid", "('\(replacementUUID)')")]))
            #expect(associations.xdsObjectIDs("Association").count == 2, "\(associations.text)")
            #expect(associations.text.contains("associationType=\"urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember\""))
            #expect(associations.text.contains("associationType=\"urn:ihe:iti:2007:AssociationType:RPLC\" sourceObject=\"\(replacementUUID)\" targetObject=\"\(originalUUID)\""))
        }
    }
}
