import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import CarnetServer

/// The XDS.b door reading the caller from a VIHF (WS-Security SAML 2.0 assertion) through the real
/// router: believed only when signed by a trusted issuer's key and valid now, never unsigned, never
/// wrapped; the professional it names then acts under the same policy and audit as over FHIR, on the
/// one patient it was issued for.
@Suite("VIHF: the XDS.b caller from a signed SAML assertion")
struct VIHFIdentityTests {
    typealias Fixtures = VIHFFixtures

    /// A record for `ins`, created by an insurer agent whose token is minted at the application's time.
    static func createRecord(_ client: any TestClientProtocol, _ tokens: Tokens, _ ins: INS, _ clock: TestClock) async throws -> RecordID {
        let response = try await client.execute(uri: "/fhir/Patient", method: .post, headers: try await tokens.bearer(.agent, now: clock.now()) + fhirJSON,
                                                body: patientBody(ins))
        #expect(response.status == .created || response.status == .ok)
        return try #require((response.json["id"] as? String).flatMap { RecordID($0) })
    }

    static func post(_ client: any TestClientProtocol, _ path: String, _ xml: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await XDSMessages.post(client, path, headers, xml)
    }

    static func push(_ client: any TestClientProtocol, _ assertion: String, _ document: XDSMessages.Document = .init()) async throws -> TestResponse {
        try await post(client, "/xds/repository", Fixtures.secured(XDSMessages.provideAndRegister([document]), assertion))
    }

    static func find(_ client: any TestClientProtocol, _ assertion: String, _ ins: INS = Fixtures.patientA) async throws -> TestResponse {
        try await post(client, "/xds/registry", Fixtures.secured(XDSMessages.findDocuments(ins), assertion))
    }

    static func expectRefused(_ response: TestResponse, _ code: String, _ said: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .unauthorized, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.text.contains("env:Fault") && response.text.contains(code), "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.text.contains(said), "\(response.text)", sourceLocation: sourceLocation)
    }

