import CarnetJSON
public import Foundation

extension JSONValue {
    /// Parses JSON Carnet wrote itself (a stored summary item, a resource it just encoded) with the
    /// token reader instead of `JSONDecoder`: `init(from:)` must try each kind in turn, throwing and
    /// catching for every value of an object, which made a tenth of a `$summary`'s CPU (issue 20).
    /// Values come out as `JSONDecoder` gives them: a number that is an integer (`1`, `1.0`, `1e2`)
    /// within `Int64` is an integer, any other a double.
    public init(parsing data: Data) throws {
        var reader = JSONReader(bytes: Array(data))
        self = try Self.read(&reader, depth: 0)
        try reader.end()
    }

    /// Deeper than this is refused: no stored form nests so far, and the recursion stays bounded.
    static let maximumReadingDepth = 256

    private static func read(_ reader: inout JSONReader, depth: Int) throws -> JSONValue {
        guard depth < maximumReadingDepth else { throw JSONReadError.invalid("JSON nested at most \(maximumReadingDepth) deep") }
        switch reader.peek() {
        case UInt8(ascii: "{"):
            try reader.beginObject()
            var members: [String: JSONValue] = [:]
            while let key = try reader.nextKey() {
                let value = try read(&reader, depth: depth + 1)
                // A repeated key keeps its first value, as JSONDecoder does.
                if members[key] == nil { members[key] = value }
            }
            return .object(members)
        case UInt8(ascii: "["):
            try reader.beginArray()
            var elements: [JSONValue] = []
            while try reader.nextElement() { elements.append(try read(&reader, depth: depth + 1)) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try reader.string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try reader.bool())
        case UInt8(ascii: "n"):
            _ = try reader.null()
            return .null
        default:
            let text = try reader.numberText()
            if let integer = Int64(text) { return .integer(integer) }
            guard let number = Double(text), number.isFinite else { throw JSONReadError.invalid("a number") }
            if number == number.rounded(), number >= -9_223_372_036_854_775_808, number < 9_223_372_036_854_775_808 {
                return .integer(Int64(number))
            }
            return .number(number)
        }
    }
}
