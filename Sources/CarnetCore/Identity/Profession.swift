/// A health profession, by its code in the national nomenclature G15 (TRE_G15, OID `1.2.250.1.213.1.1.4.5`).
///
/// The profession decides which categories of data a professional may read or write (the DMP's
/// *matrice d'habilitations*). Codes outside the known list are kept as they are, so that a new
/// profession is denied by the matrix rather than rejected at the door.
public struct Profession: Hashable, Sendable, StringCodable, CustomStringConvertible {
    public let code: String

    public init(code: String) throws(ProfessionError) {
        guard (1...4).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidCode(code)
        }
        self.code = code
    }

    private init(known code: String) { self.code = code }

    public static let physician = Profession(known: "10")
    public static let pharmacist = Profession(known: "21")
    public static let dentist = Profession(known: "40")
    public static let midwife = Profession(known: "50")
    public static let nurse = Profession(known: "60")
    public static let physiotherapist = Profession(known: "70")
    public static let podiatrist = Profession(known: "80")
    public static let speechTherapist = Profession(known: "91")
    public static let orthoptist = Profession(known: "92")

    /// French label of the known G15 codes, for pages and logs.
    public var label: String {
        Profession.labels[code] ?? "profession \(code)"
    }

    public var description: String { "G15_\(code) (\(label))" }

    static let labels: [String: String] = [
        "10": "Médecin", "21": "Pharmacien", "26": "Audioprothésiste", "28": "Opticien-lunetier",
        "40": "Chirurgien-dentiste", "50": "Sage-femme", "60": "Infirmier", "69": "Infirmier psychiatrique",
        "70": "Masseur-kinésithérapeute", "80": "Pédicure-podologue", "81": "Orthoprothésiste",
        "82": "Podo-orthésiste", "86": "Technicien de laboratoire médical", "91": "Orthophoniste",
        "92": "Orthoptiste", "94": "Ergothérapeute", "95": "Diététicien", "96": "Psychomotricien",
        "98": "Manipulateur ERM",
    ]

    public init(validating text: String) throws(ProfessionError) { try self.init(code: text) }

    public var stringForm: String { code }
}

/// Why a text is not a profession code.
public enum ProfessionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidCode(String)

    public var description: String {
        switch self {
        case .invalidCode(let code): "profession code '\(code)' is not a G15 code: expected 1 to 4 digits, e.g. 10 (physician)"
        }
    }
}
