/// Lowercase hexadecimal of digests, the form content addresses and audit hashes are stored in.
///
/// One function for every digest Carnet prints, and a fast one: the audit chain hashes an event
/// per request, and `String(format:)` per byte was a measurable share of a search.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
