import CarnetFHIR
package import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A level-3 CDA R2 document's sections as a page shows them (issue 18): each section's title as a
/// heading and its narrative block (`section/text`) as HTML — paragraphs, lists, tables, emphasis —
/// nested sections inside their parent.
///
/// Safe by construction: the bytes are refused before parsing as the content inspection refuses them
/// (no DTD, no entity, UTF-8 only), no entity is resolved, every text is escaped, and only the narrative
/// elements of CDA R2 (§4.3.5) are turned into markup, each into a fixed tag without any of its
/// attributes but a numeric `colspan`/`rowspan` — no link, no image, no style, no script can come from
/// a document. Anything else keeps its text and loses its tag; nesting beyond ``maximumDepth`` keeps
/// only text.
package enum CDABodyHTML {
    /// Deepest markup written (sections and narrative elements together).
    package static let maximumDepth = 48

    /// The sections of `data` as HTML, or `nil` when it has no `structuredBody` with a section that says anything.
    package static func render(_ data: Data) -> HTML? {
        guard ContentInspection.parsingRefusal(data) == nil else { return nil }
        let writer = Writer()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        parser.delegate = writer
        let parsed = parser.parse() && parser.parserError == nil
        guard parsed, !writer.refused, writer.sections > 0 else { return nil }
        return .trusted(writer.markup)
    }

    /// Narrative elements and the tag each becomes; those absent keep their text only.
    package static let narrativeTags: [String: String] = [
        "paragraph": "p", "list": "ul", "item": "li", "table": "table", "caption": "caption", "thead": "thead", "tbody": "tbody",
        "tfoot": "tfoot", "tr": "tr", "th": "th", "td": "td", "content": "span", "sub": "sub", "sup": "sup", "br": "br",
        "footnote": "small", "linkHtml": "span",
    ]

    /// Elements whose whole content is left out (a multimedia reference names a file the page cannot show).
    package static let skipped: Set<String> = ["renderMultiMedia", "footnoteRef", "colgroup", "col"]

    private final class Writer: NSObject, XMLParserDelegate {
        var markup = ""
        var sections = 0
        var refused = false
        /// Local names from the root down (`#` for an element of another namespace).
        private var path: [String] = []
        /// For each open element: the closing markup to write at its end ("" for none).
        private var closings: [String] = []
        private var writtenDepth = 0
        private var sectionLevel = 0
        /// Inside a section's `title` or `text`: its characters are written.
        private var writingText = 0
        private var skipping = 0

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let local = namespaceURI == "urn:hl7-org:v3" ? elementName : "#"
            let parent = path.last
            path.append(local)
            // A CDA R2 document only (a self-presenting wrapper, say an XSL stylesheet around one, is not).
            if path.count == 1, local != "ClinicalDocument" {
                refused = true
                parser.abortParsing()
                return
            }
            guard path.count <= 256 else {
                refused = true
                parser.abortParsing()
                return
            }
            var closing = ""
            defer { closings.append(closing) }
            guard path.contains("structuredBody"), skipping == 0 else { return }
            if skipped.contains(local) && writingText > 0 {
                skipping += 1
                closing = "\u{0}skip"
                return
            }
            guard writtenDepth < CDABodyHTML.maximumDepth else { return }
            if local == "section" && (parent == "component") && writingText == 0 {
                sectionLevel += 1
                sections += 1
                open("<section class=\"cda-section\">", closing: &closing, "</section>")
            } else if local == "title" && parent == "section" && writingText == 0 {
                let level = min(2 + sectionLevel, 6)
                writingText += 1
                open("<h\(level)>", closing: &closing, "</h\(level)>\u{0}text")
            } else if local == "text" && parent == "section" && writingText == 0 {
                writingText += 1
                open("<div class=\"cda-text\">", closing: &closing, "</div>\u{0}text")
            } else if writingText > 0, let tag = CDABodyHTML.narrativeTags[local] {
                var html = tag
                if local == "list", attributes["listType"] == "ordered" { html = "ol" }
                if local == "content", let style = attributes["styleCode"] {
                    if style.contains("Bold") { html = "strong" } else if style.contains("Italics") { html = "em" }
                }
                if html == "br" {
                    markup += "<br>"
                    return
                }
                var opening = "<\(html)"
                for span in ["colspan", "rowspan"] {
                    if let value = attributes[span], let number = Int(value), (1...100).contains(number) { opening += " \(span)=\"\(number)\"" }
                }
                open(opening + ">", closing: &closing, "</\(html)>")
            }
        }

        private func open(_ opening: String, closing: inout String, _ end: String) {
            markup += opening
            writtenDepth += 1
            closing = end
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            let local = path.popLast()
            guard let closing = closings.popLast(), !closing.isEmpty else { return }
            if closing == "\u{0}skip" {
                skipping -= 1
                return
            }
            let parts = closing.split(separator: "\u{0}", omittingEmptySubsequences: false)
            markup += parts[0]
            writtenDepth -= 1
            if parts.count > 1 { writingText -= 1 }
            if local == "section" { sectionLevel -= 1 }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard writingText > 0, skipping == 0 else { return }
            markup += HTML.escape(string)
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refused = true
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
            refused = true
            return nil
        }
    }
}
