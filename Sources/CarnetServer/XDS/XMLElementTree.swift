import CarnetFHIR
import Foundation
import FoundationXML

/// One element of a SOAP message, read into memory by ``SafeXMLReader``: its local name, namespace,
/// attributes (by local name), children in order and text.
///
/// A small tree rather than a streaming reader because ebRIM metadata refers to itself by ids
/// (associations name their source and target), and XDS messages are small besides their documents.
struct XMLElementNode: Sendable {
    var name: String
    var namespace: String?
    var attributes: [String: String]
    var children: [XMLElementNode] = []
    var text = ""

    // What canonicalization needs besides the above (``ExclusiveCanonicalization``): a signed
    // assertion is verified over the exact names, namespaces and text order it was written with.

    /// The prefix the element was written with; `nil` when unprefixed.
    var prefix: String?
    /// The namespaces declared on this element (`xmlns:p` by `p`, `xmlns` by ""), URI "" undeclaring the default.
    var namespaceDeclarations: [String: String] = [:]
    /// Every attribute by its qualified name, kept only when one of them is prefixed (otherwise
    /// ``attributes`` already holds them all by their only name).
    var qualifiedAttributes: [String: String] = [:]
    /// Where each child sits in ``text``: the UTF-8 offset of the text written before it.
    var childTextOffsets: [Int] = []
    /// Whether a processing instruction appears directly in this element (canonical forms keep them; Carnet refuses them in signed parts).
    var hasProcessingInstruction = false

    /// Every attribute by its qualified name (`wsu:Id`, `ID`).
    var attributesByQualifiedName: [String: String] { qualifiedAttributes.isEmpty ? attributes : qualifiedAttributes }

    /// The children named `name` in `namespace` (any namespace when `nil`).
    func children(_ name: String, _ namespace: String? = nil) -> [XMLElementNode] {
        children.filter { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    func child(_ name: String, _ namespace: String? = nil) -> XMLElementNode? {
        children.first { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    /// Every descendant named `name` (depth first), for the few lookups that may be nested anywhere.
    func descendants(_ name: String) -> [XMLElementNode] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }

    var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Reads an XML message into an ``XMLElementNode`` tree, refusing what could harm the reader before
/// and while parsing — as CDA content is refused (``ContentInspection/parsingRefusal(_:)``): a DTD, an
/// entity declaration, another encoding than UTF-8, a NUL byte are refused before any parse; no
/// entity is ever resolved; nesting, attribute sizes, element count and text are bounded.
///
/// Why: an XDS.b gateway faces any software on the network; "billion laughs", external entities and
/// absurd nesting must cost nothing but a refusal.
enum SafeXMLReader {
    struct Limits: Sendable {
        /// ebRIM metadata is a dozen levels deep inside its envelope.
        var maximumDepth = 64
        /// Longest attribute value: ids, OIDs, codes, URNs.
        var maximumAttribute = 4096
        /// Most elements in one message.
        var maximumElements = 200_000
        /// Most characters of text in the whole message (inline base64 documents included).
        var maximumText: Int
    }

    /// Why a message was not read.
    struct Refusal: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    static func parse(_ data: Data, limits: Limits) throws(Refusal) -> XMLElementNode {
        if let refusal = ContentInspection.parsingRefusal(data) {
            throw Refusal(description: "the message \(refusal.replacingOccurrences(of: "CDA documents", with: "XDS.b messages"))")
        }
        let builder = TreeBuilder(limits: limits)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.delegate = builder
        let parsed = parser.parse() && parser.parserError == nil
        if let refusal = builder.refusal { throw Refusal(description: refusal) }
        guard parsed, let root = builder.root else {
            throw Refusal(description: "the message is not well-formed XML (line \(parser.lineNumber))")
        }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        let limits: Limits
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var refusal: String?
        var elements = 0
        var textLength = 0
        /// Namespaces declared on the element about to start (reported before it).
        var pendingDeclarations: [String: String] = [:]

        init(limits: Limits) { self.limits = limits }

        private func refuse(_ parser: XMLParser, _ reason: String) {
            if refusal == nil { refusal = reason }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
            guard refusal == nil else { return }
            pendingDeclarations[prefix] = namespaceURI
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            guard refusal == nil else { return }
            elements += 1
            if stack.count >= limits.maximumDepth { return refuse(parser, "the message nests elements more than \(limits.maximumDepth) deep") }
            if elements > limits.maximumElements { return refuse(parser, "the message has more than \(limits.maximumElements) elements") }
            var named: [String: String] = [:]
            var prefixed = false
            for (key, value) in attributes {
                if value.utf8.count > limits.maximumAttribute {
                    return refuse(parser, "the attribute \(key.prefix(64)) is longer than \(limits.maximumAttribute) bytes")
                }
                // By local name: ebRIM attributes are unqualified; xml:lang and xop's href keep theirs readable too.
                named[String(key.split(separator: ":").last ?? Substring(key))] = value
                prefixed = prefixed || key.contains(":")
            }
            var element = XMLElementNode(name: elementName, namespace: namespaceURI, attributes: named)
            if let qualifiedName, let colon = qualifiedName.firstIndex(of: ":") { element.prefix = String(qualifiedName[..<colon]) }
            if prefixed { element.qualifiedAttributes = attributes }
            element.namespaceDeclarations = pendingDeclarations
            pendingDeclarations = [:]
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard refusal == nil, let element = stack.popLast() else { return }
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].childTextOffsets.append(stack[stack.count - 1].text.utf8.count)
                stack[stack.count - 1].children.append(element)
            }
        }

        func parser(_ parser: XMLParser, foundProcessingInstructionWithTarget target: String, data: String?) {
            guard refusal == nil, !stack.isEmpty else { return }
            stack[stack.count - 1].hasProcessingInstruction = true
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard refusal == nil, !stack.isEmpty else { return }
            textLength += string.utf8.count
            if textLength > limits.maximumText { return refuse(parser, "the message carries more than \(limits.maximumText) bytes of text") }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refuse(parser, "the message declares entities, which Carnet refuses")
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            refuse(parser, "the message declares entities, which Carnet refuses")
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
            refuse(parser, "the message refers to external entities, which Carnet refuses")
            return nil
        }
    }
}
