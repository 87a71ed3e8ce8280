/// A health professional's RPPS number (*Répertoire Partagé des Professionnels de Santé*): 11 digits.
///
/// Professionals appear on the wire with their national id, `8` followed by the RPPS
/// (system `urn:oid:1.2.250.1.71.4.2.1`); ``nationalID`` gives that form and ``init(_:)`` accepts both.
public struct RPPS: Hashable, Sendable, CustomStringConvertible, StringCodable {
    public let value: String

    /// The system of professionals' national ids (idNat_PS).
    public static let nationalIDSystem = "urn:oid:1.2.250.1.71.4.2.1"

    public init(_ text: String) throws(RPPSError) {
        var digits = text.filter { $0 != " " }
        if digits.count == 12 && digits.first == "8" { digits.removeFirst() }
        guard digits.count == 11 else { throw .wrongLength(digits.count) }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notDigits(text) }
        value = digits
    }

    /// The national id (`8` + RPPS) used in FHIR identifiers and XDS author ids.
    public var nationalID: String { "8" + value }

    public var description: String { value }

    public init(validating text: String) throws(RPPSError) { try self.init(text) }

    public var stringForm: String { value }
}

/// Why a text is not an RPPS number.
public enum RPPSError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(Int)
    case notDigits(String)

    public var description: String {
        switch self {
        case .wrongLength(let count): "RPPS must have 11 digits (or 12 as a national id starting with 8), found \(count)"
        case .notDigits(let text): "RPPS '\(text)' must contain digits only"
        }
    }
}
