/// A value whose JSON form is one string that must pass the same validation as its initializer.
///
/// Decoding through ``init(validating:)`` means a stored or received value can never bypass the
/// rules that construction enforces; a refusal becomes a `DecodingError` carrying the rule's message.
public protocol StringCodable: Codable {
    associatedtype ValidationError: Error & CustomStringConvertible
    init(validating text: String) throws(ValidationError)
    /// The canonical string form, written back on encoding.
    var stringForm: String { get }
}

extension StringCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(validating: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stringForm)
    }
}
