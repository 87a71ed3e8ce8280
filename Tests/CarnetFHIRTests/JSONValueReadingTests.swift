import CarnetFHIR
import Foundation
import Testing

/// `JSONValue(parsing:)` reads what `JSONDecoder` reads, value for value (issue 20 put it on the
/// `$summary` path in place of `JSONDecoder`).
@Suite("JSON values read by the token reader")
struct JSONValueReadingTests {
    static let documents = [
        #"{"resourceType":"AllergyIntolerance","code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005","display":"Pénicilline"}]},"criticality":"high"}"#,
        #"[1, 1.0, 1e2, 1.5, -0, -0.0, 0.1, 12345678901234567890, 9007199254740993, 1E300, -42, 2.5e-3]"#,
        #"{"a":{"b":{"c":[[],{},[null,true,false]]}},"empty":"","nested":[{"x":1},{"x":"1"}]}"#,
        #"{"escapes":"\"quoted\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00 \u2028","spaced" :  [ 1 , 2 ]  }"#,
        #"  "a lone string"  "#,
        #"{"duplicate":1,"duplicate":2}"#,
    ]

    @Test("every kind of value comes out as JSONDecoder gives it", arguments: documents)
    func sameAsJSONDecoder(_ text: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(try JSONValue(parsing: Data(text.utf8)) == expected)
    }

    @Test("a resource encoded and read back is the same value")
    func encodedResource() throws {
        let value = try JSONValue(parsing: Data(Self.documents[0].utf8))
        #expect(try JSONValue(encoding: value) == value)
    }

    @Test("malformed JSON is refused", arguments: [
        "", "{", "[1,]", #"{"a" 1}"#, "tru", "[1] 2", #""unterminated"#, "01x", "nan", "[1e999]",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ])
    func malformed(_ text: String) {
        #expect(throws: (any Error).self) { try JSONValue(parsing: Data(text.utf8)) }
    }
}
