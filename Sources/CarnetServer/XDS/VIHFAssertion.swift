import Foundation

/// The VIHF of a SOAP message — the SAML 2.0 assertion in its WS-Security header — once found to be
/// the one and only assertion, signed by a trusted issuer, and valid now.
///
/// Signature wrapping is the classic attack on signed SAML: a verifier checks one element and the
/// reader reads another (a second assertion, the signed one moved elsewhere, an ID given twice). So
/// the structure is fixed before anything is verified: exactly one WS-Security header; exactly one
/// SAML assertion in the whole message, a direct child of that header; exactly one signature inside
/// it, its direct child, whose one Reference names `#` + this very element's `ID`; no other attribute
/// of the message carries that ID. The attributes are then read from ``element`` — the node that was
/// canonicalized and digested — never looked up again by ID.
struct VIHFAssertion {
    static let samlNamespace = "urn:oasis:names:tc:SAML:2.0:assertion"
    static let securityNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    /// Clocks differ: an assertion is accepted this long before NotBefore and after NotOnOrAfter.
    static let clockSkew: TimeInterval = 60

    /// The verified assertion element.
    let element: XMLElementNode
    let issuer: String

    /// Whether `envelope` carries a SAML assertion anywhere, or a WS-Security header holding one
    /// (even of another SAML version, or encrypted): then it must verify, never be ignored.
    static func isPresent(in envelope: XMLElementNode) -> Bool {
        if count(in: envelope, where: { $0.name == "Assertion" && $0.namespace == samlNamespace }) > 0 { return true }
        return securityHeaders(of: envelope).contains { security in
            security.children.contains { $0.name == "Assertion" || $0.name == "EncryptedAssertion" }
        }
    }

    /// Finds, checks and verifies the assertion of `envelope` (the SOAP `Envelope` element).
    static func verify(in envelope: XMLElementNode, trust: VIHFTrust?, now: Date) throws(VIHFRefusal) -> VIHFAssertion {
        let securities = securityHeaders(of: envelope)
        guard securities.count == 1, let security = securities.first else {
            throw .invalidToken("the message must carry exactly one WS-Security header (wsse:Security) holding the assertion; it carries \(securities.count)")
        }
        if security.children.contains(where: { $0.name == "EncryptedAssertion" || ($0.name == "Assertion" && $0.namespace != samlNamespace) }) {
            throw .invalidToken("only a SAML 2.0 assertion (\(samlNamespace)), not encrypted, is accepted")
        }
        let assertions = count(in: envelope, where: { $0.name == "Assertion" && $0.namespace == samlNamespace })
        guard assertions == 1, security.children("Assertion", samlNamespace).count == 1,
              let assertion = security.child("Assertion", samlNamespace) else {
            throw .invalidToken("the message must carry exactly one SAML assertion, directly in its WS-Security header; it carries \(assertions)")
        }
        guard let id = assertion.attributesByQualifiedName["ID"], !id.isEmpty else { throw .invalidToken("the assertion has no ID") }
        guard assertion.attributesByQualifiedName["Version"] == "2.0" else { throw .invalidToken("the assertion's Version is not 2.0") }
        let carriers = count(in: envelope, where: { element in
            element.attributesByQualifiedName.contains { name, value in
                value == id && (name.split(separator: ":").last.map { $0.lowercased() == "id" } ?? false)
            }
        })
        guard carriers == 1 else { throw .invalidToken("the assertion's ID is carried by \(carriers) elements of the message; IDs must be unique") }
        if count(in: assertion, where: \.hasProcessingInstruction) > 0 { throw .invalidToken("the assertion holds a processing instruction") }

        let signatureIndices = assertion.children.indices.filter {
            assertion.children[$0].name == "Signature" && assertion.children[$0].namespace == EnvelopedSignature.namespace
        }
        let nestedSignatures = count(in: assertion, where: { $0.name == "Signature" && $0.namespace == EnvelopedSignature.namespace })
        guard nestedSignatures > 0 else { throw .invalidToken("the assertion is not signed; Carnet never trusts an unsigned VIHF") }
        guard signatureIndices.count == 1, nestedSignatures == 1, let signatureIndex = signatureIndices.first else {
            throw .invalidToken("the assertion must hold exactly one signature, as its direct child")
        }
        let signatureElement = assertion.children[signatureIndex]
        let signature = try EnvelopedSignature.read(signatureElement)
        guard signature.referenceURI == "#" + id else {
            throw .invalidToken("the signature's Reference must name the assertion itself (#\(id.prefix(100))), not '\(signature.referenceURI.prefix(100))'")
        }

        guard let trust else {
            throw .failedAuthentication("this server trusts no VIHF issuer (carnet serve --vihf-trust): authenticate with a bearer token or a client certificate")
        }
        guard assertion.children("Issuer", samlNamespace).count == 1, let issuer = assertion.child("Issuer", samlNamespace)?.trimmedText, !issuer.isEmpty else {
            throw .invalidToken("the assertion must name exactly one Issuer")
        }
        guard let keys = trust.keys(of: issuer, at: now) else { throw .failedAuthentication("its issuer '\(issuer.prefix(200))' is not trusted by this server") }
        guard !keys.isEmpty else { throw .failedAuthentication("the certificate trusted for issuer '\(issuer.prefix(200))' is not valid at this time") }

        let outside = scope(ofPath: [envelope, header(of: envelope), security].compactMap { $0 })
        guard signature.digestMatches(assertion, inScope: outside, signatureIndex: signatureIndex) else {
            throw .failedAuthentication("the assertion's content does not match its signature (digest): it was changed after signing")
        }
        let insideSignature = ExclusiveCanonicalization.scope(of: signatureElement, inheriting: ExclusiveCanonicalization.scope(of: assertion, inheriting: outside))
        guard keys.contains(where: { signature.signatureVerifies(with: $0, inScope: insideSignature) }) else {
            throw .failedAuthentication("the signature does not verify with the key trusted for issuer '\(issuer.prefix(200))'")
        }

        try checkValidity(of: assertion, now: now)
        return VIHFAssertion(element: assertion, issuer: issuer)
    }

