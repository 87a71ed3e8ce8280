/// How a professional accesses a record: normally, or in one of the DMP's two emergency modes.
///
/// The raw values are the DMP's own codes (TRE_R248, OID `1.2.250.1.213.1.1.4.248`). IHE IUA tokens
/// carry a purpose of use instead; ``init(purposeOfUse:regulation:)`` maps `TREAT` and `ETREAT` onto
/// these modes (DOMAIN.md, Emergency access).
public enum AccessMode: String, Hashable, Sendable, Codable, CaseIterable {
    case normal
    /// *Bris de glace*: a professional declares an emergency, with a reason, and reads without authorisation.
    case breakTheGlass = "bris_de_glace"
    /// *Centre 15*: an emergency regulator reads without authorisation.
    case centre15 = "centre_15"

    /// The OID of the DMP's access-mode code system.
    public static let codeSystem = "urn:oid:1.2.250.1.213.1.1.4.248"

    public var isEmergency: Bool { self != .normal }

    /// The IHE IUA purpose of use that stands for this mode.
    public var purposeOfUse: String { self == .normal ? "TREAT" : "ETREAT" }

    /// Maps an IUA purpose of use: `TREAT` is normal care; `ETREAT` is an emergency, which is
    /// Centre 15 regulation when the actor holds the regulation role and break-the-glass otherwise.
    public init?(purposeOfUse: String, regulation: Bool) {
        switch purposeOfUse.uppercased() {
        case "TREAT": self = .normal
        case "ETREAT": self = regulation ? .centre15 : .breakTheGlass
        default: return nil
        }
    }
}
