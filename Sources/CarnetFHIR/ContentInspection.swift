public import Foundation
import FoundationXML

/// Checks that a document's bytes are what its declared content type says, before anything is stored.
///
/// A record outlives the software that fed it: a "PDF" that is not one, or a CDA that no reader can
/// parse, is a document lost to the next physician. XML is parsed without ever resolving an entity:
/// a document type declaration (the door to external entities and "billion laughs") is refused
/// outright, since CDA R2 documents carry none.
public enum ContentInspection {
    /// `nil` when `data` is acceptable as `mediaType` (lower-cased, without parameters), else why not.
    public static func problem(with data: Data, mediaType: String, charset: String? = nil) -> String? {
        switch mediaType {
        case "application/pdf":
            return data.starts(with: Array("%PDF-".utf8)) ? nil : "is not a PDF: a PDF starts with %PDF-"
        case "image/png":
            return data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? nil : "is not a PNG image (wrong signature)"
        case "image/jpeg":
            return data.starts(with: [0xFF, 0xD8, 0xFF]) ? nil : "is not a JPEG image (wrong signature)"
        case "text/plain":
            if let charset, !["utf-8", "utf8", "us-ascii"].contains(charset.lowercased()) { return nil }
            return String(validating: data, as: UTF8.self) == nil ? "is not valid UTF-8 text (declare the charset if it is another)" : nil
        case "application/fhir+json", "application/json":
            return fhirJSONProblem(data)
        case "text/xml", "application/xml", "application/hl7-v3+xml":
            return cdaProblem(data)
        default:
            return nil
        }
    }

    private static func fhirJSONProblem(_ data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return "is not a JSON object"
        }
        return object["resourceType"] is String ? nil : "is JSON without a resourceType: expected a FHIR resource"
    }

    /// Well-formed XML whose root is a CDA R2 `ClinicalDocument`, with no document type declaration.
    ///
    /// The declaration is looked for in the bytes as the parser will read them: the document must be
    /// UTF-8 (no NUL byte, which UTF-16 text is full of; no XML declaration naming another encoding,
    /// such as UTF-7 or UTF-16, in which `<!DOCTYPE` need not appear as such), and no `<!DOCTYPE` or
    /// `<!ENTITY` may appear anywhere in it — in a CDA they can only be markup, since text escapes `<`.
    private static func cdaProblem(_ data: Data) -> String? {
        if let refusal = parsingRefusal(data) { return refusal }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        let root = RootElement()
        parser.delegate = root
        // parse() can answer true after an error (swift-corelibs-foundation): parserError is the truth.
        let parsed = parser.parse() && parser.parserError == nil
        if root.sawEntity { return "declares entities, which Carnet refuses" }
        if root.tooDeep { return "nests elements more than \(RootElement.maximumDepth) deep" }
        guard parsed else { return "is not well-formed XML (line \(parser.lineNumber))" }
        guard root.name == "ClinicalDocument", root.namespace == "urn:hl7-org:v3" else {
            return "is XML but not a CDA R2 document: its root must be ClinicalDocument in namespace urn:hl7-org:v3"
        }
        return nil
    }

    /// Why `data` must not reach an XML parser at all, or `nil`: every reader of stored XML asks this
    /// first (``CDAHeaderReader`` too), so no parse ever meets a DTD, an entity or another encoding.
    public static func parsingRefusal(_ data: Data) -> String? {
        // CDA documents are UTF-8 (ANS CI-SIS). Checked before parsing, also because Foundation's XML
        // parser traps on an element name that is not valid UTF-8: a crash any client could cause.
        guard String(validating: data, as: UTF8.self) != nil, !data.contains(0) else {
            return "is not valid UTF-8: CDA documents are encoded in UTF-8"
        }
        if let encoding = declaredEncoding(data), !["utf-8", "utf8"].contains(encoding.lowercased()) {
            return "declares the encoding '\(encoding)': CDA documents are encoded in UTF-8"
        }
        if containsMarkup(data, "<!DOCTYPE") || containsMarkup(data, "<!ENTITY") {
            return "declares a document type or entities, which CDA documents never need and Carnet refuses (external entities)"
        }
        return nil
    }

    /// Whether `markup` (ASCII, upper case) occurs in `data`, in any letter case.
    private static func containsMarkup(_ data: Data, _ markup: String) -> Bool {
        let pattern = Array(markup.utf8)
        guard data.count >= pattern.count else { return false }
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var index = 0
            let last = bytes.count - pattern.count
            while index <= last {
                if bytes[index] == pattern[0] {
                    var matched = 1
                    while matched < pattern.count, bytes[index + matched] & 0xDF == pattern[matched] & 0xDF { matched += 1 }
                    if matched == pattern.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// The `encoding` of the XML declaration at the start of the document, if it names one.
    private static func declaredEncoding(_ data: Data) -> String? {
        var head = String(decoding: data.prefix(512), as: UTF8.self)
        if head.hasPrefix("\u{FEFF}") { head.removeFirst() }
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return nil }
        let declaration = head[..<end.lowerBound]
        guard let name = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[name.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    /// Remembers the root element; stops at any entity declaration or absurd nesting.
    private final class RootElement: NSObject, XMLParserDelegate {
        /// Far beyond any real CDA (a few dozen levels), far below what exhausts a reader's stack.
        static let maximumDepth = 256
        var name: String?
        var namespace: String?
        var sawEntity = false
        var tooDeep = false
        private var depth = 0

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            depth += 1
            if depth > Self.maximumDepth {
                tooDeep = true
                parser.abortParsing()
            }
            guard name == nil else { return }
            name = elementName
            namespace = namespaceURI
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            sawEntity = true
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            sawEntity = true
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
            sawEntity = true
            return nil
        }
    }
}
