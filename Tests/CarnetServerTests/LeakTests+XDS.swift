import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The XDS.b door leaks nothing the FHIR door hides: a document the reader may not see answers
/// ITI-43 exactly as a unique id that does not exist.
extension LeakTests {
    @Test("ITI-43: a masked document is retrieved as a missing one, with the same words")
    func xdsRetrieveHidesMasked() async throws {
        try await withCarnet { client, tokens in
            let world = try await world(client, tokens)
            _ = world
            let masked = try await XDSMessages.post(client, "/xds/repository", world.physician, XDSMessages.retrieve(["urn:oid:1.2.250.1.999.77.1"]))
            let missing = try await XDSMessages.post(client, "/xds/repository", world.physician, XDSMessages.retrieve(["urn:oid:1.2.250.1.999.77.404"]))
            #expect(masked.xdsStatus == "Failure" && masked.xdsErrorCodes == ["XDSDocumentUniqueIdError"])
            func errors(_ response: TestResponse) -> String {
                let text = response.text
                guard let start = text.range(of: "<rs:RegistryErrorList>"), let end = text.range(of: "</rs:RegistryErrorList>") else { return "" }
                return String(text[start.lowerBound..<end.upperBound]).replacingOccurrences(of: "77.404", with: "77.1")
            }
            #expect(errors(masked) == errors(missing) && !errors(masked).isEmpty)
            let plain = try await XDSMessages.post(client, "/xds/repository", world.physician, XDSMessages.retrieve(["urn:oid:1.2.250.1.999.77.3"]))
            #expect(plain.xdsStatus == "Success", "the physician reads what is not hidden: \(plain.text)")
            let patientSide = try await XDSMessages.post(client, "/xds/repository", world.holder, XDSMessages.retrieve(["urn:oid:1.2.250.1.999.77.2"]))
            #expect(patientSide.xdsErrorCodes == ["XDSDocumentUniqueIdError"], "not visible to the patient yet")
        }
    }
}

extension LeakTests {
    @Test("ITI-18: a masked document is absent from FindDocuments, GetDocuments, GetAssociations and the submission set's count")
    func xdsQueriesHideMasked() async throws {
        try await withCarnet { client, tokens in
            let world = try await world(client, tokens)
            let ins = INS.fixture()
            let found = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSMessages.findDocuments(ins))
            #expect(found.xdsStatus == "Success", "\(found.text)")
            #expect(Set(found.xdsObjectIDs("ExtrinsicObject")) == Set((world.plain + [world.hiddenFromPatient]).map { "urn:uuid:\($0)" }))
            #expect(!found.text.contains(world.masked) && !found.text.contains("MASQUE_PS"))
            let refs = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSMessages.findDocuments(ins, returnType: "ObjectRef"))
            #expect(refs.xdsObjectIDs("ObjectRef").count == 4)
            let named = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSMessages.storedQuery(XDSMessages.getDocuments, [
                ("$XDSDocumentEntryEntryUUID", "('urn:uuid:\(world.masked)')")]))
            let random = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSMessages.storedQuery(XDSMessages.getDocuments, [
                ("$XDSDocumentEntryEntryUUID", "('urn:uuid:\(UUID().uuidString.lowercased())')")]))
            #expect(named.xdsStatus == "Success" && named.xdsObjectIDs("ExtrinsicObject").isEmpty)
            #expect(named.text.count == random.text.count, "the same answer as for an id that does not exist")
            let byUniqueID = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSMessages.storedQuery(XDSMessages.getDocuments, [
                ("$XDSDocumentEntryUniqueId", "('urn:oid:1.2.250.1.999.77.1')")]))
            #expect(byUniqueID.xdsObjectIDs("ExtrinsicObject").isEmpty)
            let associations = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSMessages.storedQuery(XDSMessages.getAssociations, [
                ("$uuid", "('urn:uuid:\(world.masked)')")]))
            #expect(associations.xdsObjectIDs("Association").isEmpty)
            // The filters applied after the service's search (author person, service times) see only what it found.
            let byAuthor = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSMessages.findDocuments(ins, [
                ("$XDSDocumentEntryAuthorPerson", "'%'")], returnType: "ObjectRef"))
            #expect(byAuthor.xdsStatus == "Success" && byAuthor.xdsObjectIDs("ObjectRef").count == 4 && !byAuthor.text.contains(world.masked))
            let everything = try await XDSMessages.post(client, "/xds/registry", world.physician, XDSGetAllTests.getAll(
                ins, documents: [XDSMessages.approved, XDSMessages.deprecated], returnType: "ObjectRef"))
            #expect(everything.xdsStatus == "Success" && !everything.text.contains(world.masked), "GetAll: not the document, nor an association to it")
            #expect(everything.xdsObjectIDs("ObjectRef").count == 4 + 1 + 4, "four documents, their set, four HasMember: \(everything.text)")
            // The holder does not find what is not yet visible to them.
            let holder = try await XDSMessages.post(client, "/xds/registry", world.holder, XDSMessages.findDocuments(ins, returnType: "ObjectRef"))
            #expect(!holder.text.contains(world.hiddenFromPatient))
            #expect(holder.xdsObjectIDs("ObjectRef").count == 4, "the masked one is the patient's to see")
            let set = try await XDSMessages.post(client, "/xds/registry", world.holder, XDSMessages.storedQuery(
                XDSSubmissionSetAndContentsTests.query, [("$XDSSubmissionSetUniqueId", "'urn:oid:1.2.250.1.999.77'")], returnType: "ObjectRef"))
            #expect(set.xdsStatus == "Success" && !set.text.contains(world.hiddenFromPatient), "GetSubmissionSetAndContents: \(set.text)")
            #expect(set.xdsObjectIDs("ObjectRef").count == 1 + 4 + 4, "the set, four documents, four HasMember")
        }
    }
}
