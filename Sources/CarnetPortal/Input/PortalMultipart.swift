package import Foundation

/// What the portals need of `multipart/form-data` (RFC 7578) beside the parser (multipart-kit, in the
/// server's ``PortalMultipartReader``): the boundary a `Content-Type` names, a header's parameters,
/// and the file a part carried.
package enum PortalMultipart {
    /// A file part: its name and type as the browser gave them, and its bytes — none when it was over
    /// the limit, whose `size` then says how large it was (the bytes past the limit are not kept).
    package struct File: Sendable {
        package var filename: String
        package var contentType: String
        package var data: Data
        /// Bytes received for this part; larger than `data.count` when the file was over the limit.
        package var size: Int

        package init(filename: String, contentType: String, data: Data, size: Int? = nil) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
            self.size = size ?? data.count
        }
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

    /// Whether a `Content-Type` says multipart/form-data, with or without a usable boundary.
    package static func isMultipart(_ contentType: String) -> Bool {
        contentType.lowercased().hasPrefix("multipart/form-data")
    }

    /// The parameter `name` of a header value (`form-data; name="title"; filename="a.pdf"`).
    package static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let parts = piece.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
                return parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
