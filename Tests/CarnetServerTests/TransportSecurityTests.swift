import CarnetCore
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOSSL
import Testing

/// The test PKI that `scripts/test` makes with `scripts/make-test-pki` (`CARNET_TEST_PKI`); required
/// (`CARNET_REQUIRE_TEST_PKI=1`, also set there) so that CI never skips these tests.
private enum TestPKI {
    static var directory: String? { ProcessInfo.processInfo.environment["CARNET_TEST_PKI"] }
    static var isRequired: Bool { ProcessInfo.processInfo.environment["CARNET_REQUIRE_TEST_PKI"] == "1" }
    static var available: Bool { directory != nil || isRequired }

    static func path(_ name: String) throws -> String {
        let directory = try #require(directory, "CARNET_TEST_PKI is not set: run the suite with scripts/test")
        return directory + "/" + name
    }

    /// A client that trusts the test CA and presents `certificate` (a base name in the PKI), if any.
    static func client(port: Int, certificate: String?) throws -> TestClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(try path("ca.pem")))
        if let certificate {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(try path("\(certificate).pem")).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: try path("\(certificate).key"), format: .pem))
        }
        return TestClient(host: "localhost", port: port, configuration: .init(tlsConfiguration: tls, timeout: .seconds(10), serverName: "localhost"))
    }
}

extension TestClient.Response {
    var text: String { body.map { String(buffer: $0) } ?? "" }
}

@Suite("TLS and mutual TLS", .enabled(if: TestPKI.available))
struct TransportSecurityTests {
    /// Runs `body` with the port of a real HTTPS listener whose client CA is the test CA.
    private func withTLSCarnet(_ body: @escaping @Sendable (Int, Tokens) async throws -> Void) async throws {
        let tls = TLSSettings(certificatePath: try TestPKI.path("server.pem"), keyPath: try TestPKI.path("server.key"),
                              clientCAPath: try TestPKI.path("ca.pem"))
        try await withLiveCarnet(configure: { $0.tls = tls }, body)
    }

    private func send(_ port: Int, certificate: String?, _ method: HTTPRequest.Method, _ uri: String,
                      headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestClient.Response {
        let client = try TestPKI.client(port: port, certificate: certificate)
        client.connect()
        do {
            let response = try await client.execute(.init(uri, method: method, headers: headers, body: body))
            try? await client.shutdown()
            return response
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("a CA-signed client certificate names the professional; without one, a token still works; a mismatched token is refused")
    func acceptedCertificate() async throws {
        try await withTLSCarnet { port, tokens async throws in
            let ins = INS.fixture(421)
            // The physician's software authenticates by certificate alone and creates the record.
            let created = try await send(port, certificate: "physician", .post, "/fhir/Patient", headers: fhirJSON, body: patientBody(ins))
            #expect(created.status == .created)
            let patientID = try #require((try JSONSerialization.jsonObject(with: Data(created.text.utf8)) as? [String: Any])?["id"] as? String)

            // No certificate and no token: 401 naming both ways in.
            let anonymous = try await send(port, certificate: nil, .get, "/fhir/Patient/\(patientID)")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.text.contains("client certificate"))

            // A token naming another professional than the certificate: refused.
            let pharmacist = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS("99700000021"), profession: .pharmacist))))
            let mismatched = try await send(port, certificate: "physician", .get, "/fhir/Patient/\(patientID)", headers: pharmacist)
            #expect(mismatched.status == .unauthorized)
            #expect(mismatched.text.contains("another actor than the certificate"))

            // The patient, with a token and no certificate, sees in the trail who created the record.
            let trail = try await send(port, certificate: nil, .get, "/fhir/AuditEvent?patient=\(patientID)", headers: try await tokens.bearer(.patient(ins)))
            #expect(trail.status == .ok)
            #expect(trail.text.contains("99700000011"))
        }
    }

    @Test("with mutual TLS, a professional signs in to the web access with the certificate alone; without one, that way is refused")
    func portalCertificateSignIn() async throws {
        try await withTLSCarnet { port, _ async throws in
            func signIn(certificate: String?) async throws -> TestClient.Response {
                let page = try await send(port, certificate: certificate, .get, "/portal/pro/sign-in")
                let cookie = page.headers[values: .setCookie].map { String($0.split(separator: ";")[0]) }.joined(separator: "; ")
                let csrf = page.text.range(of: #"name="_csrf" value=""#).map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
                return try await send(port, certificate: certificate, .post, "/portal/pro/sign-in",
                                      headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                      body: ByteBuffer(string: "_csrf=\(csrf)&method=certificate"))
            }
            let page = try await send(port, certificate: "physician", .get, "/portal/pro/sign-in")
            #expect(page.text.contains("RPPS 99700000011"))
            let signedIn = try await signIn(certificate: "physician")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/portal/pro")
            #expect(signedIn.headers[values: .setCookie].contains { $0.hasPrefix("carnet_session=") && $0.contains("Secure") })
            let refused = try await signIn(certificate: nil)
            #expect(refused.status == .badRequest)
            #expect(refused.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("carnet_session=") })
        }
    }

    @Test("an expired certificate or one from an unknown CA never completes the handshake", arguments: ["expired", "unknown"])
    func refusedCertificates(certificate: String) async throws {
        try await withTLSCarnet { port, _ async throws in
            await #expect(throws: (any Error).self) {
                _ = try await send(port, certificate: certificate, .get, "/health/live")
            }
            // The listener is unharmed.
            #expect(try await send(port, certificate: nil, .get, "/health/live").status == .ok)
        }
    }

    @Test("missing or unreadable TLS files are named before anything is served")
    func badFiles() throws {
        let missing = TLSSettings(certificatePath: "/nonexistent/server.pem", keyPath: try TestPKI.path("server.key"))
        #expect { try missing.serverConfiguration() } throws: { "\($0)".contains("/nonexistent/server.pem") }
        let keyAsCA = TLSSettings(certificatePath: try TestPKI.path("server.pem"), keyPath: try TestPKI.path("server.key"),
                                  clientCAPath: try TestPKI.path("server.key"))
        #expect { try keyAsCA.serverConfiguration() } throws: { "\($0)".contains("client CA") }
    }
}

@Suite("Certificate subjects")
struct CertificateSubjectTests {
    @Test("UID (else CN) is the RPPS, 11 digits or 8 + RPPS; OU is the G15 profession")
    func accepted() throws {
        let byUID = try ClientCertificateIdentity.actor(subject: [.init("Dr Test", .commonName), .init("99700000011", .userId), .init("10", .organizationalUnit)])
        #expect(byUID == Actor(role: .professional(Professional(rpps: try RPPS("99700000011"), profession: .physician))))
        let byCN = try ClientCertificateIdentity.actor(subject: [.init("899700000021", .commonName), .init("21", .organizationalUnit)])
        #expect(byCN.professional?.rpps == (try RPPS("99700000021")))
        #expect(byCN.professional?.profession == .pharmacist)
    }

    @Test("a subject without an RPPS or a profession code identifies nobody", arguments: [
        [SSLCertificateName("Dr Test", .commonName), SSLCertificateName("10", .organizationalUnit)],
        [SSLCertificateName("1234", .userId), SSLCertificateName("10", .organizationalUnit)],
        [SSLCertificateName("99700000011", .userId)],
        [SSLCertificateName("99700000011", .userId), SSLCertificateName("médecins", .organizationalUnit)],
    ])
    func refused(subject: [SSLCertificateName]) {
        #expect(throws: AuthenticationError.self) { try ClientCertificateIdentity.actor(subject: subject) }
    }
}
