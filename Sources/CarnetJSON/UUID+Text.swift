public import Foundation

/// A UUID's 36-character text (8-4-4-4-12 hexadecimal digits), read and written without Foundation's
/// C path.
///
/// Every id Carnet serves goes through this form several times a request: stored entries carry their
/// ids as text, URLs and references are built from them, rows are keyed by them. Foundation's
/// `UUID(uuidString:)` parses with `sscanf` and `uuidString` formats with `snprintf`: together ~12 % of
/// a search's instructions (issue 20, `scripts/bench-instructions --profile search`). These write the
/// same texts, and read the same UUID from every canonical text (tested against Foundation). They
/// are stricter where Foundation's `sscanf` is lax: a blank or a sign inside a pair of digits
/// (`"6F 2"`) is refused, so an id with a blank in it names nothing.
extension UUID {
    /// Parses the canonical form, hexadecimal digits in either case; `nil` for anything else (another
    /// length, a misplaced or missing hyphen, any other character).
    public init?(text: some StringProtocol) {
        let parsed = text.utf8.withContiguousStorageIfAvailable(UUIDText.parse) ?? Array(text.utf8).withUnsafeBufferPointer(UUIDText.parse)
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    /// Lowercase, as in URLs, references and stored rows (`uuidString.lowercased()`).
    public var lowercasedText: String { UUIDText.format(uuid, letters: 0x61) }

    /// Uppercase, as `uuidString` and `JSONEncoder` write it.
    public var uppercasedText: String { UUIDText.format(uuid, letters: 0x41) }
}

enum UUIDText {
    /// Where the hyphens stand in the text.
    static func isHyphenPosition(_ offset: Int) -> Bool { offset == 8 || offset == 13 || offset == 18 || offset == 23 }

    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> uuid_t? {
        guard text.count == 36 else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let complete = withUnsafeMutableBytes(of: &uuid) { bytes in
            var offset = 0
            for index in 0..<16 {
                if isHyphenPosition(offset) {
                    guard text[offset] == UInt8(ascii: "-") else { return false }
                    offset += 1
                }
                guard let high = value(ofDigit: text[offset]), let low = value(ofDigit: text[offset + 1]) else { return false }
                bytes[index] = high << 4 | low
                offset += 2
            }
            return true
        }
        return complete ? uuid : nil
    }

    static func value(ofDigit digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The text, with `letters` the first letter digit (`a` or `A`).
    static func format(_ uuid: uuid_t, letters: UInt8) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var offset = 0
                for byte in bytes {
                    if isHyphenPosition(offset) {
                        text[offset] = UInt8(ascii: "-")
                        offset += 1
                    }
                    text[offset] = digit(byte >> 4, letters)
                    text[offset + 1] = digit(byte & 0x0F, letters)
                    offset += 2
                }
                return offset
            }
        }
    }

    static func digit(_ value: UInt8, _ letters: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : letters + value - 10
    }
}
