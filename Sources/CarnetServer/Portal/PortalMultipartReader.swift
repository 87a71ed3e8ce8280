import CarnetPortal
import Foundation
import Hummingbird
import MultipartKit

/// Reads a `multipart/form-data` body (the document upload) as it streams in, with multipart-kit's
/// parser, never holding more than the limits: each text field up to ``PortalForm/maximumSize``, the
/// file up to `fileLimit` — past it the bytes are counted and dropped, so that the form can be shown
/// again saying the file is too large — and the whole body up to ``totalLimit(fileLimit:)``, past
/// which reading stops (``PortalError/tooLarge(_:)``). A body that does not parse, or ends before its
/// closing boundary, is ``PortalError/malformedForm``: nothing is guessed at, nothing written.
///
/// The parser reads the preamble, the delimiters, the headers and the epilogue; the bytes of a part's
/// body are handed over without it (``PortalMultipartScan``), as it would hand them over itself: it
/// looks at each byte and cuts a part at every carriage return, which made reading a file slower than
/// the hand-written parser this one replaced (issue 19, BENCHMARKS.md).
enum PortalMultipartReader {
    /// The most a body may carry before reading stops: a few times the file limit, so that a file
    /// somewhat too large is still answered with the form, while an endless body is not read to its end.
    static func totalLimit(fileLimit: Int) -> Int { fileLimit * 4 + PortalForm.maximumSize }

    static func read<Body: AsyncSequence>(_ body: Body, boundary: String, fileLimit: Int) async throws -> PortalForm
        where Body.Element == ByteBuffer {
        let parser = MultipartParser(boundary: boundary)
        let parts = Parts(fileLimit: fileLimit)
        parser.onHeader = { name, value in parts.header(name, value) }
        parser.onBody = { buffer in parts.body(buffer) }
        parser.onPartComplete = { parts.complete() }
        var scan = PortalMultipartScan(boundary: boundary)
        let limit = totalLimit(fileLimit: fileLimit)
        var received = 0
        for try await chunk in body {
            received += chunk.readableBytes
            guard received <= limit else { throw PortalError.tooLarge(fileLimit) }
            var rest = chunk
            while rest.readableBytes > 0 {
                // Inside a part's body: its bytes up to the next possible delimiter are its own.
                if scan.inPartBody {
                    let own = scan.partBytes(in: rest)
                    if own > 0, let slice = rest.readSlice(length: own) {
                        parts.body(slice)
                        scan.consumed(slice)
                    }
                    if rest.readableBytes == 0 { break }
                }
                // A delimiter, headers, the preamble or the epilogue: the parser reads up to the next body.
                guard let segment = rest.readSlice(length: try scan.parserBytes(in: rest)) else { break }
                do { try parser.execute(segment) } catch { throw PortalError.malformedForm }
                scan.consumed(segment)
            }
            if parts.malformed { throw PortalError.malformedForm }
        }
        guard !parts.inPart, parts.completed > 0, scan.endsWithClosingDelimiter else { throw PortalError.malformedForm }
        return PortalForm(fields: parts.fields, files: parts.files)
    }

    /// The parts as the parser reports them: headers, then body slices, then completion.
    private final class Parts {
        let fileLimit: Int
        var fields: [String: String] = [:]
        var files: [String: PortalMultipart.File] = [:]
        var completed = 0
        var inPart = false
        var malformed = false
        /// The part's `Content-Disposition` parameters (its `name`, and `filename` for a file).
        private var disposition: [String: String]?
        private var contentType: String?
        private var data = Data()
        private var size = 0
        private var isFile: Bool?

        init(fileLimit: Int) { self.fileLimit = fileLimit }

        func header(_ name: String, _ value: String) {
            inPart = true
            switch name.lowercased() {
            case "content-disposition": disposition = PortalMultipart.parameters(in: value)
            case "content-type": contentType = value
            default: break
            }
        }

        func body(_ buffer: ByteBuffer) {
            inPart = true
            size += buffer.readableBytes
            // Whether the part is a file, read from its header once (a file arrives in many slices).
            let isFile = self.isFile ?? (disposition?["filename"] != nil)
            self.isFile = isFile
            // A file past its limit is counted, not kept; a text field past its own is malformed.
            // Copied as one block of bytes, not byte by byte.
            if isFile {
                if size <= fileLimit { buffer.withUnsafeReadableBytes { data.append(contentsOf: $0) } } else { data = Data() }
            } else if size <= PortalForm.maximumSize {
                buffer.withUnsafeReadableBytes { data.append(contentsOf: $0) }
            } else {
                malformed = true
            }
        }

        func complete() {
            defer { (disposition, contentType, data, size, inPart, isFile) = (nil, nil, Data(), 0, false, nil) }
            guard let disposition, let name = disposition["name"] else {
                malformed = true
                return
            }
            completed += 1
            if let filename = disposition["filename"] {
                if !filename.isEmpty || size > 0 {
                    files[name] = PortalMultipart.File(filename: filename, contentType: contentType ?? "application/octet-stream",
                                                       data: size <= fileLimit ? data : Data(), size: size)
                }
            } else {
                fields[name] = String(decoding: data, as: UTF8.self)
            }
        }
    }
}
