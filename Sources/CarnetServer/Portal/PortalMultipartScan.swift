import Foundation
import Hummingbird

/// Where a multipart body needs multipart-kit's parser, and where it does not. The parser looks at
/// each byte of a part and cuts it at every carriage return; inside a part's body, every byte up to
/// the next carriage return that may begin the delimiter (`CRLF--boundary`) is the part's, found here
/// with `memchr` and given to the part directly — what the parser would hand over itself, in the same
/// order — so the parser reads only the preamble, the delimiters, the headers and the epilogue.
///
/// To know where the parser is, the scan follows the bytes it reads with the same states as the
/// parser (multipart-kit 4.7's `MultipartParser`: preamble, line end, header name, value, body,
/// delimiter, epilogue), so that it hands a part's bytes over only when the parser is inside that
/// part's body. Following the headers also lets it refuse what the parser cannot take: a byte over
/// 127 in a header's name, which the parser looks up in a table of 128 entries and traps on (a crash
/// of the server, where it should be a form refused). Where the parser throws, the scan throws first.
struct PortalMultipartScan {
    private enum State: Equatable {
        /// Before the first delimiter: how many of its bytes are matched (its CRLF may be left out).
        case preamble(Int)
        /// The line end after a delimiter: its CR, then its LF.
        case lineEndCR, lineEndLF
        /// A header's name: whether any of it was read; a CR before any ends the headers.
        case name(empty: Bool)
        case value
        /// The LF after a header's value, then the LF of the blank line that ends the headers.
        case valueLF, headersEndLF
        case body
        /// How many bytes of the delimiter are matched after a part's body.
        case delimiter(Int)
        /// After the closing delimiter: read and ignored.
        case epilogue
    }

    /// What ends a part: `CRLF--boundary`.
    private let delimiter: [UInt8]
    /// What ends the body: `--boundary--`, followed by line ends at most.
    private let closing: [UInt8]
    private var state = State.preamble(0)
    /// The last bytes read (the part's and the parser's alike), to tell a complete body from one cut short.
    private var recent: [UInt8] = []
    private let keep: Int

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        closing = Array("--\(boundary)--".utf8)
        keep = closing.count + 4
        recent.reserveCapacity(keep * 2)
    }

    /// Whether the parser is inside a part's body: the bytes up to the next possible delimiter are the part's.
    var inPartBody: Bool { state == .body }

    /// How many bytes at the start of `buffer` are the part's: up to the first carriage return that
    /// begins the delimiter, all of it or as much of it as the buffer holds. Asked only inside a body.
    func partBytes(in buffer: ByteBuffer) -> Int {
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            var from = 0
            while from < bytes.count, let found = memchr(base + from, 13, bytes.count - from) {
                let at = base.distance(to: UnsafeRawPointer(found))
                if memcmp(base + at, delimiter, min(delimiter.count, bytes.count - at)) == 0 { return at }
                from = at + 1
            }
            return bytes.count
        }
    }

    /// How many bytes at the start of `buffer` the parser reads next: up to where it is back inside a
    /// part's body, or all of them. Throws ``PortalError/malformedForm`` where the parser would throw, or trap.
    mutating func parserBytes(in buffer: ByteBuffer) throws -> Int {
        try buffer.withUnsafeReadableBytes { bytes in
            for index in bytes.indices {
                try read(bytes[index])
                if state == .body { return index + 1 }
                if state == .epilogue { return bytes.count }
            }
            return bytes.count
        }
    }

    /// One byte as multipart-kit's parser reads it.
    private mutating func read(_ byte: UInt8) throws {
        let (cr, lf, colon, hyphen): (UInt8, UInt8, UInt8, UInt8) = (13, 10, 58, 45)
        switch state {
        case .preamble(let matched):
            var next: Int
            if matched == 0, byte == delimiter[2] { next = 3 }
            else if byte == delimiter[matched] { next = matched + 1 }
            else if matched > 0, byte == delimiter[0] { next = 1 }
            else { next = 0 }
            state = next >= delimiter.count ? .lineEndCR : .preamble(next)
        case .lineEndCR:
            guard byte == cr else { throw PortalError.malformedForm }
            state = .lineEndLF
        case .lineEndLF:
            guard byte == lf else { throw PortalError.malformedForm }
            state = .name(empty: true)
        case .name(let empty):
            if byte == colon, !empty { state = .value }
            else if byte == cr, empty { state = .headersEndLF }
            else if Self.isTokenCharacter(byte) { state = .name(empty: false) }
            else { throw PortalError.malformedForm }
        case .value:
            if byte == cr { state = .valueLF }
        case .valueLF:
            guard byte == lf else { throw PortalError.malformedForm }
            state = .name(empty: true)
        case .headersEndLF:
            guard byte == lf else { throw PortalError.malformedForm }
            state = .body
        case .body:
            if byte == delimiter[0] { state = .delimiter(1) }
        case .delimiter(let matched):
            if matched >= delimiter.count {
                if byte == cr { state = .lineEndLF } else if byte == hyphen { state = .epilogue } else { throw PortalError.malformedForm }
            } else if byte == delimiter[matched] {
                state = .delimiter(matched + 1)
            } else {
                state = byte == delimiter[0] ? .delimiter(1) : .body
            }
        case .epilogue:
            break
        }
    }

    /// A header name's characters (RFC 7230 `tchar`), as the parser's table allows them.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: tokenPunctuation.contains(byte)
        }
    }

    private static let tokenPunctuation: [UInt8] = Array("!#$%&'*+-.^_`|~".utf8)

    /// Bytes read past, by the parser or given to the part.
    mutating func consumed(_ buffer: ByteBuffer) {
        if buffer.readableBytes >= keep {
            recent.removeAll(keepingCapacity: true)
            recent.append(contentsOf: buffer.readableBytesView.suffix(keep))
        } else {
            recent.append(contentsOf: buffer.readableBytesView)
            if recent.count > keep { recent.removeFirst(recent.count - keep) }
        }
    }

    /// Whether the body read so far ends with the closing delimiter (and line ends at most): a body
    /// cut short does not.
    var endsWithClosingDelimiter: Bool {
        var end = recent[...]
        while let last = end.last, last == 13 || last == 10 { end.removeLast() }
        return end.count >= closing.count && end.suffix(closing.count).elementsEqual(closing)
    }
}
