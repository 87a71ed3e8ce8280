public import Foundation

/// Which document types each profession may read and write (the DMP's *matrice d'habilitations*,
/// annex of the arrêté of 26 October 2023), loaded from `habilitation-matrix.json` at start-up.
///
/// Data, not code: the annex exists only as an image in the Journal officiel, so the file carries an
/// interim transcription with the source of every row, to be corrected without touching the policy.
/// A profession absent from the file reads nothing.
public struct HabilitationMatrix: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var label: String
        /// `nil` means every type.
        public var readable: Set<String>?
        public var excluded: Set<String>
        public var writesAll: Bool
        public var source: String
    }

    public var rows: [String: Row]
    public var source: String

    public init(rows: [String: Row], source: String) {
        self.rows = rows
        self.source = source
    }

    public func mayRead(_ profession: Profession, type: String) -> Bool {
        guard let row = rows[profession.code], !row.excluded.contains(type) else { return false }
        return row.readable?.contains(type) ?? true
    }

    public func mayWrite(_ profession: Profession, type: String) -> Bool {
        rows[profession.code]?.writesAll ?? false
    }

    /// The matrix shipped with Carnet.
    public static func bundled() throws -> HabilitationMatrix {
        guard let url = Bundle.module.url(forResource: "habilitation-matrix", withExtension: "json") else {
            throw HabilitationMatrixError.invalid("habilitation-matrix.json is missing from the CarnetCore bundle")
        }
        return try HabilitationMatrix(json: try Data(contentsOf: url))
    }

    public init(json: Data) throws(HabilitationMatrixError) {
        struct File: Decodable {
            var source: String
            var professions: [String: Entry]
        }
        struct Entry: Decodable {
            var label: String
            var read: Cells
            var except: [String]?
            var write: Cells
            var source: String
        }
        enum Cells: Decodable {
            case all
            case some([String])
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let word = try? container.decode(String.self) {
                    guard word == "all" else {
                        throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected \"all\" or a list of type codes")
                    }
                    self = .all
                } else {
                    self = .some(try container.decode([String].self))
                }
            }
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw .invalid("\(error)")
        }
        var rows: [String: Row] = [:]
        for (code, entry) in file.professions {
            do {
                _ = try Profession(code: code)
            } catch {
                throw .invalid("'\(code)' is not a G15 profession code")
            }
            guard !entry.source.isEmpty else { throw .invalid("profession \(code) has no source") }
            let readable: Set<String>? = if case .some(let types) = entry.read { Set(types) } else { nil }
            let writesAll = if case .all = entry.write { true } else { false }
            rows[code] = Row(label: entry.label, readable: readable, excluded: Set(entry.except ?? []), writesAll: writesAll, source: entry.source)
        }
        self.init(rows: rows, source: file.source)
    }
}

public enum HabilitationMatrixError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let detail): "the habilitation matrix is invalid: \(detail)"
        }
    }
}
