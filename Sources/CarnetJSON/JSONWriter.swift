/// Writes JSON bytes directly, for the responses and stored forms on the hot paths.
///
/// Foundation's `JSONEncoder` builds a tree of boxed values through generic containers before it
/// writes a byte; on a search answering a page of documents that was a sixth of the server's CPU.
/// This writer appends to one buffer as the caller walks its values. It writes exactly what
/// `JSONEncoder` with `.sortedKeys` writes (same escapes; slashes unescaped only when asked), so a
/// caller that writes its keys in sorted order produces the same bytes — tests hold it to that.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// Whether the next value or key needs a separating comma.
    @usableFromInline var needsComma = false
    private let escapesSlashes: Bool

    /// - Parameter escapingSlashes: `JSONEncoder`'s default (`\/`); FHIR responses turn it off.
    public init(capacity: Int = 1024, escapingSlashes: Bool = false) {
        bytes = []
        bytes.reserveCapacity(capacity)
        escapesSlashes = escapingSlashes
    }

    // MARK: - Structure

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A key of the object being written; its value follows.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    public mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// A finite double, in Swift's shortest round-tripping form (`JSONEncoder`'s too).
    public mutating func double(_ value: Double) {
        separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: Self.nullBytes)
        needsComma = true
    }

    /// A value already in JSON (written by another writer or encoder), copied as it is.
    public mutating func raw(_ json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    @inlinable
    public mutating func value(_ value: some JSONWritable) {
        value.writeJSON(to: &self)
        needsComma = true
    }

    // MARK: - Fields (a key and its value; absent values write nothing, as `encodeIfPresent`)

    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    public mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bool(value)
    }

    @inlinable
    public mutating func field(_ name: String, _ value: (some JSONWritable)?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    @inlinable
    public mutating func field(_ name: String, _ values: [some JSONWritable]?) {
        guard let values else { return }
        key(name)
        beginArray()
        for value in values { self.value(value) }
        endArray()
    }

    public mutating func field(_ name: String, _ values: [String]?) {
        guard let values else { return }
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    // MARK: - Bytes

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (byte == UInt8(ascii: "/") && escapesSlashes)
                else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
        }
    }
}

/// A value that writes itself with a ``JSONWriter``: the hand-written counterpart of `Encodable`,
/// for the types on hot paths. Conformances write their keys in sorted order, so their bytes equal
/// `JSONEncoder`'s with `.sortedKeys`.
public protocol JSONWritable {
    func writeJSON(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The value's JSON bytes.
    public func jsonBytes(escapingSlashes: Bool = false, capacity: Int = 1024) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity, escapingSlashes: escapingSlashes)
        writeJSON(to: &writer)
        return writer.bytes
    }
}
