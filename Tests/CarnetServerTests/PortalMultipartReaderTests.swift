import CarnetPortal
@testable import CarnetServer
import Foundation
import NIOCore
import Testing

/// The upload reader on its own, fed the body in chunks cut anywhere: the parts' bytes it hands over
/// without the parser (PortalMultipartScan) are the same, in the same order, as the parser's; and
/// what the parser cannot take is refused, not a crash.
@Suite("Portal multipart reader")
struct PortalMultipartReaderTests {
    static let boundary = "----carnet-test-boundary"

    /// A body as it streams in: the given chunks, one at a time.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let chunks: [ByteBuffer]
        struct AsyncIterator: AsyncIteratorProtocol {
            var rest: ArraySlice<ByteBuffer>
            mutating func next() async throws -> ByteBuffer? { rest.popFirst() }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: chunks[...]) }

        /// `bytes` cut at `cuts` (sorted offsets).
        init(_ bytes: [UInt8], cuts: [Int]) {
            var chunks: [ByteBuffer] = [], start = 0
            for end in cuts + [bytes.count] where end > start {
                chunks.append(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            }
            self.chunks = chunks
        }
    }

    static func body(file: [UInt8], filename: String = "cr.bin", headerName: [UInt8] = Array("Content-Type".utf8)) -> [UInt8] {
        var text = ""
        for (name, value) in [("_csrf", "token"), ("title", "Compte rendu « synthétique »\r\n--pas une limite")] {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
        return Array(text.utf8) + headerName + Array(": application/octet-stream\r\n\r\n".utf8) + file + Array("\r\n--\(boundary)--\r\n".utf8)
    }

    static func read(_ body: [UInt8], cuts: [Int] = [], fileLimit: Int = 1 << 20) async throws -> PortalForm {
        try await PortalMultipartReader.read(Chunks(body, cuts: cuts), boundary: boundary, fileLimit: fileLimit)
    }

    /// A file full of what looks like the start of a delimiter: line ends, dashes, the boundary without its last byte.
    static let trickyFile: [UInt8] = {
        let almost = Array("\r\n--\(boundary)".utf8).dropLast()
        var bytes: [UInt8] = []
        for index in 0..<40 { bytes += almost + [UInt8(index), 13, 13, 10, 45, 45, 13] + Array(repeating: UInt8(200 + index % 50), count: index) }
        return bytes
    }()

    @Test("cut at every byte, the form is the same as read whole")
    func everyCut() async throws {
        let body = Self.body(file: Self.trickyFile)
        let whole = try await Self.read(body)
        #expect(whole.fields["title"] == "Compte rendu « synthétique »\r\n--pas une limite")
        #expect(whole.files["file"]?.data == Data(Self.trickyFile))
        for cut in 1..<body.count {
            let form = try await Self.read(body, cuts: [cut])
            #expect(form.fields == whole.fields && form.files["file"]?.data == whole.files["file"]?.data, "cut at \(cut)")
        }
        for size in [1, 2, 3, 5, 17, 64] {
            let form = try await Self.read(body, cuts: Array(stride(from: size, to: body.count, by: size)))
            #expect(form.fields == whole.fields && form.files["file"]?.data == whole.files["file"]?.data, "chunks of \(size)")
        }
    }

    @Test("a large binary file in network-sized chunks lands byte for byte; over the limit it is counted, not kept")
    func largeFile() async throws {
        var generator = SystemRandomNumberGenerator()
        let file = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let body = Self.body(file: file)
        let form = try await Self.read(body, cuts: Array(stride(from: 65_536, to: body.count, by: 65_536)))
        #expect(form.files["file"]?.data == Data(file) && form.files["file"]?.size == file.count)
        let over = try await Self.read(body, cuts: Array(stride(from: 16_384, to: body.count, by: 16_384)), fileLimit: 100_000)
        #expect(over.files["file"]?.data.isEmpty == true && over.files["file"]?.size == file.count)
    }

    @Test("a byte over 127 in a header's name is a malformed form, not a crash; in a header's value it is kept")
    func nonASCIIHeaders() async throws {
        await #expect(throws: PortalError.malformedForm) {
            try await Self.read(Self.body(file: Array("x".utf8), headerName: Array("Content-Typ".utf8) + [0xC3, 0xA9]))
        }
        await #expect(throws: PortalError.malformedForm) {
            try await Self.read(Self.body(file: Array("x".utf8), headerName: [0xFF]), cuts: [3, 200])
        }
        let form = try await Self.read(Self.body(file: Array("x".utf8), filename: "compte-rendu-été.txt"))
        #expect(form.files["file"]?.filename == "compte-rendu-été.txt")
    }

    @Test("cut short, or with garbage after a delimiter, it is malformed wherever the chunks end")
    func malformed() async throws {
        let body = Self.body(file: Self.trickyFile)
        for cut in stride(from: 1, to: body.count - 8, by: 97) {
            await #expect(throws: PortalError.malformedForm) { try await Self.read(Array(body.prefix(cut)), cuts: [cut / 2]) }
        }
        let garbage = Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--\(Self.boundary)X\r\n".utf8)
        await #expect(throws: PortalError.malformedForm) { try await Self.read(garbage, cuts: [50]) }
    }
}
