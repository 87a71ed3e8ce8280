import CarnetCore
import Foundation

/// The parameters of an ITI-18 stored query (`rim:AdhocQuery` slots named `$…`), with their values
/// read as ITI TF-2a §3.18.4.1.2.3.5 writes them: a quoted string (`'value'`), a list in parentheses
/// (`('a','b')`), several `rim:Value`s (OR), or a number; a quote inside a quoted value is doubled.
struct XDSQueryParameters {
    private(set) var values: [String: [String]] = [:]

    init(_ query: XMLElementNode) throws {
        let rim = XDSVocabulary.Namespace.rim
        for slot in query.children("Slot", rim) {
            guard let name = slot.attributes["name"], !name.isEmpty else { continue }
            let raw = slot.child("ValueList", rim)?.children("Value", rim).map(\.trimmedText) ?? []
            values[name, default: []] += try raw.flatMap(Self.list)
        }
    }

    /// Refuses a parameter the query does not take: ignoring one would widen what the caller asked for.
    func refuseOthers(than known: Set<String>) throws {
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw XDSFailure(XDSVocabulary.ErrorCode.registryError,
                             "parameter \(unknown.prefix(100)) is not supported by this stored query here: it takes \(known.sorted().joined(separator: ", "))")
        }
    }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    func single(_ name: String) throws -> String? {
        let found = all(name)
        guard found.count <= 1 else {
            throw XDSFailure(XDSVocabulary.ErrorCode.storedQueryParamNumber, "parameter \(name) takes one value, not \(found.count)")
        }
        return found.first
    }

    func required(_ name: String) throws -> String {
        guard let value = try single(name) else {
            throw XDSFailure(XDSVocabulary.ErrorCode.storedQueryParamNumber, "parameter \(name) is required")
        }
        return value
    }

    /// Codes written `code^^scheme` as FHIR tokens `system|code` (``XDSCoding``).
    func tokens(_ name: String) -> [String] {
        all(name).map { value in
            let parts = value.components(separatedBy: "^^")
            guard parts.count == 2, let system = XDSCoding.system(ofScheme: parts[1]) else { return parts[0] }
            return "\(system)|\(parts[0])"
        }
    }

    /// A `DTM` parameter as an instant.
    func date(_ name: String) throws -> Date? {
        guard let text = try single(name) else { return nil }
        guard let date = XDSCoding.date(text) else {
            throw XDSFailure(XDSVocabulary.ErrorCode.registryError, "parameter \(name) '\(text.prefix(40))' is not a date: expected YYYYMMDDhhmmss (UTC)")
        }
        return date
    }

    /// One `rim:Value` as its values: `'a'`, `('a','b')` or `42`.
    static func list(_ raw: String) throws -> [String] {
        var text = Substring(raw.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("(") && text.hasSuffix(")") { text = text.dropFirst().dropLast() }
        var result: [String] = []
        var current = ""
        var quoted = false
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            switch character {
            case "'" where quoted && index < characters.count && characters[index] == "'":
                // A quote inside a quoted value is doubled (`'D''Alembert'`), as in SQL.
                current.append("'")
                index += 1
            case "'":
                quoted.toggle()
            case "," where !quoted:
                result.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            default:
                current.append(character)
            }
        }
        guard !quoted else { throw XDSFailure(XDSVocabulary.ErrorCode.registryError, "the value \(raw.prefix(100)) has an unclosed quote") }
        result.append(current.trimmingCharacters(in: .whitespaces))
        return result.filter { !$0.isEmpty }
    }
}
