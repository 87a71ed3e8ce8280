import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-18 GetAll through the real router: a patient's documents and submission sets, and the
/// associations between what is returned.
@Suite("XDS.b GetAll (ITI-18)")
struct XDSGetAllTests {
    static let getAll = "urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3"
    static let folderStatus = ("$XDSFolderStatus", "('\(XDSMessages.approved)')")

    static func getAll(_ ins: INS, documents: [String], sets: [String] = [XDSMessages.approved], folders: Bool = true,
                       returnType: String = "LeafClass") -> String {
        XDSMessages.storedQuery(getAll, [("$patientId", "'\(XDSMessages.cx(ins))'"),
                                         ("$XDSDocumentEntryStatus", "(\(documents.map { "'\($0)'" }.joined(separator: ",")))"),
                                         ("$XDSSubmissionSetStatus", "(\(sets.map { "'\($0)'" }.joined(separator: ",")))")]
                                    + (folders ? [folderStatus] : []), returnType: returnType)
    }

    @Test("documents, submission sets, HasMember and RPLC associations between what is returned; no folders", arguments: TestEngine.available)
    func getAll(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let ins = INS.fixture()
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([XDSMessages.Document()])).xdsStatus == "Success")
            let found = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let original = try #require(XDSProvideAndRetrieveTests.resources(found).first?["id"] as? String)
            var replacement = XDSMessages.Document()
            replacement.replaces = original
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([replacement])).xdsStatus == "Success")

            let everything = try await XDSMessages.post(client, "/xds/registry", doctor,
                                                        Self.getAll(ins, documents: [XDSMessages.approved, XDSMessages.deprecated]))
            #expect(everything.xdsStatus == "Success", "\(everything.text)")
            #expect(everything.xdsObjectIDs("ExtrinsicObject").count == 2)
            #expect(everything.xdsObjectIDs("RegistryPackage").count == 2)
            #expect(everything.text.components(separatedBy: "AssociationType:HasMember\"").count - 1 == 2)
            #expect(everything.text.components(separatedBy: "AssociationType:RPLC\"").count - 1 == 1)
            #expect(everything.text.contains("targetObject=\"urn:uuid:\(original)\""))

            let current = try await XDSMessages.post(client, "/xds/registry", doctor, Self.getAll(ins, documents: [XDSMessages.approved], returnType: "ObjectRef"))
            let refs = current.xdsObjectIDs("ObjectRef")
            #expect(!refs.contains("urn:uuid:\(original)"), "the superseded version is not asked for")
            #expect(refs.count == 1 + 2 + 1, "one document, both sets, the one HasMember between what is returned; no RPLC to what is not: \(refs)")

            let noFolders = try await XDSMessages.post(client, "/xds/registry", doctor, Self.getAll(ins, documents: [XDSMessages.approved], folders: false))
            #expect(noFolders.xdsStatus == "Failure" && noFolders.xdsErrorCodes == ["XDSStoredQueryParamNumber"])
            let unknownParameter = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.storedQuery(Self.getAll, [
                ("$patientId", "'\(XDSMessages.cx(ins))'"), ("$XDSDocumentEntryStatus", "('\(XDSMessages.approved)')"),
                ("$XDSSubmissionSetStatus", "('\(XDSMessages.approved)')"), Self.folderStatus, ("$XDSDocumentEntryTypeCode", "('x')")]))
            #expect(unknownParameter.xdsErrorCodes == ["XDSRegistryError"], "a parameter GetAll does not take is refused, not ignored")
        }
    }
}
