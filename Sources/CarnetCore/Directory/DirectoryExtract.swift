import Foundation

/// Reads the national directory's public extract: the RPPS *Annuaire Santé* file
/// `PS_LibreAcces_Personne_activite_*.txt` — UTF-8, one header line, fields separated by `|` (each line
/// ends with one), one line per professional and activity (README, "Directory of professionals").
///
/// Columns are found by their header name, never by position, so a column added, removed or moved by
/// a new edition of the extract changes nothing; header names are compared ignoring case and accents.
/// Only the columns in ``Column`` are read; the others (SIRET, FINESS, street, phone…) are ignored.
public struct DirectoryExtract: Sendable {
    /// The columns Carnet reads, by their name in the extract's header.
    public enum Column: String, CaseIterable, Sendable {
        case identifierType = "Type d'identifiant PP"
        case identifier = "Identifiant PP"
        case nationalIdentifier = "Identification nationale PP"
        case civility = "Libellé civilité d'exercice"
        case lastName = "Nom d'exercice"
        case firstName = "Prénom d'exercice"
        case professionCode = "Code profession"
        case professionLabel = "Libellé profession"
        case specialty = "Libellé savoir-faire"
        case postalCode = "Code postal (coord. structure)"
        case town = "Libellé commune (coord. structure)"

        /// Without these a line says nothing Carnet can use; the others may be absent from the header.
        static let required: [Column] = [.lastName, .firstName, .professionCode]
    }

    /// The RPPS identifier type (*Type d'identifiant PP* `8`); ADELI lines (`0`) carry no RPPS.
    public static let rppsIdentifierType = "8"
    public static let separator: Character = "|"

    let positions: [Column: Int]
    let fieldCount: Int

    /// Reads the header line; throws when it lacks a required column or any identifier column.
    public init(header line: Substring) throws(DirectoryExtractError) {
        var text = line
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        let names = text.split(separator: Self.separator, omittingEmptySubsequences: false).map { Self.key(String($0)) }
        var positions: [Column: Int] = [:]
        for column in Column.allCases {
            if let index = names.firstIndex(of: Self.key(column.rawValue)) { positions[column] = index }
        }
        var missing = Column.required.filter { positions[$0] == nil }.map(\.rawValue)
        if positions[.identifier] == nil && positions[.nationalIdentifier] == nil {
            missing.insert("\(Column.identifier.rawValue) or \(Column.nationalIdentifier.rawValue)", at: 0)
        }
        guard missing.isEmpty else { throw .badHeader(missing: missing) }
        self.positions = positions
        fieldCount = names.count
    }

    /// One line's professional; `nil` for a line about someone without an RPPS (an ADELI number), which
    /// Carnet cannot name since it identifies professionals by RPPS.
    public func entry(_ line: Substring) throws(DirectoryLineError) -> DirectoryEntry? {
        let values = line.split(separator: Self.separator, omittingEmptySubsequences: false)
        guard let last = positions.values.max(), values.count > last else {
            throw .malformed("\(values.count) fields where the header names \(fieldCount)")
        }
        func value(_ column: Column) -> String {
            positions[column].map { values[$0].trimmingCharacters(in: .whitespaces) } ?? ""
        }
        let type = value(.identifierType)
        if !type.isEmpty && type != Self.rppsIdentifierType { return nil }
        let identifier = value(.identifier).isEmpty ? value(.nationalIdentifier) : value(.identifier)
        guard !identifier.isEmpty else { throw .malformed("no \(Column.identifier.rawValue)") }
        let rpps: RPPS
        do { rpps = try RPPS(identifier) } catch { throw .malformed("\(Column.identifier.rawValue): \(error)") }
        let lastName = value(.lastName), firstName = value(.firstName)
        guard !lastName.isEmpty else { throw .malformed("no \(Column.lastName.rawValue)") }
        let code = value(.professionCode)
        do { _ = try Profession(code: code) } catch { throw .malformed("\(Column.professionCode.rawValue): \(error)") }
        return DirectoryEntry(rpps: rpps, civility: value(.civility), lastName: lastName, firstName: firstName, professionCode: code,
                              professionLabel: value(.professionLabel), specialty: value(.specialty), town: value(.town),
                              postalCode: value(.postalCode))
    }

    /// A header name as compared: lower case, without accents, apostrophes or punctuation.
    static func key(_ name: String) -> String {
        DirectoryEntry.searchKey(name.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Why the extract's header cannot be read: the import stops before touching anything.
public enum DirectoryExtractError: Error, Equatable, Sendable, CustomStringConvertible {
    case badHeader(missing: [String])
    case empty

    public var description: String {
        switch self {
        case .badHeader(let missing):
            "the header line lacks \(missing.joined(separator: ", ")): expected the RPPS extract (PS_LibreAcces_Personne_activite), fields separated by |"
        case .empty: "the file is empty: expected a header line and one line per professional"
        }
    }
}

/// Why one line of the extract was rejected (written to the rejects file; the import goes on).
public enum DirectoryLineError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let reason): reason
        }
    }
}
