import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import CarnetServer

/// The signed VIHF fixtures of `Tests/Fixtures/VIHF` (made by its `make-fixtures.sh` with throwaway
/// keys), and the SOAP messages that carry them.
///
/// Every assertion is for patient A (`INS.fixture(1)`), valid on 2027-03-10 from 08:00 to 10:00 UTC;
/// `assertion-rsa` names the physician 99700000011 (RSA-SHA256, with an InclusiveNamespaces list),
/// `assertion-ecdsa` the physician 99700000022 (ECDSA-SHA256), `assertion-emergency` the physician
/// 99700000033 in `bris_de_glace` (its SignedInfo canonicalized with an InclusiveNamespaces list); `assertion-untrusted-key` claims the RSA issuer's name with another
/// key, `assertion-unknown-issuer` names an issuer nobody trusts; `envelope-inherited-namespaces` is a
/// whole ITI-18 envelope whose prefixes are declared above the assertion.
enum VIHFFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/VIHF")
    static let securityNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    static let patientA = INS.fixture(1)
    static let patientB = INS.fixture(2)
    /// Inside every fixture's validity window.
    static let instant = Date(timeIntervalSince1970: 1_804_669_200) // 2027-03-10T09:00:00Z

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// A signed assertion, without its XML declaration, ready to go into a header.
    static func assertion(_ name: String) throws -> String {
        try text("\(name).xml").replacingOccurrences(of: #"<?xml version="1.0" encoding="UTF-8"?>"#, with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func trust() throws -> VIHFTrust {
        try VIHFTrust(pem: try text("trust.pem"))
    }

    /// `envelope` (from ``XDSMessages``) with a WS-Security header holding `security` (an assertion, or anything).
    static func secured(_ envelope: String, _ security: String) -> String {
        envelope.replacingOccurrences(of: "<soap:Header>", with: "<soap:Header><wsse:Security xmlns:wsse=\"\(securityNamespace)\">\(security)</wsse:Security>")
    }

    /// The signed assertion without its signature.
    static func unsigned(_ assertion: String) -> String {
        guard let start = assertion.range(of: "<ds:Signature"), let end = assertion.range(of: "</ds:Signature>") else { return assertion }
        return assertion.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "")
    }

    /// The clock and settings every VIHF test runs with: the trust file, and time inside the window.
    static func configure(_ configuration: inout CarnetConfiguration) {
        // safe: the committed trust file, which VIHFTrustTests reads.
        configuration.vihfTrust = try! trust()
    }
}

/// ``withCarnet(_:_:)`` on `engine`, with settings changed, time from `clock`, and the store handed over.
func withCarnet(_ engine: TestEngine, configure: @escaping @Sendable (inout CarnetConfiguration) -> Void, clock: TestClock,
                _ body: @escaping @Sendable (any TestClientProtocol, Tokens, any RecordStore) async throws -> Void) async throws {
    try await engine.withDatabaseURL { databaseURL async throws in
        try await withCarnetAndStore(databaseURL: databaseURL, configure: configure, clock: clock, body)
    }
}
