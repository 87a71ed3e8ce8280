import Foundation
import Testing
@testable import CarnetServer

/// Exclusive XML Canonicalization 1.0 against outputs computed by another implementation: each
/// expected string is what `xmlsec1` (libxml2's c14n) digested for the element with `ID="t"` under an
/// exc-c14n Reference, with the `PrefixList` given, in this session; written here by hand from them.
@Suite("VIHF: Exclusive XML Canonicalization 1.0")
struct VIHFCanonicalizationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var document: String
        var prefixes: String
        var expected: String

        init(_ name: String, _ document: String, prefixes: String, _ expected: String) {
            self.name = name
            self.document = document
            self.prefixes = prefixes
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case("inherited default namespace",
             "<doc xmlns=\"urn:d\"><t ID=\"t\"><child/></t></doc>",
             prefixes: "",
             "<t xmlns=\"urn:d\" ID=\"t\"><child></child></t>"),
        Case("default namespace undeclared and redeclared",
             "<doc xmlns=\"urn:d\"><t ID=\"t\"><c xmlns=\"\"><d xmlns=\"urn:e\"/><f/></c></t></doc>",
             prefixes: "",
             "<t xmlns=\"urn:d\" ID=\"t\"><c xmlns=\"\"><d xmlns=\"urn:e\"></d><f></f></c></t>"),
        Case("prefix rebound below",
             "<p:t xmlns:p=\"urn:1\" ID=\"t\"><p:c xmlns:p=\"urn:2\"><p:d xmlns:p=\"urn:1\"/></p:c></p:t>",
             prefixes: "",
             "<p:t xmlns:p=\"urn:1\" ID=\"t\"><p:c xmlns:p=\"urn:2\"><p:d xmlns:p=\"urn:1\"></p:d></p:c></p:t>"),
        Case("unused namespaces dropped, escaping, CDATA, comments",
             "<doc xmlns:a=\"urn:a\" xmlns:unused=\"urn:unused\" xmlns=\"urn:default\"><a:t ID=\"t\" z=\"1\" a:y=\"2\" b=\"&quot;q&quot; &amp; &lt; &gt; &#9; &#10; &#13;\"><!-- comment --><inner xmlns=\"\">text &gt; &amp; &#13;<![CDATA[<cdata>]]></inner><a:empty/><x:other xmlns:x=\"urn:x\" xmlns:x2=\"urn:x2\"/></a:t></doc>",
             prefixes: "",
             "<a:t xmlns:a=\"urn:a\" ID=\"t\" b=\"&quot;q&quot; &amp; &lt; > &#x9; &#xA; &#xD;\" z=\"1\" a:y=\"2\"><inner>text &gt; &amp; &#xD;&lt;cdata&gt;</inner><a:empty></a:empty><x:other xmlns:x=\"urn:x\"></x:other></a:t>"),
        Case("attributes sorted by namespace URI, not prefix",
             "<t xmlns:b=\"urn:a\" xmlns:a=\"urn:b\" ID=\"t\" a:z=\"1\" b:z=\"2\" b:a=\"3\" c=\"4\"/>",
             prefixes: "",
             "<t xmlns:a=\"urn:b\" xmlns:b=\"urn:a\" ID=\"t\" c=\"4\" b:a=\"3\" b:z=\"2\" a:z=\"1\"></t>"),
        Case("inclusive prefixes",
             "<doc xmlns:u=\"urn:u\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:n=\"urn:n\"><t ID=\"t\"><c xsi:type=\"x\"><n:d/></c></t></doc>",
             prefixes: "u #default",
             "<t xmlns:u=\"urn:u\" ID=\"t\"><c xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"x\"><n:d xmlns:n=\"urn:n\"></n:d></c></t>"),
        Case("xsi used below, not inclusive",
             "<doc xmlns:u=\"urn:u\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><t ID=\"t\"><c xsi:type=\"x\"/><c xsi:type=\"y\"/></t></doc>",
             prefixes: "",
             "<t ID=\"t\"><c xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"x\"></c><c xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"y\"></c></t>"),
        Case("whitespace, line ends and non-ASCII kept",
             "<s:t xmlns:s=\"urn:s\" ID=\"t\">\r\n  <s:v a=\"é\tx\">Médecin  généraliste</s:v>\n</s:t>",
             prefixes: "",
             "<s:t xmlns:s=\"urn:s\" ID=\"t\">\n  <s:v a=\"é x\">Médecin  généraliste</s:v>\n</s:t>"),
    ]

    /// The element carrying `ID="t"` and the namespaces its ancestors declare.
    static func target(in element: XMLElementNode, inScope: [String: String] = [:]) -> (XMLElementNode, [String: String])? {
        if element.attributes["ID"] == "t" { return (element, inScope) }
        let inner = ExclusiveCanonicalization.scope(of: element, inheriting: inScope)
        for child in element.children {
            if let found = target(in: child, inScope: inner) { return found }
        }
        return nil
    }

    @Test("the canonical form of the element is the one xmlsec1 computes", arguments: cases)
    func canonicalForm(_ testCase: Case) throws {
        let root = try SafeXMLReader.parse(Data(testCase.document.utf8), limits: .init(maximumText: 1 << 20))
        let (element, inScope) = try #require(Self.target(in: root))
        let prefixes = Set(testCase.prefixes.split(separator: " ").map { $0 == "#default" ? "" : String($0) })
        let canonical = ExclusiveCanonicalization.canonicalize(element, inScope: inScope, inclusivePrefixes: prefixes)
        #expect(String(decoding: canonical, as: UTF8.self) == testCase.expected)
    }

    @Test("the enveloped signature is left out, the text around it kept")
    func excludesTheSignature() throws {
        let document = #"<a:t xmlns:a="urn:a" ID="t">before<ds:Signature xmlns:ds="urn:ds"><ds:x/></ds:Signature>after<a:c/></a:t>"#
        let root = try SafeXMLReader.parse(Data(document.utf8), limits: .init(maximumText: 1 << 20))
        let canonical = ExclusiveCanonicalization.canonicalize(root, excluding: [0])
        #expect(String(decoding: canonical, as: UTF8.self) == #"<a:t xmlns:a="urn:a" ID="t">beforeafter<a:c></a:c></a:t>"#)
    }

    @Test("code-point order, not Swift's string order: 'Z' sorts before 'a'")
    func codePointOrder() {
        #expect(ExclusiveCanonicalization.codePointsPrecede("Z", "a"))
        #expect(ExclusiveCanonicalization.codePointsPrecede("", "a"))
        #expect(!ExclusiveCanonicalization.codePointsPrecede("b", "B"))
    }
}
