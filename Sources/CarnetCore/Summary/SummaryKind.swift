/// The kinds of item the patient's structured summary holds (DOMAIN.md, "What it contains", 2), each
/// stored as the FHIR R4 resource that carries it.
///
/// The DMP files the summary under document types, and so does the policy here: a professional reads
/// an item when the habilitation matrix lets their profession read the document type it belongs to —
/// clinical items under the medical summary (*VSM*, `60591-5`), vaccinations under the vaccination
/// history (`11369-6`), the patient's wishes (contacts, trusted person, organ donation) under
/// `EXPPAT_1` and advance directives under `EXPPAT_3` — so a dentist never sees the directives.
public enum SummaryKind: String, Sendable, Hashable, Codable, CaseIterable {
    case allergy = "allergy-intolerance"
    case condition
    case medication = "medication-statement"
    case immunization
    case observation
    case relatedPerson = "related-person"
    case advanceDirective = "advance-directive"
    case organDonation = "organ-donation"

    /// The FHIR resource type that carries the item.
    public var resourceType: String {
        switch self {
        case .allergy: "AllergyIntolerance"
        case .condition: "Condition"
        case .medication: "MedicationStatement"
        case .immunization: "Immunization"
        case .observation: "Observation"
        case .relatedPerson: "RelatedPerson"
        case .advanceDirective, .organDonation: "Consent"
        }
    }

    /// The document type the habilitation matrix is asked about.
    public var documentType: Code {
        switch self {
        case .allergy, .condition, .medication, .observation: Code(system: "http://loinc.org", code: "60591-5")
        case .immunization: Code(system: "http://loinc.org", code: "11369-6")
        case .relatedPerson, .organDonation: Code(system: Self.tre_a05, code: "EXPPAT_1")
        case .advanceDirective: Code(system: Self.tre_a05, code: "EXPPAT_3")
        }
    }

    /// Items only the patient side writes: their own wishes, never a professional's (DOMAIN.md:
    /// contacts, trusted person, directives, organ donation). Clinical items are written by
    /// professionals within their profession's rights, and by the patient as self-reported.
    public var isPatientSection: Bool {
        switch self {
        case .relatedPerson, .advanceDirective, .organDonation: true
        case .allergy, .condition, .medication, .immunization, .observation: false
        }
    }

    /// The kinds a FHIR resource type may carry.
    public static func kinds(ofResourceType type: String) -> [SummaryKind] {
        allCases.filter { $0.resourceType == type }
    }

    static let tre_a05 = "urn:oid:1.2.250.1.213.1.1.4.12"
}
