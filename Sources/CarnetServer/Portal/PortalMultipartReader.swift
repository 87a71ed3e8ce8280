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
enum PortalMultipartReader {
    /// The most a body may carry before reading stops: a few times the file limit, so that a file
    /// somewhat too large is still answered with the form, while an endless body is not read to its end.
    static func totalLimit(fileLimit: Int) -> Int { fileLimit * 4 + PortalForm.maximumSize }

    static func read(_ body: RequestBody, boundary: String, fileLimit: Int) async throws -> PortalForm {
        let parser = MultipartParser(boundary: boundary)
        let parts = Parts(fileLimit: fileLimit)
        parser.onHeader = { name, value in parts.header(name, value) }
        parser.onBody = { buffer in parts.body(buffer) }
        parser.onPartComplete = { parts.complete() }
        let limit = totalLimit(fileLimit: fileLimit)
        let closing = Array("--\(boundary)--".utf8)
        var received = 0
        // The last bytes read, to tell a body that reached its closing boundary from a truncated one.
        var tail: [UInt8] = []
        for try await chunk in body {
            received += chunk.readableBytes
            guard received <= limit else { throw PortalError.tooLarge(fileLimit) }
            do { try parser.execute(chunk) } catch { throw PortalError.malformedForm }
            if parts.malformed { throw PortalError.malformedForm }
            tail.append(contentsOf: chunk.readableBytesView.suffix(closing.count + 4))
            tail.removeFirst(max(0, tail.count - (closing.count + 4)))
        }
        while let last = tail.last, last == 13 || last == 10 { tail.removeLast() }
        guard !parts.inPart, parts.completed > 0, tail.count >= closing.count, Array(tail.suffix(closing.count)) == closing else {
            throw PortalError.malformedForm
        }
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
        private var disposition: String?
        private var contentType: String?
        private var data = Data()
        private var size = 0
    private var isFile: Bool?

        init(fileLimit: Int) { self.fileLimit = fileLimit }

        func header(_ name: String, _ value: String) {
            inPart = true
            switch name.lowercased() {
            case "content-disposition": disposition = value
            case "content-type": contentType = value
            default: break
            }
        }

        func body(_ buffer: ByteBuffer) {
            inPart = true
            size += buffer.readableBytes
            // Whether the part is a file, read from its header once (a file arrives in many slices).
        let isFile = self.isFile ?? (disposition.map { PortalMultipart.parameter("filename", in: $0) != nil } ?? false)
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
            guard let disposition, let name = PortalMultipart.parameter("name", in: disposition) else {
                malformed = true
                return
            }
            completed += 1
            if let filename = PortalMultipart.parameter("filename", in: disposition) {
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
