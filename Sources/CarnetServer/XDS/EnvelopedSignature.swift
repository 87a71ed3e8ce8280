import Crypto
import CryptoExtras
import Foundation

/// One XML-DSig enveloped signature (https://www.w3.org/TR/xmldsig-core1/) as Carnet accepts it on a
/// VIHF, read from its `ds:Signature` element: exactly one `Reference`, whose transforms are the
/// enveloped-signature transform then Exclusive C14N; SHA-256 digest; SignedInfo canonicalized by
/// Exclusive C14N and signed RSA-SHA256 (PKCS#1 v1.5) or ECDSA-SHA256 (P-256).
///
/// Why so narrow: every option XML-DSig allows (XPath and XSLT transforms, several references,
/// `ds:Object`s, SHA-1, inclusive c14n, comments) is a way to make a verifier check something else
/// than what is then read. What is not on this list is refused, named, rather than verified.
struct EnvelopedSignature {
    static let namespace = "http://www.w3.org/2000/09/xmldsig#"
    static let envelopedTransform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    static let sha256 = "http://www.w3.org/2001/04/xmlenc#sha256"

    enum Method: String {
        case rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        case ecdsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    }

    /// The `SignedInfo` element, canonicalized in the namespaces in scope at the `Signature`.
    var signedInfo: XMLElementNode
    var signedInfoPrefixes: Set<String>
    var method: Method
    /// The `Reference`'s `URI`: `#` and the signed element's ID.
    var referenceURI: String
    var referencePrefixes: Set<String>
    var digestValue: Data
    var signatureValue: Data

    /// Reads a `ds:Signature`, refusing any shape or algorithm outside the profile above.
    static func read(_ signature: XMLElementNode) throws(VIHFRefusal) -> EnvelopedSignature {
        let ds = namespace
        for child in signature.children where child.namespace != ds || !["SignedInfo", "SignatureValue", "KeyInfo"].contains(child.name) {
            throw .invalidToken("the signature holds a \(child.name.prefix(64)) element; only SignedInfo, SignatureValue and KeyInfo are accepted")
        }
        guard signature.children("SignedInfo", ds).count == 1, let signedInfo = signature.child("SignedInfo", ds) else {
            throw .invalidToken("the signature must hold exactly one SignedInfo")
        }
        guard signature.children("SignatureValue", ds).count == 1, let value = signature.child("SignatureValue", ds),
              let signatureValue = Data(base64Encoded: value.trimmedText, options: .ignoreUnknownCharacters), !signatureValue.isEmpty else {
            throw .invalidToken("the signature must hold exactly one SignatureValue, in base64")
        }
        for child in signedInfo.children where child.namespace != ds || !["CanonicalizationMethod", "SignatureMethod", "Reference"].contains(child.name) {
            throw .invalidToken("SignedInfo holds a \(child.name.prefix(64)) element; only CanonicalizationMethod, SignatureMethod and one Reference are accepted")
        }
        guard signedInfo.children("CanonicalizationMethod", ds).count == 1, let canonicalization = signedInfo.child("CanonicalizationMethod", ds),
              canonicalization.attributes["Algorithm"] == ExclusiveCanonicalization.algorithm else {
            throw .invalidToken("SignedInfo must be canonicalized by Exclusive XML Canonicalization 1.0 (\(ExclusiveCanonicalization.algorithm))")
        }
        guard signedInfo.children("SignatureMethod", ds).count == 1, let algorithm = signedInfo.child("SignatureMethod", ds)?.attributes["Algorithm"],
              let method = Method(rawValue: algorithm) else {
            throw .invalidToken("the signature method must be RSA-SHA256 (\(Method.rsaSHA256.rawValue)) or ECDSA-SHA256 (\(Method.ecdsaSHA256.rawValue))")
        }
        let references = signedInfo.children("Reference", ds)
        guard references.count == 1, let reference = references.first else {
            throw .invalidToken("the signature must hold exactly one Reference (it holds \(references.count))")
        }
        guard let uri = reference.attributes["URI"] else { throw .invalidToken("the signature's Reference has no URI") }
        for name in ["Transforms", "DigestMethod", "DigestValue"] where reference.children(name, ds).count != 1 {
            throw .invalidToken("the signature's Reference must hold exactly one \(name)")
        }
        guard reference.children.count == 3 else { throw .invalidToken("the signature's Reference holds elements other than Transforms, DigestMethod and DigestValue") }
        let transforms = reference.child("Transforms", ds)?.children ?? []
        for transform in transforms where transform.name != "Transform" || transform.namespace != ds {
            throw .invalidToken("the Reference's Transforms hold a \(transform.name.prefix(64)) element")
        }
        guard transforms.count == 2, transforms[0].attributes["Algorithm"] == envelopedTransform,
              transforms[1].attributes["Algorithm"] == ExclusiveCanonicalization.algorithm else {
            throw .invalidToken("the Reference's transforms must be exactly the enveloped-signature transform then Exclusive XML Canonicalization 1.0")
        }
        guard reference.child("DigestMethod", ds)?.attributes["Algorithm"] == sha256 else {
            throw .invalidToken("the Reference's digest must be SHA-256 (\(sha256))")
        }
        guard let digest = reference.child("DigestValue", ds).flatMap({ Data(base64Encoded: $0.trimmedText, options: .ignoreUnknownCharacters) }),
              digest.count == SHA256.byteCount else {
            throw .invalidToken("the Reference's DigestValue is not a base64 SHA-256 digest")
        }
        return EnvelopedSignature(signedInfo: signedInfo, signedInfoPrefixes: inclusivePrefixes(of: canonicalization), method: method,
                                  referenceURI: uri, referencePrefixes: inclusivePrefixes(of: transforms[1]), digestValue: digest,
                                  signatureValue: signatureValue)
    }

    /// The `InclusiveNamespaces PrefixList` of a c14n method or transform (`#default` is the default namespace, "").
    private static func inclusivePrefixes(of method: XMLElementNode) -> Set<String> {
        guard let list = method.child("InclusiveNamespaces", ExclusiveCanonicalization.algorithm)?.attributes["PrefixList"] else { return [] }
        return Set(list.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map { $0 == "#default" ? "" : String($0) })
    }

    /// Whether the digest of `element` — canonicalized without the child at `signatureIndex` (this
    /// signature) — is the one the Reference states.
    func digestMatches(_ element: XMLElementNode, inScope: [String: String], signatureIndex: Int) -> Bool {
        let canonical = ExclusiveCanonicalization.canonicalize(element, inScope: inScope, excluding: [signatureIndex], inclusivePrefixes: referencePrefixes)
        return Data(SHA256.hash(data: canonical)) == digestValue
    }

    /// Whether the SignatureValue is `key`'s signature of the canonical SignedInfo.
    ///
    /// - Parameter inScope: the namespaces in scope inside the `Signature` element.
    func signatureVerifies(with key: VIHFTrust.Key, inScope: [String: String]) -> Bool {
        let canonical = ExclusiveCanonicalization.canonicalize(signedInfo, inScope: inScope, inclusivePrefixes: signedInfoPrefixes)
        let digest = SHA256.hash(data: canonical)
        switch (method, key) {
        case (.rsaSHA256, .rsa(let key)):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signatureValue), for: digest, padding: .insecurePKCS1v1_5)
        case (.ecdsaSHA256, .p256(let key)):
            // XML-DSig writes ECDSA signatures as r ‖ s (RFC 4050), not DER.
            guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureValue) else { return false }
            return key.isValidSignature(signature, for: digest)
        default:
            return false
        }
    }
}
