import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// MHD Folders (a `List` with code `folder`) are not stored by Carnet (issue 22): a Bundle bringing
/// one is refused saying so, not told its Folder is a second SubmissionSet, and nothing is stored.
@Suite("MHD Folders")
struct DocumentFolderTests {
    @Test("a Folder beside the SubmissionSet is refused as not supported, naming its entry, and nothing is stored")
    func folderRefused() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let folder = TransactionRoutesTests.submissionSet(entries: ["urn:uuid:aaaaaaaa-0000-0000-0000-000000000002"], code: "folder")
                .replacingOccurrences(of: "aaaaaaaa-0000-0000-0000-000000000001", with: "aaaaaaaa-0000-0000-0000-0000000000f0")
            let cda = TransactionRoutesTests.cda1
            let body = TransactionRoutesTests.bundle([
                TransactionRoutesTests.submissionSet(entries: ["urn:uuid:aaaaaaaa-0000-0000-0000-000000000002"]),
                TransactionRoutesTests.document("urn:uuid:aaaaaaaa-0000-0000-0000-000000000002", binary: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000003",
                                                ins: .fixture(), uniqueID: "urn:oid:1.2.250.1.999.40", content: cda),
                TransactionRoutesTests.binary("urn:uuid:aaaaaaaa-0000-0000-0000-000000000003", cda),
                folder,
            ])
            let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.expression == "Bundle.entry[3].resource.code")
            #expect(response.issue["code"] as? String == "not-supported")
            #expect(response.diagnostics.contains("Folders are not supported"), "\(response.diagnostics)")
            #expect(!response.diagnostics.contains("SubmissionSet;"))
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 0)
        }
    }
}
