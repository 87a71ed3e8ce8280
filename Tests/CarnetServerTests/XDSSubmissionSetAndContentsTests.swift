import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import CarnetServer

/// ITI-18 GetSubmissionSetAndContents through the real router: the set, its documents and the
/// HasMember associations, as the reader sees them, within the patient the caller is bound to.
@Suite("XDS.b GetSubmissionSetAndContents (ITI-18)")
struct XDSSubmissionSetAndContentsTests {
    static let query = "urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83"

    static func byUniqueID(_ uniqueID: String) -> String {
        XDSMessages.storedQuery(query, [("$XDSSubmissionSetUniqueId", "'\(uniqueID)'")])
    }

    @Test("by VIHF: the set, its documents, its HasMember associations; a masked one absent; by entryUUID too", arguments: TestEngine.available)
    func viaVIHF(_ engine: TestEngine) async throws {
        let clock = TestClock(VIHFFixtures.instant)
        try await withCarnet(engine, configure: VIHFFixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await VIHFIdentityTests.createRecord(client, tokens, VIHFFixtures.patientA, clock)
            let rsa = try VIHFFixtures.assertion("assertion-rsa")
            var plain = XDSMessages.Document()
            plain.ins = VIHFFixtures.patientA
            var masked = XDSMessages.Document()
            masked.id = "Document02"
            masked.ins = VIHFFixtures.patientA
            masked.confidentiality.append(("MASQUE_PS", "1.2.250.1.213.1.1.4.13"))
            let pushed = try await VIHFIdentityTests.post(client, "/xds/repository",
                                                          VIHFFixtures.secured(XDSMessages.provideAndRegister([plain, masked], setUniqueID: "1.2.250.1.999.21.5"), rsa))
            #expect(pushed.xdsStatus == "Success", "\(pushed.text)")

            let answer = try await VIHFIdentityTests.post(client, "/xds/registry", VIHFFixtures.secured(Self.byUniqueID("1.2.250.1.999.21.5"), rsa))
            #expect(answer.xdsStatus == "Success", "\(answer.text)")
            #expect(answer.xdsObjectIDs("RegistryPackage").count == 1)
            #expect(answer.xdsObjectIDs("ExtrinsicObject").count == 2, "the author sees both")
            #expect(answer.text.components(separatedBy: "AssociationType:HasMember\"").count - 1 == 2)
            let setUUID = try #require(answer.xdsObjectIDs("RegistryPackage").first)
            let byUUID = try await VIHFIdentityTests.post(client, "/xds/registry", VIHFFixtures.secured(
                XDSMessages.storedQuery(Self.query, [("$XDSSubmissionSetEntryUUID", "'\(setUUID)'")]), rsa))
            #expect(byUUID.xdsObjectIDs("ExtrinsicObject").count == 2)
            let onlyMasked = try await VIHFIdentityTests.post(client, "/xds/registry", VIHFFixtures.secured(XDSMessages.storedQuery(Self.query, [
                ("$XDSSubmissionSetUniqueId", "'1.2.250.1.999.21.5'"), ("$XDSDocumentEntryConfidentialityCode", "('MASQUE_PS^^1.2.250.1.213.1.1.4.13')")]), rsa))
            #expect(onlyMasked.xdsObjectIDs("ExtrinsicObject").count == 1, "\(onlyMasked.text)")

            // A physician the patient authorised sees the set with only what is not masked to them.
            let holder = try await tokens.bearer(.patient(VIHFFixtures.patientA), now: clock.now())
            let recordID = try #require(try await client.execute(uri: "/fhir/Patient?identifier=\(VIHFFixtures.patientA.system.uri)%7C\(VIHFFixtures.patientA.value)",
                                                                  method: .get, headers: holder).json["entry"].flatMap { ($0 as? [[String: Any]])?.first?["resource"] as? [String: Any] }?["id"] as? String)
            let granted = try await client.execute(uri: "/fhir/Patient/\(recordID)/$authorize", method: .post, headers: holder + fhirJSON,
                                                   body: AccessControlRoutesTests.professional("99700000022"))
            #expect(granted.status == .ok, "\(granted.text)")
            let colleague = try await VIHFIdentityTests.post(client, "/xds/registry",
                                                             VIHFFixtures.secured(Self.byUniqueID("1.2.250.1.999.21.5"), try VIHFFixtures.assertion("assertion-ecdsa")))
            #expect(colleague.xdsStatus == "Success", "\(colleague.text)")
            #expect(colleague.xdsObjectIDs("ExtrinsicObject").count == 1)
            #expect(colleague.text.components(separatedBy: "AssociationType:HasMember\"").count - 1 == 1, "no association to the masked document")
            #expect(!colleague.text.contains("MASQUE_PS"))

            // The patient side finds the set in their own record.
            let own = try await XDSMessages.post(client, "/xds/registry", holder, Self.byUniqueID("1.2.250.1.999.21.5"))
            #expect(own.xdsObjectIDs("ExtrinsicObject").count == 2, "\(own.text)")
            let unknown = try await XDSMessages.post(client, "/xds/registry", holder, Self.byUniqueID("1.2.250.1.999.21.404"))
            #expect(unknown.xdsStatus == "Success" && unknown.xdsObjectIDs("RegistryPackage").isEmpty)

            // A bearer token names no patient: told how to ask instead.
            let doctor = try await tokens.bearer(.doctor(), now: clock.now())
            let unbound = try await XDSMessages.post(client, "/xds/registry", doctor, Self.byUniqueID("1.2.250.1.999.21.5"))
            #expect(unbound.xdsStatus == "Failure" && unbound.xdsErrorCodes == ["XDSRegistryError"] && unbound.text.contains("VIHF"))
            let both = try await XDSMessages.post(client, "/xds/registry", holder, XDSMessages.storedQuery(Self.query, [
                ("$XDSSubmissionSetUniqueId", "'1.2.250.1.999.21.5'"), ("$XDSSubmissionSetEntryUUID", "'\(setUUID)'")]))
            #expect(both.xdsErrorCodes == ["XDSStoredQueryParamNumber"])
        }
    }
}
