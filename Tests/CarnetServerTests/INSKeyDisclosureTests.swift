import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 23.11: a wrong INS key is said to be wrong, never answered with the right one — that would
/// turn a typo (or a guess) into another person's INS. Through every door that reads an INS: FHIR
/// creation and search, the patient's sign-in, the professional's search, the page's own script.
@Suite("INS key disclosure")
struct INSKeyDisclosureTests {
    /// The fixture's number with a wrong key, and its right key as the server would compute it.
    static let number = String(INS.fixture().value.prefix(13))
    static let rightKey = String(INS.fixture().value.suffix(2))
    static let wrongKey = INS.fixture().key == 42 ? "43" : "42"

    @Test("FHIR: a wrong key in a Patient creation or search never reveals the right key")
    func fhir() async throws {
        try await withCarnet { client, tokens in
            let doctor = try await tokens.bearer(.doctor())
            let wrong = try INS(Self.number + Self.wrongKey, system: .test, keyChecking: .relaxedForTestIdentities)
            let nir = ByteBuffer.json(#"{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"\#(wrong.value)"}],"name":[{"family":"A"}],"gender":"female","birthDate":"1985-07-12"}"#)
            let created = try await client.execute(uri: "/fhir/Patient", method: .post, headers: doctor + fhirJSON, body: nir)
            #expect(created.status == .badRequest && created.diagnostics.contains("does not match the number"), "\(created.text)")
            #expect(!created.diagnostics.contains(Self.rightKey))
            let searched = try await client.execute(uri: "/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8%7C\(wrong.value)", method: .get, headers: doctor)
            #expect(searched.status == .badRequest && searched.diagnostics.contains("does not match the number"))
            #expect(!searched.diagnostics.contains(Self.rightKey))
        }
    }

    @Test("portals: the patient's sign-in and the professional's search say the key is wrong, never the right one")
    func portals() async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            let jar = PortalRoutesTests.Jar()
            let page = try await jar.get(client, "/portal/patient/sign-in")
            #expect(!page.text.contains("{key}"), "the page's script is not given a place to print the right key")
            let signIn = try await jar.post(client, "/portal/patient/sign-in", ["_csrf": PortalRoutesTests.csrf(in: page), "ins": Self.number + Self.wrongKey])
            #expect(signIn.status == .badRequest && signIn.text.contains("la clé \(Self.wrongKey) ne correspond pas au numéro"), "\(signIn.text.prefix(300))")
            #expect(!signIn.text.contains("\(Self.rightKey) attendue") && !signIn.text.contains("devrait être"))

            let pro = try await PortalEmergencyTests.signIn(client, tokens, .doctor())
            let found = try await PortalEmergencyTests.find(client, pro, try INS(Self.number + Self.wrongKey, system: .test, keyChecking: .relaxedForTestIdentities))
            #expect(found.status == .badRequest && found.text.contains("ne correspond pas au numéro"))
            #expect(!found.text.contains("\(Self.rightKey) attendue"))
        }
    }
}
