import Foundation
import Testing
@testable import CarnetServer

/// `carnet serve --vihf-trust FILE`: PEM certificates, each after the `Issuer:` line naming whose
/// assertions it verifies. A file that says anything else is refused at start-up, naming the line.
@Suite("VIHF: the trust file")
struct VIHFTrustTests {
    static func certificates() throws -> [String] {
        let text = try VIHFFixtures.text("trust.pem")
        return text.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst().map {
            "-----BEGIN CERTIFICATE-----" + $0.components(separatedBy: "-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----"
        }
    }

    @Test("the committed file names the RSA and the ECDSA issuers, each with one key valid now")
    func committedFile() throws {
        let trust = try VIHFFixtures.trust()
        #expect(trust.issuers == ["CN=LPS Synthetique ECDSA,O=Carnet Tests,C=FR", "CN=LPS Synthetique RSA,O=Carnet Tests,C=FR"])
        #expect(trust.keys(of: "CN=LPS Synthetique RSA,O=Carnet Tests,C=FR", at: VIHFFixtures.instant)?.count == 1)
        #expect(trust.keys(of: "CN=Inconnu", at: VIHFFixtures.instant) == nil)
        #expect(trust.keys(of: "CN=LPS Synthetique RSA,O=Carnet Tests,C=FR", at: Date(timeIntervalSince1970: 0))?.isEmpty == true,
                "a key is trusted only within its certificate's validity")
    }

    @Test("two certificates under one name: both keys verify (a key rollover)")
    func rollover() throws {
        let certificates = try Self.certificates()
        let trust = try VIHFTrust(pem: "Issuer: X\n\(certificates[0])\n# the next key\nIssuer: X\n\(certificates[1])\n")
        #expect(trust.keys(of: "X", at: VIHFFixtures.instant)?.count == 2)
    }

    @Test("a file that says anything else is refused, naming what is wrong", arguments: [
        ("", "names no issuer"),
        ("Issuer: X\n", "no certificate after it"),
        ("{certificate}", "without an 'Issuer:' line"),
        ("Issuer:\n{certificate}", "names no issuer"),
        ("Issuer: X\nIssuer: Y\n{certificate}", "two 'Issuer:' lines"),
        ("Issuer: X\nhello\n{certificate}", "line 2"),
        ("Issuer: X\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a PEM X.509 certificate"),
        ("Issuer: X\n-----BEGIN CERTIFICATE-----\nAAAA\n", "ends inside a certificate"),
    ])
    func refused(_ text: String, _ said: String) throws {
        let file = text.replacingOccurrences(of: "{certificate}", with: try Self.certificates()[0])
        #expect {
            try VIHFTrust(pem: file)
        } throws: { error in
            (error as? VIHFTrust.LoadError)?.description.contains(said) == true
        }
    }

    @Test("a missing file is refused with its path")
    func missingFile() {
        #expect {
            try VIHFTrust.load(contentsOf: "/nonexistent/vihf-trust.pem")
        } throws: { error in
            "\(error)".contains("/nonexistent/vihf-trust.pem")
        }
    }
}
