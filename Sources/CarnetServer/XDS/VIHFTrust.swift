import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import X509

/// The issuers whose VIHF (the DMP's WS-Security SAML 2.0 assertion) Carnet believes, each with the
/// public key(s) of its signing certificate: `carnet serve --vihf-trust FILE`.
///
/// The file holds PEM certificates, each preceded by a line `Issuer: <issuer name>` naming the
/// `<saml2:Issuer>` its assertions carry (for the DMP, the signing certificate's subject DN, written as
/// the issuer writes it). An assertion is believed only when its issuer is listed and its signature
/// verifies with one of that issuer's keys; the certificate the assertion may carry in `KeyInfo` is
/// never used — trust comes from this file alone. Several certificates under one name allow a key
/// rollover. Certificates are read for their key and validity period only: no chain, no revocation
/// (README, XDS.b gateway).
public struct VIHFTrust: Sendable {
    /// A trusted signing key, as XML-DSig's RSA-SHA256 and ECDSA-SHA256 (P-256) use them.
    enum Key: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
    }

    struct Entry: Sendable {
        var key: Key
        var notValidBefore: Date
        var notValidAfter: Date
    }

    private(set) var entries: [String: [Entry]] = [:]

    /// Why a trust file was not loaded, naming the line or certificate at fault.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a trust file: `Issuer: <name>` lines, each followed by one PEM certificate.
    public static func load(contentsOf path: String) throws(LoadError) -> VIHFTrust {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LoadError(description: "cannot read the VIHF trust file \(path): \(error.localizedDescription)")
        }
        return try VIHFTrust(pem: text)
    }

    /// Reads the text of a trust file.
    public init(pem text: String) throws(LoadError) {
        var issuer: String?
        var block: [Substring]?
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if var lines = block {
                lines.append(Substring(line))
                block = lines
                guard line.hasPrefix("-----END CERTIFICATE-----") else { continue }
                guard let name = issuer else { throw LoadError(description: "line \(number + 1): a certificate without an 'Issuer:' line before it") }
                try add(issuer: name, certificatePEM: lines.joined(separator: "\n"), line: number + 1)
                block = nil
                issuer = nil
            } else if line.hasPrefix("Issuer:") {
                let name = line.dropFirst("Issuer:".count).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw LoadError(description: "line \(number + 1): 'Issuer:' names no issuer") }
                guard issuer == nil else { throw LoadError(description: "line \(number + 1): two 'Issuer:' lines without a certificate between them") }
                issuer = name
            } else if line.hasPrefix("-----BEGIN CERTIFICATE-----") {
                block = [Substring(line)]
            } else if !line.isEmpty && !line.hasPrefix("#") {
                throw LoadError(description: "line \(number + 1): expected 'Issuer: <name>', a PEM certificate, a comment (#) or a blank line")
            }
        }
        if block != nil { throw LoadError(description: "the file ends inside a certificate") }
        if issuer != nil { throw LoadError(description: "the last 'Issuer:' line has no certificate after it") }
        if entries.isEmpty { throw LoadError(description: "the file names no issuer with a certificate") }
    }

    private mutating func add(issuer: String, certificatePEM: String, line: Int) throws(LoadError) {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw LoadError(description: "the certificate ending at line \(line) is not a PEM X.509 certificate")
        }
        let key: Key
        if let rsa = _RSA.Signing.PublicKey(certificate.publicKey) {
            key = .rsa(rsa)
        } else if let p256 = P256.Signing.PublicKey(certificate.publicKey) {
            key = .p256(p256)
        } else {
            throw LoadError(description: "the certificate ending at line \(line) has neither an RSA nor a P-256 key (RSA-SHA256 and ECDSA-SHA256 are verified)")
        }
        entries[issuer, default: []].append(Entry(key: key, notValidBefore: certificate.notValidBefore, notValidAfter: certificate.notValidAfter))
    }

    /// The keys of `issuer` whose certificate is valid at `now`.
    func keys(of issuer: String, at now: Date) -> [Key]? {
        guard let entries = entries[issuer] else { return nil }
        return entries.filter { $0.notValidBefore <= now && now < $0.notValidAfter }.map(\.key)
    }

    /// The issuer names configured, for logs at start-up.
    public var issuers: [String] { entries.keys.sorted() }
}
