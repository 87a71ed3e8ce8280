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

    /// The parameter `name` of a header value (`form-data; name="title"; filename="a.pdf"`): spaces
    /// around the name and the value, and the value's quotes, left out.
    package static func parameter(_ name: String, in header: String) -> String? {
        parameters(in: header)[name]
    }

    /// Every parameter of a header value by its name in lower case, read once for all (a part's
    /// `Content-Disposition` gives its name and whether it is a file). Trimmed in Swift rather than
    /// with Foundation's `CharacterSet`, which costs more than the rest of reading a small form.
    package static func parameters(in header: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for piece in header.split(separator: ";").dropFirst() {
            // `name=` with nothing after it, or `=value`, is no parameter.
            guard let equals = piece.firstIndex(of: "="), equals != piece.startIndex, piece.index(after: equals) != piece.endIndex else { continue }
            let name = trimmed(piece[..<equals]).lowercased()
            // The first of a parameter given twice, as the search for it did.
            if parameters[name] == nil {
                parameters[name] = String(trimmed(trimmed(piece[piece.index(after: equals)...]), "\""))
            }
        }
        return parameters
    }

    /// `text` without the spaces (or `character`s) it starts and ends with.
    private static func trimmed(_ text: Substring, _ character: Character? = nil) -> Substring {
        let drop = { (c: Character) in character.map { c == $0 } ?? (c.isWhitespace && !c.isNewline || c == "\t") }
        guard let first = text.firstIndex(where: { !drop($0) }), let last = text.lastIndex(where: { !drop($0) }) else { return "" }
        return text[first...last]
    }
}
