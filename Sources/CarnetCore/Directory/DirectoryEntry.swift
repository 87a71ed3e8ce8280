public import Foundation

/// One health professional as the national directory (*Annuaire Santé*, the RPPS public extract)
/// describes them: who an RPPS number is, so that pages show people, not numbers (issue 16).
///
/// The directory is public open data, not health data: it says nothing about any patient, so it is
/// read without an access decision and kept apart from the patient-keyed tables. A professional may
/// practise in several places; Carnet keeps the activity the extract lists first.
public struct DirectoryEntry: Hashable, Sendable, Codable {
    public var rpps: RPPS
    /// *Libellé civilité d'exercice*, e.g. "Docteur", "Madame"; empty when the extract has none.
    public var civility: String
    public var lastName: String
    public var firstName: String
    /// G15 code (*Code profession*) and its label as the extract spells it.
    public var professionCode: String
    public var professionLabel: String
    /// *Libellé savoir-faire*: the specialty ("Médecine générale"), empty for most professions.
    public var specialty: String
    /// *Libellé commune (coord. structure)* and *Code postal (coord. structure)* of the activity.
    public var town: String
    public var postalCode: String

    public init(rpps: RPPS, civility: String = "", lastName: String, firstName: String, professionCode: String, professionLabel: String = "",
                specialty: String = "", town: String = "", postalCode: String = "") {
        self.rpps = rpps
        self.civility = civility
        self.lastName = lastName
        self.firstName = firstName
        self.professionCode = professionCode
        self.professionLabel = professionLabel
        self.specialty = specialty
        self.town = town
        self.postalCode = postalCode
    }

    /// "Dr Claire Martin" for a doctor, "Claire Martin" otherwise: how a person names a professional.
    public var displayName: String {
        let name = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
        let title = ["docteur", "dr", "professeur", "pr"].contains(civility.lowercased()) ? (civility.lowercased().hasPrefix("p") ? "Pr" : "Dr") : ""
        return title.isEmpty ? name : "\(title) \(name)"
    }

    /// The profession in words: the extract's label, else the G15 label Carnet knows.
    public var profession: String {
        if !professionLabel.isEmpty { return professionLabel }
        return (try? Profession(code: professionCode).label) ?? professionCode
    }

    /// Profession (and specialty when it says more) and town: "Médecin, médecine générale — Lyon".
    public var practice: String {
        var text = profession
        if !specialty.isEmpty, specialty.lowercased() != profession.lowercased() { text += " (\(specialty.lowercased()))" }
        if !town.isEmpty { text += " — \(Self.townCase(town))" }
        return text
    }

    /// The last name as the search index keeps it (``searchKey(_:)``).
    public var lastNameKey: String { Self.searchKey(lastName) }
    public var firstNameKey: String { Self.searchKey(firstName) }

    /// Names compared as people type them: lower case, accents and punctuation ignored, one space
    /// between words ("Lefèvre-Dubois" and "lefevre dubois" are the same key).
    public static func searchKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR"))
        let words = folded.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.joined(separator: " ")
    }

    /// Whether every word of a query starts a word of this professional's names: "mart cl" finds Claire
    /// Martin, and so does "claire" or "martin" alone.
    public func matches(query: String) -> Bool {
        let words = Set((lastNameKey + " " + firstNameKey).split(separator: " "))
        let wanted = Self.searchKey(query).split(separator: " ")
        return !wanted.isEmpty && wanted.allSatisfy { part in words.contains { $0.hasPrefix(part) } }
    }

    /// "SAINT-ÉTIENNE" as "Saint-Étienne": the extract writes towns in capitals.
    static func townCase(_ town: String) -> String {
        guard town == town.uppercased() else { return town }
        var result = ""
        var startOfWord = true
        for character in town {
            result += startOfWord ? String(character).uppercased() : String(character).lowercased()
            startOfWord = !(character.isLetter)
        }
        return result
    }
}
