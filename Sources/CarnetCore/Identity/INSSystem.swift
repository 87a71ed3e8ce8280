/// The national identifier systems an INS can belong to, by their OID (DOMAIN.md, People and identifiers).
///
/// Test and demo systems exist so that software can be qualified without real people's numbers; they
/// are the only ones whose key checking may be relaxed.
public enum INSSystem: String, CaseIterable, Hashable, Sendable, Codable {
    /// INS-NIR, the production identifier.
    case nir = "urn:oid:1.2.250.1.213.1.4.8"
    /// INS-NIA, a temporary identifier awaiting a NIR.
    case nia = "urn:oid:1.2.250.1.213.1.4.9"
    /// INS-NIR for test identities.
    case test = "urn:oid:1.2.250.1.213.1.4.10"
    /// INS-NIR for demonstration identities.
    case demo = "urn:oid:1.2.250.1.213.1.4.11"

    /// The URI used as FHIR `identifier.system`.
    public var uri: String { rawValue }

    public var isTestOrDemo: Bool { self == .test || self == .demo }

    /// Reads a FHIR identifier system, accepting the bare OID as well as the `urn:oid:` form.
    public init(uri: String) throws(INSError) {
        let normalised = uri.hasPrefix("urn:oid:") ? uri : "urn:oid:" + uri
        guard let system = INSSystem(rawValue: normalised) else { throw .unknownSystem(uri) }
        self = system
    }
}
