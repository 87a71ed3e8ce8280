public import Foundation

/// What a document's full-text index holds, before ``FrenchText`` reduces it to terms: its metadata
/// (title, type and class displays, authors' names, comment) and the words of its content — plain
/// text as is, a CDA R2's narrative and section text with its tags stripped, a PDF's text as a PDF
/// reader extracted it (issue 18). Pure: the PDF's text comes from the caller.
public enum DocumentSearchText {
    /// Content read for the index at most (a CDA or text document beyond it is indexed on its beginning).
    public static let maximumContentBytes = 4 * 1024 * 1024

    /// The metadata words: title, type and class displays, the content's title, authors' names, the comment.
    public static func metadata(of entry: DocumentEntry) -> String {
        var parts: [String?] = [entry.title, entry.type.display, entry.category?.display, entry.content.title, entry.comment]
        parts += entry.authors.map(\.display)
        return parts.compactMap { $0 }.joined(separator: "\n")
    }

    /// The words of the content, when its media type is one Carnet reads as text (plain text, a CDA);
    /// `nil` for anything else (a PDF's text comes from ``PDF`` extraction, an image has none).
    public static func contentText(_ data: Data, mediaType: String) -> String? {
        let type = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let bytes = data.prefix(maximumContentBytes)
        switch type {
        case "text/plain", "text/markdown", "text/html":
            return String(decoding: bytes, as: UTF8.self)
        case "text/xml", "application/xml", "application/hl7-v3+xml", "application/cda+xml":
            return cdaText(String(decoding: bytes, as: UTF8.self))
        default:
            return nil
        }
    }

    /// A CDA's human-readable words: the text of its body (`structuredBody`: section titles, narrative
    /// blocks and entries' text; the header's coded values are metadata already), tags stripped and the
    /// five predefined entities and character references decoded. No parser, no entity ever resolved:
    /// a document type declaration is refused before any document is stored.
    public static func cdaText(_ xml: String) -> String {
        let body: Substring
        if let start = xml.range(of: "<structuredBody") ?? xml.range(of: ":structuredBody") {
            body = xml[start.lowerBound...]
        } else if xml.contains("nonXMLBody") {
            return ""  // a level-1 CDA: its words are in the embedded document
        } else {
            body = xml[...]
        }
        var text = ""
        text.reserveCapacity(body.utf8.count / 2)
        var inTag = false
        for character in body {
            switch character {
            case "<": inTag = true; text.append(" ")
            case ">": inTag = false
            default: if !inTag { text.append(character) }
            }
        }
        return decodeReferences(text)
    }

    /// Decodes `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` and `&#…;` references; anything else stays as written.
    static func decodeReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = after
                continue
            }
            let name = after[..<semicolon]
            let decoded: String? = switch name {
            case "lt": "<"
            case "gt": ">"
            case "amp": "&"
            case "quot": "\""
            case "apos": "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    nil
                }
            }
            if let decoded {
                result += decoded
                rest = after[after.index(after: semicolon)...]
            } else {
                result += "&"
                rest = after
            }
        }
        return result + rest
    }

    /// The index text of a document: its metadata and its content's words, reduced by ``FrenchText``.
    public static func indexText(of entry: DocumentEntry, contentText: String?) -> String {
        FrenchText.indexText(metadata(of: entry) + "\n" + (contentText ?? ""))
    }
}