    /// `Conditions NotBefore`/`NotOnOrAfter` and `IssueInstant` against `now`, with ``clockSkew``.
    /// VIHF makes the window optional; Carnet requires `NotOnOrAfter`, so that no assertion is good forever.
    private static func checkValidity(of assertion: XMLElementNode, now: Date) throws(VIHFRefusal) {
        guard let issued = assertion.attributesByQualifiedName["IssueInstant"].flatMap(instant) else {
            throw .invalidToken("the assertion's IssueInstant is missing or not an xs:dateTime in UTC")
        }
        guard let conditions = assertion.child("Conditions", samlNamespace), assertion.children("Conditions", samlNamespace).count == 1 else {
            throw .invalidToken("the assertion has no Conditions: Carnet requires a validity window (NotOnOrAfter)")
        }
        guard let notOnOrAfter = conditions.attributes["NotOnOrAfter"].flatMap(instant) else {
            throw .invalidToken("the assertion's Conditions have no NotOnOrAfter (an xs:dateTime in UTC): Carnet requires a validity window")
        }
        let notBefore: Date?
        if let text = conditions.attributes["NotBefore"] {
            guard let date = instant(text) else { throw .invalidToken("the assertion's NotBefore is not an xs:dateTime in UTC") }
            notBefore = date
        } else {
            notBefore = nil
        }
        let stamp = Date.ISO8601FormatStyle()
        if now.addingTimeInterval(clockSkew) < max(notBefore ?? issued, issued) {
            throw .failedAuthentication("the assertion is not valid yet (from \(max(notBefore ?? issued, issued).formatted(stamp)); it is \(now.formatted(stamp)))")
        }
        if now.addingTimeInterval(-clockSkew) >= notOnOrAfter {
            throw .failedAuthentication("the assertion has expired (NotOnOrAfter \(notOnOrAfter.formatted(stamp)); it is \(now.formatted(stamp)))")
        }
    }

    /// An `xs:dateTime` in UTC (`Z`), with or without fractional seconds, as SAML writes them.
    static func instant(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.hasSuffix("Z") else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func header(of envelope: XMLElementNode) -> XMLElementNode? {
        envelope.child("Header", XDSVocabulary.Namespace.soap12)
    }

    private static func securityHeaders(of envelope: XMLElementNode) -> [XMLElementNode] {
        header(of: envelope)?.children("Security", securityNamespace) ?? []
    }

    /// The namespaces in scope inside the last element of `path` (outermost first).
    private static func scope(ofPath path: [XMLElementNode]) -> [String: String] {
        path.reduce(into: [:]) { scope, element in scope = ExclusiveCanonicalization.scope(of: element, inheriting: scope) }
    }

    /// How many elements of the subtree of `root` (itself included) satisfy `test`.
    private static func count(in root: XMLElementNode, where test: (XMLElementNode) -> Bool) -> Int {
        var total = 0
        var pending = [root]
        while let element = pending.popLast() {
            if test(element) { total += 1 }
            pending.append(contentsOf: element.children)
        }
        return total
    }
}
