/// Exclusive XML Canonicalization 1.0, without comments (https://www.w3.org/TR/xml-exc-c14n/), of an
/// element subtree read by ``SafeXMLReader``: the bytes an XML-DSig signature digests.
///
/// Why our own: Foundation on Linux has no canonicalizer, and the one thing a signature check must
/// not do is verify bytes other than the ones whose meaning it then reads. Canonicalizing the very
/// tree the assertion's attributes are read from keeps the two the same.
///
/// What the algorithm does, in the order it is written here:
/// - an element is written as `<qname` + the namespace declarations it *visibly utilizes* (its own
///   prefix or the default namespace, and its attributes' prefixes) that its nearest written ancestor
///   did not already write with the same value, plus those of the `InclusiveNamespaces PrefixList`
///   in scope (treated as inclusive c14n does) + its attributes + `>`, children, `</qname>`;
/// - declarations are sorted by prefix (the default one first), attributes by namespace URI then
///   local name (unqualified ones first), both by code point;
/// - text escapes `&`, `<`, `>` and CR; attribute values `&`, `<`, `"`, TAB, LF and CR;
/// - comments are dropped; CDATA sections are written as escaped text; empty elements get an end tag;
///   `xml:*` attributes of ancestors are not imported (unlike inclusive c14n).
///
/// Processing instructions are not kept by the tree: a signed part holding one is refused before
/// canonicalization (``VIHFAssertion``).
enum ExclusiveCanonicalization {
    static let algorithm = "http://www.w3.org/2001/10/xml-exc-c14n#"
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// The canonical bytes of `apex` and its subtree.
    ///
    /// - Parameters:
    ///   - inScope: the namespaces declared by the apex's ancestors (prefix → URI, "" for the default),
    ///     which the apex may use without declaring them.
    ///   - excluding: the index path, from the apex, of one descendant left out with its subtree (the
    ///     enveloped-signature transform removes the `Signature` this way).
    ///   - inclusivePrefixes: the transform's `InclusiveNamespaces PrefixList` ("" for `#default`).
    static func canonicalize(_ apex: XMLElementNode, inScope: [String: String] = [:], excluding: [Int]? = nil,
                             inclusivePrefixes: Set<String> = []) -> [UInt8] {
        var output: [UInt8] = []
        write(apex, inScope: inScope, rendered: [:], excluding: excluding, inclusive: inclusivePrefixes, into: &output)
        return output
    }

    /// The namespaces in scope inside `element`, given those in scope at its parent.
    static func scope(of element: XMLElementNode, inheriting inherited: [String: String]) -> [String: String] {
        element.namespaceDeclarations.isEmpty ? inherited : inherited.merging(element.namespaceDeclarations) { _, declared in declared }
    }

    private static func write(_ element: XMLElementNode, inScope inherited: [String: String], rendered: [String: String],
                              excluding: [Int]?, inclusive: Set<String>, into output: inout [UInt8]) {
        let inScope = scope(of: element, inheriting: inherited)
        let attributes = element.attributesByQualifiedName.map { name, value in Attribute(qualifiedName: name, value: value, inScope: inScope) }

        var utilized: Set<String> = [element.prefix ?? ""]
        for attribute in attributes {
            if let prefix = attribute.prefix, prefix != "xml" { utilized.insert(prefix) }
        }
        var declarations: [(prefix: String, uri: String)] = []
        var nowRendered = rendered
        for prefix in utilized.union(inclusive) {
            let uri: String
            if prefix.isEmpty {
                uri = inScope[""] ?? ""
                // The default namespace is written when it differs from the one in force; "" undeclares it.
                if uri == (rendered[""] ?? "") { continue }
            } else {
                guard let bound = inScope[prefix], !bound.isEmpty else { continue }
                if rendered[prefix] == bound { continue }
                uri = bound
            }
            declarations.append((prefix, uri))
            nowRendered[prefix] = uri
        }
        declarations.sort { codePointsPrecede($0.prefix, $1.prefix) }
        let sortedAttributes = attributes.sorted { lhs, rhs in
            lhs.namespaceURI == rhs.namespaceURI ? codePointsPrecede(lhs.localName, rhs.localName) : codePointsPrecede(lhs.namespaceURI, rhs.namespaceURI)
        }

        let qualifiedName = element.prefix.map { "\($0):\(element.name)" } ?? element.name
        output.append(contentsOf: "<\(qualifiedName)".utf8)
        for declaration in declarations {
            output.append(contentsOf: (declaration.prefix.isEmpty ? " xmlns=\"" : " xmlns:\(declaration.prefix)=\"").utf8)
            appendEscapedAttribute(declaration.uri, to: &output)
            output.append(UInt8(ascii: "\""))
        }
        for attribute in sortedAttributes {
            output.append(contentsOf: " \(attribute.qualifiedName)=\"".utf8)
            appendEscapedAttribute(attribute.value, to: &output)
            output.append(UInt8(ascii: "\""))
        }
        output.append(UInt8(ascii: ">"))

        // Text and children in document order: each child stands at its offset in the element's text.
        let text = Array(element.text.utf8)
        let offsets = element.childTextOffsets.count == element.children.count ? element.childTextOffsets
            : Array(repeating: text.count, count: element.children.count)
        var written = 0
        for (index, child) in element.children.enumerated() {
            let offset = min(max(offsets[index], written), text.count)
            appendEscapedText(text[written..<offset], to: &output)
            written = offset
            if let excluding, excluding.first == index {
                if excluding.count == 1 { continue }
                write(child, inScope: inScope, rendered: nowRendered, excluding: Array(excluding.dropFirst()), inclusive: inclusive, into: &output)
            } else {
                write(child, inScope: inScope, rendered: nowRendered, excluding: nil, inclusive: inclusive, into: &output)
            }
        }
        appendEscapedText(text[written...], to: &output)
        output.append(contentsOf: "</\(qualifiedName)>".utf8)
    }

    /// An attribute as canonicalization sorts it.
    private struct Attribute {
        var qualifiedName: String
        var value: String
        var prefix: String?
        var localName: String
        var namespaceURI: String

        init(qualifiedName: String, value: String, inScope: [String: String]) {
            self.qualifiedName = qualifiedName
            self.value = value
            if let colon = qualifiedName.firstIndex(of: ":") {
                let prefix = String(qualifiedName[..<colon])
                self.prefix = prefix
                localName = String(qualifiedName[qualifiedName.index(after: colon)...])
                namespaceURI = prefix == "xml" ? ExclusiveCanonicalization.xmlNamespace : inScope[prefix] ?? ""
            } else {
                prefix = nil
                localName = qualifiedName
                namespaceURI = ""
            }
        }
    }

    /// Lexicographic order by Unicode code point, as c14n sorts (not Swift's collation-aware `<`).
    static func codePointsPrecede(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.map(\.value).lexicographicallyPrecedes(rhs.unicodeScalars.map(\.value))
    }

    private static func appendEscapedText(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case 0x0D: output.append(contentsOf: "&#xD;".utf8)
            default: output.append(byte)
            }
        }
    }

    private static func appendEscapedAttribute(_ value: String, to output: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case 0x09: output.append(contentsOf: "&#x9;".utf8)
            case 0x0A: output.append(contentsOf: "&#xA;".utf8)
            case 0x0D: output.append(contentsOf: "&#xD;".utf8)
            default: output.append(byte)
            }
        }
    }
}
