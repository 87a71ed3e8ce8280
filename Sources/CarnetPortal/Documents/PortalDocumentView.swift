package import CarnetCore
import CarnetFHIR
package import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A document as a person reads it: text inline, a PDF or an image opened from Carnet itself, a CDA
/// through its sections rendered as HTML (level 3), the PDF it carries (level 1) or else its
/// human-readable text, anything else to download.
package enum PortalDocumentView {
    package static func render(_ entry: DocumentEntry, _ data: Data, contentURL: String, _ l: PortalLanguage) -> HTML {
        let type = entry.content.contentType.lowercased()
        let open: HTML = "<p><a href=\"\(contentURL)\">\(l.t(.openTheFile))</a> (\(type), \(entry.content.size) \(l.t(.bytes)))</p>"
        if type.hasPrefix("text/plain") {
            return "<pre class=\"document\">\(String(decoding: data, as: UTF8.self))</pre>\(open)"
        }
        if type.hasPrefix("application/pdf") {
            // Shown in the page by the browser's own viewer, from Carnet (the content route lets only
            // Carnet's pages frame it).
            return "<iframe class=\"document\" src=\"\(contentURL)\" title=\"\(entry.title ?? l.t(.pdfDocument))\"></iframe>\(open)"
        }
        if type.hasPrefix("image/") {
            return "<p><img src=\"\(contentURL)\" alt=\"\(entry.title ?? l.t(.documentImage))\"></p>\(open)"
        }
        if type.contains("xml"), CDANarrative.embeddedPDF(of: data) != nil {
            // CDA level 1: the PDF its nonXMLBody carries, shown as the PDF it is (decoded by Carnet).
            return "<p class=\"hint\">\(l.t(.cdaDocumentCarryingAPdf))</p>"
                + "<iframe class=\"document\" src=\"\(contentURL)?embedded=pdf\" title=\"\(entry.title ?? l.t(.pdfDocument))\"></iframe>\(open)"
        }
        if type.contains("xml"), let sections = CDABodyHTML.render(data) {
            // CDA level 3: its sections as headings, paragraphs, lists and tables (escaped, narrative elements only).
            return "<p class=\"hint\">\(l.t(.structuredCdaDocumentItsSections))</p>"
                + "<div class=\"document cda\">\(sections)</div>\(open)"
        }
        if type.contains("xml"), let text = CDANarrative.text(of: data) {
            return "<p class=\"hint\">\(l.t(.humanReadablePartOfTheCda))</p><pre class=\"document\">\(text)</pre>\(open)"
        }
        return open
    }
}

/// The text of a CDA R2 document's sections (`section/title` and `section/text`), without resolving
/// anything external: Carnet refused documents with a DTD when they arrived.
package enum CDANarrative {
    /// The PDF a CDA level 1 document carries (`component/nonXMLBody/text`, `mediaType`
    /// application/pdf, `representation` B64), decoded; `nil` when it carries none, or not a PDF.
    package static func embeddedPDF(of data: Data) -> Data? {
        guard ContentInspection.parsingRefusal(data) == nil else { return nil }
        let finder = EmbeddedFinder()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = finder
        guard parser.parse(), parser.parserError == nil, let text = finder.base64,
              let pdf = Data(base64Encoded: text.filter { !$0.isWhitespace }), pdf.starts(with: Array("%PDF-".utf8)) else { return nil }
        return pdf
    }

    /// Collects the base64 text of a `nonXMLBody` holding a PDF.
    private final class EmbeddedFinder: NSObject, XMLParserDelegate {
        var base64: String?
        private var inBody = false
        private var collecting = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "nonXMLBody" { inBody = true }
            if inBody, name == "text", attributes["mediaType"]?.lowercased() == "application/pdf",
               (attributes["representation"] ?? "TXT").uppercased() == "B64", base64 == nil {
                collecting = true
                base64 = ""
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { collecting = false }
            if name == "nonXMLBody" { inBody = false }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if collecting { base64? += string }
        }
    }

    package static func text(of data: Data) -> String? {
        // Foundation's XML parser traps on names that are not valid UTF-8 (content was checked at
        // push time; this keeps the page safe whatever is stored).
        guard ContentInspection.parsingRefusal(data) == nil else { return nil }
        let collector = Collector()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        guard parser.parse(), parser.parserError == nil else { return nil }
        let text = collector.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var lines: [String] = []
        private var depth = 0
        private var current = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "title" || name == "text" { depth += 1 }
            if ["paragraph", "item", "tr", "br"].contains(name) { flush() }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title" || name == "text" {
                depth -= 1
                flush()
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if depth > 0 { current += string }
        }

        private func flush() {
            let line = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty { lines.append(line) }
            current = ""
        }
    }
}
