package import Foundation

/// `multipart/form-data` (RFC 7578), as far as the portals' upload forms need: text fields and one
/// file per field, each part's `Content-Disposition` name and filename and its `Content-Type`.
package enum PortalMultipart {
    package struct File: Sendable {
        package var filename: String
        package var contentType: String
        package var data: Data
    }

    package struct Parsed: Sendable {
        package var fields: [String: String] = [:]
        package var files: [String: File] = [:]
    }

    /// The boundary a `Content-Type` header names, if it is multipart/form-data.
    package static func boundary(in contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" {
                let value = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 70 ? nil : value
            }
        }
        return nil
    }

    /// The parts of `body`; `nil` when it is not well-formed multipart with this boundary.
    package static func parse(_ body: Data, boundary: String) -> Parsed? {
        let delimiter = Data("--\(boundary)".utf8)
        let bytes = [UInt8](body)
        var starts: [Int] = []
        var index = 0
        while let found = find(Array(delimiter), in: bytes, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        var parsed = Parsed()
        for (start, end) in zip(starts, starts.dropFirst()) {
            var partStart = start + delimiter.count
            // Skip the CRLF after the delimiter.
            if partStart + 1 < bytes.count, bytes[partStart] == 13, bytes[partStart + 1] == 10 { partStart += 2 } else { return nil }
            var partEnd = end
            if partEnd >= 2, bytes[partEnd - 2] == 13, bytes[partEnd - 1] == 10 { partEnd -= 2 }
            guard partStart <= partEnd, let headerEnd = find([13, 10, 13, 10], in: Array(bytes[partStart..<partEnd]), from: 0) else { return nil }
            let headerText = String(decoding: bytes[partStart..<(partStart + headerEnd)], as: UTF8.self)
            let content = Data(bytes[(partStart + headerEnd + 4)..<partEnd])
            var name: String?
            var filename: String?
            var contentType = "application/octet-stream"
            for line in headerText.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = parameter("name", in: line)
                    filename = parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    contentType = String(line.dropFirst("content-type:".count)).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { return nil }
            if let filename {
                if !filename.isEmpty || !content.isEmpty { parsed.files[name] = File(filename: filename, contentType: contentType, data: content) }
            } else {
                parsed.fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return parsed
    }

    package static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let parts = piece.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
                return parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    package static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
