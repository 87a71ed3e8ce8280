import CarnetCore
import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Bearer tokens: what is accepted, and the 401 for everything else.
@Suite("Authentication")
struct AuthenticationTests {
    @Test("requests without a valid token get 401 with an OperationOutcome and a challenge", arguments: [
        ("", "authentication required"), ("Bearer", "authentication required"), ("Basic dXNlcjpwYXNz", "authentication required"),
        ("Bearer not.a.jwt", "not a well-formed JWT"), ("Bearer abc", "not a well-formed JWT"),
    ])
    func missingOrMalformed(_ header: String, _ message: String) async throws {
        try await withCarnet { client, _ in
            let headers: HTTPFields = header.isEmpty ? [:] : [.authorization: header]
            let response = try await client.execute(uri: "/fhir/Patient?identifier=x", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"carnet\"")
            #expect(response.json["resourceType"] as? String == "OperationOutcome")
            #expect(response.diagnostics.contains(message), "\(response.diagnostics)")
        }
    }

    @Test("an expired token is refused as expired")
    func expired() async throws {
        try await withCarnet { client, tokens in
            let headers = try await tokens.bearer(.doctor(), lifetime: 60, now: Date().addingTimeInterval(-3600))
            let response = try await client.execute(uri: "/fhir/Patient?identifier=x", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.issue["code"] as? String == "expired")
        }
    }

    @Test("a token verified once is taken again without its signature checked, but never after it expires")
    func verifiedTokensExpire() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let authority = try await TokenAuthority.loadOrCreate(in: directory)
            let clock = TestClock()
            let token = try await authority.mint(for: .doctor(), lifetime: 2, now: clock.now())
            #expect(try await authority.verify(token, now: clock.now()).identifier == Actor.doctor().identifier)
            #expect(try await authority.verify(token, now: clock.now()).identifier == Actor.doctor().identifier)
            // Past its expiry the remembered verification is not used: the token is refused as expired.
            clock.advance(by: 2.1)
            await #expect(throws: AuthenticationError.expired) { try await authority.verify(token, now: clock.now()) }
            // A token differing by one byte of its signature is checked, and refused.
            var tampered = Array(try await authority.mint(for: .doctor()).utf8)
            tampered[tampered.count - 3] = tampered[tampered.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            await #expect(throws: AuthenticationError.self) { try await authority.verify(String(decoding: tampered, as: UTF8.self), now: clock.now()) }
        }
    }

    @Test("a token signed by another key is refused")
    func foreignKey() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let foreign = try await TokenAuthority.loadOrCreate(in: directory)
            let token = try await foreign.mint(for: .doctor())
            try await withCarnet { client, _ in
                let response = try await client.execute(uri: "/fhir/Patient?identifier=x", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .unauthorized)
                #expect(response.diagnostics.contains("signature"))
            }
        }
    }

    @Test("a tampered payload is refused")
    func tampered() async throws {
        try await withCarnet { client, tokens in
            let token = try await tokens.authority.mint(for: .patient(.fixture()))
            var parts = token.split(separator: ".").map(String.init)
            let forged = try await tokens.authority.mint(for: .agent).split(separator: ".")
            parts[1] = String(forged[1])  // an agent's claims under the patient's signature
            let response = try await client.execute(uri: "/fhir/Patient?identifier=x", method: .get,
                                                    headers: [.authorization: "Bearer \(parts.joined(separator: "."))"])
            #expect(response.status == .unauthorized)
        }
    }

    @Test("minted tokens verify back to the same actor", arguments: [
        Actor.patient(.fixture()), .patient(.fixture(3, system: .demo)), .doctor(), .doctor(mode: .breakTheGlass, reason: "coma"),
        .pharmacist(), .regulator(), .agent, .insurer,
    ])
    func roundTrip(_ actor: Actor) async throws {
        try await TemporaryDirectory.with { directory async throws in
            let authority = try await TokenAuthority.loadOrCreate(in: directory)
            #expect(try await authority.verify(try await authority.mint(for: actor), now: Date()) == actor)
            // The key is kept: a second authority on the same directory verifies the first one's tokens.
            let again = try await TokenAuthority.loadOrCreate(in: directory)
            #expect(try await again.verify(try await authority.mint(for: actor), now: Date()) == actor)
        }
    }

    @Test("the signing key file is readable by its owner only")
    func keyPermissions() async throws {
        try await TemporaryDirectory.with { directory async throws in
            _ = try await TokenAuthority.loadOrCreate(in: directory)
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("keys/token-signing-key.pem").path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test("after a signing-key rotation, old tokens verify until the overlap ends; new ones are signed by the new key")
    func signingKeyRotation() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let before = try await TokenAuthority.loadOrCreate(in: directory)
            let old = try await before.mint(for: .doctor())
            try await TokenAuthority.rotate(in: directory)
            let after = try await TokenAuthority.loadOrCreate(in: directory)
            #expect(try await after.verify(old, now: Date()).identifier == "99700000011", "the retired key still verifies what it signed")
            let new = try await after.mint(for: .doctor())
            #expect(try await after.verify(new, now: Date()).identifier == "99700000011")
            await #expect(throws: AuthenticationError.badSignature) { try await before.verify(new, now: Date()) }
            // Past the overlap, the retired key is dropped.
            let keys = directory.appendingPathComponent("keys")
            let retired = try #require(try FileManager.default.contentsOfDirectory(atPath: keys.path).first { $0.contains("retired") })
            let longAgo = Int(Date().timeIntervalSince1970 - TokenAuthority.retiredKeyOverlap - 60)
            try FileManager.default.moveItem(at: keys.appendingPathComponent(retired), to: keys.appendingPathComponent("token-signing-key.retired-\(longAgo).pem"))
            let later = try await TokenAuthority.loadOrCreate(in: directory)
            await #expect(throws: AuthenticationError.badSignature) { try await later.verify(old, now: Date()) }
        }
    }
}
