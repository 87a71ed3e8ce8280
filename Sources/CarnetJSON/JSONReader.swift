/// Reads JSON as a stream of tokens, for the stored forms decoded on every search.
///
/// `JSONDecoder` goes through generic keyed containers for each field; decoding a page of stored
/// document entries took a tenth of the server's CPU. A type that decodes often reads itself here:
/// it walks its object's keys, reads the values it knows and skips the rest (as `Decodable` does).
/// Only well-formed JSON is accepted; an error says what was expected and at which byte.
public struct JSONReader {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: - Structure

    public mutating func beginObject() throws(JSONReadError) {
        try expect(UInt8(ascii: "{"), "an object")
        afterOpening = true
    }

    /// The next key of the current object, or `nil` at its end (consumed).
    public mutating func nextKey() throws(JSONReadError) -> String? {
        guard try nextMember(closing: UInt8(ascii: "}")) else { return nil }
        let key = try string()
        try expect(UInt8(ascii: ":"), "':' after a key")
        return key
    }

    /// The next key of the current object that `keys` knows, or `nil` at the object's end (consumed).
    /// Unknown keys are passed over with their values, as `Decodable` passes them over.
    ///
    /// The key is matched on the text's bytes, without building a `String` for it or comparing it with
    /// each case of a string `switch` in turn: on the stored document entries every search decodes,
    /// those were a fifth of the decoding (issue 20's profile). Inlinable, so that the caller's `Key` is
    /// known where it is picked (unspecialized, the generic path cost more than it saved).
    @inlinable
    public mutating func nextKey<Key>(in keys: JSONKeys<Key>) throws(JSONReadError) -> Key? {
        guard let index = try nextKeyIndex(in: keys.names) else { return nil }
        return keys.cases[index]
    }

    /// ``nextKey(in:)``'s work, on the names alone: the index of the next known key, `nil` at the end.
    @usableFromInline
    mutating func nextKeyIndex(in names: JSONKeyNames) throws(JSONReadError) -> Int? {
        while try nextMember(closing: UInt8(ascii: "}")) {
            let index = try withStringBytes { names.index(of: $0) }
            try expect(UInt8(ascii: ":"), "':' after a key")
            if let index { return index }
            try skip()
        }
        return nil
    }

    public mutating func beginArray() throws(JSONReadError) {
        try expect(UInt8(ascii: "["), "an array")
        afterOpening = true
    }

    /// Whether the current array has another element (positioned on it), `false` at its end (consumed).
    public mutating func nextElement() throws(JSONReadError) -> Bool {
        try nextMember(closing: UInt8(ascii: "]"))
    }

    /// Ensures nothing but white space follows the value read.
    public mutating func end() throws(JSONReadError) {
        skipWhitespace()
        guard position == bytes.count else { throw error("the end of the text") }
    }

    // MARK: - Values

