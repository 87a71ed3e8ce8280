/// Why a VIHF (WS-Security SAML 2.0 assertion) was not believed, in words a software developer can act
/// on — never a key, a digest or the assertion's content beyond its own names and times.
///
/// Two kinds, as the WS-Security faults name them: the token itself is unusable (unsigned, malformed,
/// wrapped, unsupported algorithm, attributes that describe no actor: `wsse:InvalidSecurityToken`), or
/// it is well formed but not to be believed (no trusted issuer, a signature that does not verify,
/// outside its validity window: `wsse:FailedAuthentication`). Both are a 401 SOAP 1.2 fault.
struct VIHFRefusal: Error, Equatable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case invalidToken = "wsse:InvalidSecurityToken"
        case failedAuthentication = "wsse:FailedAuthentication"
    }

    var kind: Kind
    var reason: String

    static func invalidToken(_ reason: String) -> VIHFRefusal { VIHFRefusal(kind: .invalidToken, reason: reason) }
    static func failedAuthentication(_ reason: String) -> VIHFRefusal { VIHFRefusal(kind: .failedAuthentication, reason: reason) }

    var description: String { "the WS-Security SAML assertion (VIHF) is refused: \(reason)" }

    /// The fault the XDS.b door answers with.
    var fault: SOAPFault { SOAPFault(subcode: kind.rawValue, reason: description, httpStatus: 401) }
}