    @Test("RSA and ECDSA assertions are believed: the RPPS professional pushes and queries, and the audit names them",
          arguments: TestEngine.available)
    func trustedAssertionsAccepted(_ engine: TestEngine) async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(engine, configure: Fixtures.configure, clock: clock) { client, tokens, store in
            let record = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let rsa = try Fixtures.assertion("assertion-rsa")
            let document = XDSMessages.Document()
            let pushed = try await Self.push(client, rsa, document)
            #expect(pushed.status == .ok && pushed.xdsStatus == "Success", "\(pushed.text)")
            let found = try await Self.find(client, rsa)
            #expect(found.xdsStatus == "Success", "\(found.text)")
            #expect(found.text.contains(document.uniqueID), "the author finds their document")

            // The ECDSA issuer's physician has no authorisation: the same policy hides the document from them.
            let ecdsa = try await Self.find(client, try Fixtures.assertion("assertion-ecdsa"))
            #expect(ecdsa.xdsStatus == "Success", "\(ecdsa.text)")
            #expect(ecdsa.xdsObjectIDs("ExtrinsicObject").isEmpty)
            // Prefixes declared on the Envelope, above the assertion, enter its canonical form.
            let query = XDSMessages.findDocuments(Fixtures.patientA).components(separatedBy: "<soap:Body>")[1].components(separatedBy: "</soap:Body>")[0]
            let inherited = try Fixtures.text("envelope-inherited-namespaces.xml").replacingOccurrences(of: "<soap:Body/>", with: "<soap:Body>\(query)</soap:Body>")
            let viaEnvelope = try await Self.post(client, "/xds/registry", inherited)
            #expect(viaEnvelope.xdsStatus == "Success", "\(viaEnvelope.text)")

            let events = try await store.auditEvents(recordID: record, limit: 100)
            let created = events.first { $0.action == .createDocument && $0.outcome == .success }
            #expect(created?.actorID == "99700000011" && created?.actorKind == .professional && created?.profession == "10")
            #expect(events.contains { $0.action == .searchDocuments && $0.actorID == "99700000011" && $0.outcome == .success })
            #expect(events.filter { $0.action == .searchDocuments && $0.actorID == "99700000022" }.count == 2, "both ECDSA queries audited")
        }
    }

    @Test("an unsigned assertion is refused, with or without a bearer token beside it")
    func unsignedRefused() async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let unsigned = Fixtures.unsigned(try Fixtures.assertion("assertion-rsa"))
            #expect(!unsigned.contains("Signature"))
            Self.expectRefused(try await Self.find(client, unsigned), "wsse:InvalidSecurityToken", "not signed")
            let doctor = try await tokens.bearer(.doctor(), now: clock.now())
            let withToken = try await Self.post(client, "/xds/registry", Fixtures.secured(XDSMessages.findDocuments(Fixtures.patientA), unsigned), doctor)
            Self.expectRefused(withToken, "wsse:InvalidSecurityToken", "not signed")
            // The token alone still works.
            #expect(try await Self.post(client, "/xds/registry", XDSMessages.findDocuments(Fixtures.patientA), doctor).xdsStatus == "Success")
        }
    }

    @Test("an assertion changed after signing is refused: subject, role, patient, mode, signature value", arguments: [
        (#">899700000011<"#, #">899700000099<"#, "digest"),
        (#"code="10" codeSystem"#, #"code="21" codeSystem"#, "digest"),
        ("285077500000129^^^", "285077500000228^^^", "digest"),
        (#"code="normal""#, #"code="bris_de_glace""#, "digest"),
        ("<ds:SignatureValue>", "one character of the signature value changed", "does not verify"),
        (#"xmldsig-more#rsa-sha256"/>"#, #"xmldsig-more#rsa-sha256"/><!-- not signed content -->"#, "Success"),
    ])
    func tamperedRefused(_ original: String, _ replacement: String, _ said: String) async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let signed = try Fixtures.assertion("assertion-rsa")
            try #require(signed.contains(original), "the fixture holds \(original)")
            var changed = signed.replacingOccurrences(of: original, with: replacement)
            if original == "<ds:SignatureValue>", let start = signed.range(of: original) {
                let first = signed[start.upperBound]
                changed = signed.replacingCharacters(in: start.upperBound..<signed.index(after: start.upperBound), with: first == "A" ? "B" : "A")
            }
            let response = try await Self.find(client, changed)
            if said == "Success" {
                // A comment is not signed content (exc-c14n without comments): the assertion still verifies.
                #expect(response.xdsStatus == "Success", "\(response.text)")
            } else {
                Self.expectRefused(response, "wsse:FailedAuthentication", said)
            }
        }
    }

    @Test("algorithms and shapes outside the profile are refused, named: SHA-1, inclusive c14n, no enveloped transform, two References, an Object",
          arguments: [
        ("xmldsig-more#rsa-sha256", "xmldsig#rsa-sha1", "RSA-SHA256"),
        ("xmlenc#sha256", "xmldsig#sha1", "must be SHA-256"),
        (#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#, "", "enveloped-signature transform then"),
        (#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
         #"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>"#, "Exclusive XML Canonicalization"),
        ("</ds:SignedInfo>", ##"<ds:Reference URI="#other"/></ds:SignedInfo>"##, "exactly one Reference"),
        ("<ds:KeyInfo>", #"<ds:Object Id="o"><x/></ds:Object><ds:KeyInfo>"#, "only SignedInfo, SignatureValue and KeyInfo"),
    ])
    func outsideProfileRefused(_ original: String, _ replacement: String, _ said: String) async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let signed = try Fixtures.assertion("assertion-rsa")
            try #require(signed.components(separatedBy: original).count == 2, "the fixture holds \(original) once")
            Self.expectRefused(try await Self.find(client, signed.replacingOccurrences(of: original, with: replacement)),
                               "wsse:InvalidSecurityToken", said)
        }
    }

    @Test("an issuer's name with another key, an unknown issuer, no trust configured: refused; bearer tokens keep working")
    func untrustedRefused() async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            Self.expectRefused(try await Self.find(client, try Fixtures.assertion("assertion-untrusted-key")), "wsse:FailedAuthentication",
                               "does not verify with the key trusted for issuer")
            Self.expectRefused(try await Self.find(client, try Fixtures.assertion("assertion-unknown-issuer")), "wsse:FailedAuthentication",
                               "CN=Inconnu,O=Ailleurs,C=FR&apos; is not trusted")
        }
        try await withCarnet(.sqlite, configure: { _ in }, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let rsa = try Fixtures.assertion("assertion-rsa")
            let alone = try await Self.find(client, rsa)
            #expect(alone.status == .unauthorized && alone.text.contains("wsse:FailedAuthentication"), "\(alone.text)")
            let doctor = try await tokens.bearer(.doctor(), now: clock.now())
            let beside = try await Self.post(client, "/xds/registry", Fixtures.secured(XDSMessages.findDocuments(Fixtures.patientA), rsa), doctor)
            Self.expectRefused(beside, "wsse:FailedAuthentication", "trusts no VIHF issuer")
            #expect(try await Self.post(client, "/xds/registry", XDSMessages.findDocuments(Fixtures.patientA), doctor).xdsStatus == "Success")
        }
    }

    @Test("the validity window, with 60 s of clock skew: refused before NotBefore and from NotOnOrAfter", arguments: [
        (-3_690.0, "not valid yet"), (-3_630, "Success"), (3_630, "Success"), (3_660, "expired"), (86_400, "expired"),
    ])
    func validityWindow(_ offset: TimeInterval, _ said: String) async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            clock.advance(by: offset)
            let response = try await Self.find(client, try Fixtures.assertion("assertion-ecdsa"))
            if said == "Success" {
                #expect(response.xdsStatus == "Success", "\(response.text)")
            } else {
                Self.expectRefused(response, "wsse:FailedAuthentication", said)
            }
        }
    }

    @Test("signature wrapping is refused: a second assertion, the signed one moved, a Reference to another ID, a duplicate ID")
    func wrappingRefused() async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let signed = try Fixtures.assertion("assertion-rsa")
            let evil = Fixtures.unsigned(signed).replacingOccurrences(of: "_vihf-rsa-0001", with: "_evil")
                .replacingOccurrences(of: ">899700000011<", with: ">899700000099<")
            let query = XDSMessages.findDocuments(Fixtures.patientA)

            // An unsigned assertion beside the signed one, before it or after it.
            for security in [evil + signed, signed + evil] {
                Self.expectRefused(try await Self.post(client, "/xds/registry", Fixtures.secured(query, security)), "wsse:InvalidSecurityToken",
                                   "exactly one SAML assertion")
            }
            // The signed one moved to the body, an unsigned one in the header.
            let moved = Fixtures.secured(query, evil).replacingOccurrences(of: "<soap:Body>", with: "<soap:Body><x:Wrapper xmlns:x=\"urn:x\">\(signed)</x:Wrapper>")
            Self.expectRefused(try await Self.post(client, "/xds/registry", moved), "wsse:InvalidSecurityToken", "exactly one SAML assertion")
            // The signed one's signature in another assertion: its Reference names another ID.
            let signature = try #require(signed.range(of: "<ds:Signature").flatMap { start in
                signed.range(of: "</ds:Signature>").map { String(signed[start.lowerBound..<$0.upperBound]) } })
            let reused = evil.replacingOccurrences(of: "</saml2:Issuer>", with: "</saml2:Issuer>" + signature)
            Self.expectRefused(try await Self.find(client, reused), "wsse:InvalidSecurityToken", "must name the assertion itself")
            // Another element carrying the assertion's ID, in the body.
            let duplicate = Fixtures.secured(query, signed).replacingOccurrences(of: "<soap:Body>", with: "<soap:Body><x:Decoy xmlns:x=\"urn:x\" ID=\"_vihf-rsa-0001\"/>")
            Self.expectRefused(try await Self.post(client, "/xds/registry", duplicate), "wsse:InvalidSecurityToken", "IDs must be unique")
            // Two WS-Security headers.
            let twice = Fixtures.secured(Fixtures.secured(query, signed), "")
            Self.expectRefused(try await Self.post(client, "/xds/registry", twice), "wsse:InvalidSecurityToken", "exactly one WS-Security header")
            // The signature moved out of the assertion, beside it.
            let outside = Fixtures.secured(query, Fixtures.unsigned(signed) + signature)
            Self.expectRefused(try await Self.post(client, "/xds/registry", outside), "wsse:InvalidSecurityToken", "not signed")
            // The untouched assertion still passes: the refusals above are the changes'.
            #expect(try await Self.find(client, signed).xdsStatus == "Success")
        }
    }

    @Test("an assertion for patient A on patient B's record: refused by the policy (credential-for-another-patient) and audited",
          arguments: TestEngine.available)
    func anotherPatientRefused(_ engine: TestEngine) async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(engine, configure: Fixtures.configure, clock: clock) { client, tokens, store in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let recordB = try await Self.createRecord(client, tokens, Fixtures.patientB, clock)
            let rsa = try Fixtures.assertion("assertion-rsa")
            var document = XDSMessages.Document()
            document.ins = Fixtures.patientB
            let pushed = try await Self.push(client, rsa, document)
            #expect(pushed.xdsStatus == "Failure", "\(pushed.text)")
            #expect(pushed.xdsErrorCodes == ["XDSUnknownPatientId"], "answered as a record that does not exist: \(pushed.text)")
            let found = try await Self.find(client, rsa, Fixtures.patientB)
            #expect(found.xdsObjectIDs("ExtrinsicObject").isEmpty, "\(found.text)")

            let refusals = try await store.auditEvents(recordID: recordB, limit: 100).filter { $0.actorID == "99700000011" }
            #expect(refusals.count >= 2, "\(refusals)")
            #expect(refusals.allSatisfy { $0.outcome == .denied && $0.rule == .credentialForAnotherPatient })
            #expect(Set(refusals.map(\.action)).isSuperset(of: [.createDocument, .searchDocuments]))

            // A bearer token for the same physician is not scoped: the same push on B goes through.
            let doctor = try await tokens.bearer(.doctor(), now: clock.now())
            let viaToken = try await Self.post(client, "/xds/repository", XDSMessages.provideAndRegister([document]), doctor)
            #expect(viaToken.xdsStatus == "Success", "\(viaToken.text)")
        }
    }

    @Test("retrieving patient B's document with patient A's VIHF answers as for an id that does not exist (ITI-43)")
    func anotherPatientsDocumentConcealed() async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, store in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let recordB = try await Self.createRecord(client, tokens, Fixtures.patientB, clock)
            var document = XDSMessages.Document()
            document.ins = Fixtures.patientB
            let doctor = try await tokens.bearer(.doctor(), now: clock.now())
            #expect(try await Self.post(client, "/xds/repository", XDSMessages.provideAndRegister([document]), doctor).xdsStatus == "Success")
            // The author's own document, through a VIHF scoped to patient A.
            let rsa = try Fixtures.assertion("assertion-rsa")
            let existing = try await Self.post(client, "/xds/repository", Fixtures.secured(XDSMessages.retrieve([document.uniqueID]), rsa))
            let missing = try await Self.post(client, "/xds/repository", Fixtures.secured(XDSMessages.retrieve(["1.2.250.1.999.3.404"]), rsa))
            #expect(existing.xdsStatus == "Failure" && existing.xdsErrorCodes == missing.xdsErrorCodes, "\(existing.text)")
            #expect(!existing.text.contains(document.content))
            // As for any document its reader may not see, resolving the id is audited as a miss (no record
            // named), never as a read on B's record.
            let reads = try await store.auditEvents(recordID: recordB, limit: 100).filter { $0.action == .readDocument }
            #expect(reads.isEmpty, "\(reads)")
        }
    }

    @Test("bris de glace declared in the VIHF, with its reason, is honoured and audited as such", arguments: TestEngine.available)
    func emergencyHonoured(_ engine: TestEngine) async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(engine, configure: Fixtures.configure, clock: clock) { client, tokens, store in
            let record = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let document = XDSMessages.Document()
            #expect(try await Self.push(client, try Fixtures.assertion("assertion-rsa"), document).xdsStatus == "Success")
            // Not authorised, in normal mode: nothing; breaking the glass: the document.
            #expect(try await Self.find(client, try Fixtures.assertion("assertion-ecdsa")).xdsObjectIDs("ExtrinsicObject").isEmpty)
            let emergency = try await Self.find(client, try Fixtures.assertion("assertion-emergency"))
            #expect(emergency.xdsStatus == "Success" && emergency.text.contains(document.uniqueID), "\(emergency.text)")

            let events = try await store.auditEvents(recordID: record, limit: 100).filter { $0.actorID == "99700000033" }
            #expect(!events.isEmpty && events.allSatisfy { $0.accessMode == .breakTheGlass && $0.emergencyReason == "Patient inconscient aux urgences" })
            #expect(events.contains { $0.action == .searchDocuments && $0.outcome == .success }, "\(events)")
        }
    }

    @Test("a bearer token beside the assertion must name the same professional")
    func tokenMustMatch() async throws {
        let clock = TestClock(Fixtures.instant)
        try await withCarnet(.sqlite, configure: Fixtures.configure, clock: clock) { client, tokens, _ in
            _ = try await Self.createRecord(client, tokens, Fixtures.patientA, clock)
            let request = Fixtures.secured(XDSMessages.findDocuments(Fixtures.patientA), try Fixtures.assertion("assertion-rsa"))
            let other = try await tokens.bearer(.doctor("99700000022"), now: clock.now())
            Self.expectRefused(try await Self.post(client, "/xds/registry", request, other), "wsse:FailedAuthentication", "another actor")
            let same = try await tokens.bearer(.doctor(), now: clock.now())
            #expect(try await Self.post(client, "/xds/registry", request, same).xdsStatus == "Success")
        }
    }
}