    /// Consumes a `null` if there is one: `true` when the value was null.
    public mutating func null() throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    public mutating func bool() throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("a boolean") }
        if bytes[position] == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    public mutating func int() throws(JSONReadError) -> Int {
        let token = try numberToken()
        guard let value = Int(token) else { throw error("an integer", at: position - token.utf8.count) }
        return value
    }

    public mutating func double() throws(JSONReadError) -> Double {
        let token = try numberToken()
        guard let value = Double(token) else { throw error("a number", at: position - token.utf8.count) }
        return value
    }

    public mutating func string() throws(JSONReadError) -> String {
        try withStringBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The next string's UTF-8 bytes, its escapes decoded, handed to `body` without a `String` made of
    /// them (a UUID's text, a key).
    mutating func withStringBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) throws(JSONReadError) -> T {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let end = position
                position += 1
                return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
            }
            if byte == UInt8(ascii: "\\") { return try escapedBytes(from: start).withUnsafeBufferPointer(body) }
            if byte < 0x20 { throw error("no control character inside a string") }
            position += 1
        }
        throw error("the end of a string")
    }

    /// The first byte of the next value (after white space), without consuming it; `nil` at the end:
    /// what a reader of any JSON value dispatches on.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// The next number's text as written (checked by its caller's conversion), for a reader that keeps
    /// integers and decimals apart.
    public mutating func numberText() throws(JSONReadError) -> String {
        try numberToken()
    }

    /// Skips one value of any kind.
    public mutating func skip() throws(JSONReadError) {
        skipWhitespace()
        guard position < bytes.count else { throw error("a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skip() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skip() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): _ = try null()
        default: _ = try double()
        }
    }

    // MARK: - Bytes

    /// Set after `{` or `[`: the first member needs no comma before it.
    private var afterOpening = false

    private mutating func nextMember(closing: UInt8) throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("'\(Character(Unicode.Scalar(closing)))'") }
        if bytes[position] == closing {
            position += 1
            afterOpening = false
            return false
        }
        if afterOpening {
            afterOpening = false
        } else {
            try expect(UInt8(ascii: ","), "',' or '\(Character(Unicode.Scalar(closing)))'")
        }
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONReadError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw error(what) }
        position += 1
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("'\(word)'") }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { throw error("'\(word)'") }
        position += count
    }

    private mutating func numberToken() throws(JSONReadError) -> String {
        skipWhitespace()
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                guard position > start else { throw error("a value") }
                return String(decoding: bytes[start..<position], as: UTF8.self)
            }
        }
        guard position > start else { throw error("a value") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// The slow path of ``withStringBytes(_:)``: the UTF-8 of a string holding escapes, decoded from its opening quote's next byte.
    private mutating func escapedBytes(from start: Int) throws(JSONReadError) -> [UInt8] {
        var utf8 = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return utf8
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw error("an escape") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape())
                default: throw error("a valid escape", at: position - 1)
                }
            case 0..<0x20:
                throw error("no control character inside a string", at: position - 1)
            default:
                utf8.append(byte)
            }
        }
        throw error("the end of a string")
    }

    /// `\uXXXX` (after the `u`), joining a UTF-16 surrogate pair; a lone surrogate becomes U+FFFD, as in `JSONDecoder`.
    private mutating func unicodeEscape() throws(JSONReadError) -> String.UTF8View {
        let unit = try hexUnit()
        var scalar = Unicode.Scalar(unit)
        if UTF16.isLeadSurrogate(unit), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
           bytes[position + 1] == UInt8(ascii: "u") {
            let saved = position
            position += 2
            let trail = try hexUnit()
            if UTF16.isTrailSurrogate(trail) {
                scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00))
            } else {
                position = saved
            }
        }
        return String(Character(scalar ?? "\u{FFFD}")).utf8
    }

    private mutating func hexUnit() throws(JSONReadError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw error("four hexadecimal digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("four hexadecimal digits")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    private func error(_ expected: String, at offset: Int? = nil) -> JSONReadError {
        JSONReadError(expected: expected, offset: offset ?? position)
    }
}

/// The keys of an object a type reads with ``JSONReader/nextKey(in:)``: its `Key` enumeration's cases
/// and their raw values, made once (a `static let` beside the enumeration).
public struct JSONKeys<Key: RawRepresentable & CaseIterable & Sendable>: Sendable where Key.RawValue == String {
    @usableFromInline let cases: [Key]
    @usableFromInline let names: JSONKeyNames

    public init() {
        cases = Array(Key.allCases)
        names = JSONKeyNames(cases.map(\.rawValue))
    }
}

/// Key names, each kept as its length and first sixteen bytes in two integers, so that matching a key in
/// the text is a few integer comparisons.
@usableFromInline
struct JSONKeyNames: Sendable {
    private struct Name: Sendable {
        let head: (UInt64, UInt64)
        let bytes: [UInt8]
    }

    private let names: [Name]

    init(_ names: [String]) {
        self.names = names.map { name in
            let bytes = Array(name.utf8)
            return Name(head: bytes.withUnsafeBufferPointer(Self.head), bytes: bytes)
        }
    }

    /// The index of the name spelled by `bytes`, or `nil`.
    func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let head = Self.head(bytes)
        for (index, name) in names.enumerated() where name.bytes.count == bytes.count && name.head == head && Self.tailsMatch(name.bytes, bytes) {
            return index
        }
        return nil
    }

    /// Whether the bytes after the sixteenth agree (the lengths do).
    private static func tailsMatch(_ known: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 16
        while offset < bytes.count {
            if known[offset] != bytes[offset] { return false }
            offset += 1
        }
        return true
    }

    /// The first sixteen bytes (zeros after the end) as two integers.
    private static func head(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { words in
            for index in 0..<min(16, bytes.count) { words[index] = bytes[index] }
        }
        return words
    }
}

/// Why a JSON text could not be read: what was expected, and the byte offset where it was not found.
public struct JSONReadError: Error, Sendable, CustomStringConvertible {
    public let expected: String
    public let offset: Int

    public var description: String { "expected \(expected) at byte \(offset)" }

    /// A value that was read but is not one the reader's caller accepts (an unknown code, a bad UUID…).
    public static func invalid(_ what: String) -> JSONReadError { JSONReadError(expected: what, offset: -1) }
}
