/// Who may not see a document, as its security labels say (TRE_A07, OID `1.2.250.1.213.1.1.4.13`), plus
/// its confidentiality level (HL7 v3 `N`/`R`/`V`).
///
/// The flags only record what was declared; ``AccessPolicy`` turns them into decisions (masked
/// documents stay visible to the patient, the author and the treating physician — DOMAIN.md, Who may
/// do what).
public struct DocumentVisibility: Hashable, Sendable, Codable {
    /// `MASQUE_PS`: hidden from professionals other than the author and the treating physician, even in emergencies.
    public var maskedToProfessionals: Bool
    /// `INVISIBLE_PATIENT`: to be announced in person first; lifts itself after a month (CSP R1111-53).
    public var invisibleToPatient: Bool
    /// `INVISIBLE_REPRESENTANTS_LEGAUX`: hidden from a minor's legal representatives.
    public var invisibleToLegalRepresentatives: Bool
    /// `MASQUE_PSOCIAL`: hidden from social-domain professionals.
    public var maskedToSocialProfessionals: Bool
    /// `MASQUE_PT`: hidden from third parties.
    public var maskedToThirdParties: Bool
    public var confidentiality: Confidentiality
    /// `true` when the patient side set ``maskedToProfessionals`` (or affirmed it): such a mask is the
    /// patient's to lift, not the author's. `nil` when unmasked or masked by the author. Not a wire label.
    public var maskSetByPatient: Bool?

    public init(maskedToProfessionals: Bool = false, invisibleToPatient: Bool = false, invisibleToLegalRepresentatives: Bool = false,
                maskedToSocialProfessionals: Bool = false, maskedToThirdParties: Bool = false,
                confidentiality: Confidentiality = .normal) {
        self.maskedToProfessionals = maskedToProfessionals
        self.invisibleToPatient = invisibleToPatient
        self.invisibleToLegalRepresentatives = invisibleToLegalRepresentatives
        self.maskedToSocialProfessionals = maskedToSocialProfessionals
        self.maskedToThirdParties = maskedToThirdParties
        self.confidentiality = confidentiality
    }

    /// The FHIR system of the DMP visibility codes.
    public static let system = "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument"
    public static let oid = "urn:oid:1.2.250.1.213.1.1.4.13"

    /// Reads security labels as (system, code) pairs. Unknown labels from other systems are ignored
    /// (they are kept on the resource, not interpreted); an unknown code in the DMP system is an error.
    ///
    /// - Parameter allowMaskedAndInvisible: the DMP server setting `cumul-invisible_patient-masque_ps`,
    ///   off by default: a document may not be both masked to professionals and invisible to the patient.
    public init(labels: [(system: String?, code: String)], allowMaskedAndInvisible: Bool = false) throws(DocumentLabelError) {
        self.init()
        for (system, code) in labels {
            switch system {
            case Self.system?, Self.oid?, "1.2.250.1.213.1.1.4.13"?:
                switch code {
                case "MASQUE_PS": maskedToProfessionals = true
                case "INVISIBLE_PATIENT": invisibleToPatient = true
                // The HL7 v2 table spells it INVISIBLE_REP_LEGAUX: accepted on input (DOMAIN.md).
                case "INVISIBLE_REPRESENTANTS_LEGAUX", "INVISIBLE_REP_LEGAUX": invisibleToLegalRepresentatives = true
                case "MASQUE_PSOCIAL": maskedToSocialProfessionals = true
                case "MASQUE_PT": maskedToThirdParties = true
                default: throw .unknownVisibilityCode(code)
                }
            case Confidentiality.system?, "urn:oid:2.16.840.1.113883.5.25"?:
                guard let level = Confidentiality(rawValue: code) else { throw .unknownConfidentiality(code) }
                confidentiality = max(confidentiality, level)
            default:
                continue
            }
        }
        if maskedToProfessionals && invisibleToPatient && !allowMaskedAndInvisible { throw .maskedAndInvisible }
    }

    /// The labels to write on the wire, DMP codes in their FHIR system.
    /// The labels in wire order: visibility codes first, confidentiality last — so that PDSm's
    /// TD3.3a/b patches (`replace /securityLabel/0` with `N` to unmask) act on the visibility code.
    public var labels: [(system: String, code: String)] {
        var labels: [(system: String, code: String)] = []
        if maskedToProfessionals { labels.append((Self.system, "MASQUE_PS")) }
        if invisibleToPatient { labels.append((Self.system, "INVISIBLE_PATIENT")) }
        if invisibleToLegalRepresentatives { labels.append((Self.system, "INVISIBLE_REPRESENTANTS_LEGAUX")) }
        if maskedToSocialProfessionals { labels.append((Self.system, "MASQUE_PSOCIAL")) }
        if maskedToThirdParties { labels.append((Self.system, "MASQUE_PT")) }
        labels.append((Confidentiality.system, confidentiality.rawValue))
        return labels
    }
}

/// HL7 v3 confidentiality, ordered from least to most restricted.
public enum Confidentiality: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case normal = "N"
    case restricted = "R"
    case veryRestricted = "V"

    public static let system = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Confidentiality, rhs: Confidentiality) -> Bool { lhs.rank < rhs.rank }
}

/// Why a document's security labels are refused.
public enum DocumentLabelError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownVisibilityCode(String)
    case unknownConfidentiality(String)
    case maskedAndInvisible

    public var description: String {
        switch self {
        case .unknownVisibilityCode(let code):
            "'\(code)' is not a TRE_A07 visibility code: expected MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX, MASQUE_PSOCIAL or MASQUE_PT"
        case .unknownConfidentiality(let code): "'\(code)' is not a confidentiality code: expected N, R or V"
        case .maskedAndInvisible: DocumentError.conflictingVisibility.description
        }
    }
}
