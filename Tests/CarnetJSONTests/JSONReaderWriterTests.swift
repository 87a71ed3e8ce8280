import CarnetJSON
import Foundation
import Testing

/// The hand-written JSON paths must agree with Foundation's: every string escape, number and
/// structure written here is compared with `JSONEncoder`, and read back compared with `JSONDecoder`.
struct JSONReaderWriterTests {
    static let awkwardStrings: [String] = {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return ["", "plain", controls, #"quote " and backslash \ and slash /"#, "é, 漢字, 😀, \u{7F}, \u{2028}", String(repeating: "a/", count: 300)]
    }()

    @Test(arguments: [false, true])
    func stringsAreWrittenAsJSONEncoderWritesThem(escapingSlashes: Bool) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        for text in Self.awkwardStrings {
            var writer = JSONWriter(escapingSlashes: escapingSlashes)
            writer.beginArray()
            writer.string(text)
            writer.endArray()
            #expect(writer.bytes == Array(try encoder.encode([text])), "\(text.debugDescription)")
        }
    }

    @Test func numbersAndStructuresAreWrittenAsJSONEncoderWritesThem() throws {
        struct Sample: Encodable {
            var a: Int
            var b: [Double]
            var c: Bool
            var d: [String: Int]
        }
        let doubles = [0, -0.5, 786_543_210, 786_543_210.123, 0.1, 1e16, 1e-7, 123_456_789.123456, -42]
        let sample = Sample(a: -9_223_372_036_854_775_807, b: doubles, c: true, d: ["x": 0, "y": Int.max])
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("a", sample.a)
        writer.key("b")
        writer.beginArray()
        for value in doubles { writer.double(value) }
        writer.endArray()
        writer.field("c", sample.c)
        writer.key("d")
        writer.beginObject()
        writer.field("x", 0)
        writer.field("y", Int.max)
        writer.endObject()
        writer.endObject()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: try encoder.encode(sample), as: UTF8.self))
    }

    @Test func stringsReadBackAsJSONDecoderReadsThem() throws {
        for text in Self.awkwardStrings + [#"\u00e9\ud83d\ude00\/\b\f\n\r\t"#] {
            let json = String(decoding: try JSONEncoder().encode([text]), as: UTF8.self)
            var reader = JSONReader(json)
            let read = try reader.array { reader throws(JSONReadError) in try reader.string() }
            try reader.end()
            #expect(read == (try JSONDecoder().decode([String].self, from: Data(json.utf8))))
        }
        var escaped = JSONReader(#""\u00e9\ud83d\ude00 \/ \ud800x""#)
        #expect(try escaped.string() == "é😀 / \u{FFFD}x")
    }

    @Test func objectsSkipUnknownKeysAndNulls() throws {
        var reader = JSONReader(#" { "skip" : {"deep": [1, 2.5e3, "x", true, false, null, {}]}, "n": null, "k" : -12 , "d": 786543210.123 } "#)
        var found: [String: String] = [:]
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if try reader.null() { found[key] = "null"; continue }
            switch key {
            case "k": found[key] = String(try reader.int())
            case "d": found[key] = String(try reader.double())
            default: try reader.skip(); found[key] = "skipped"
            }
        }
        try reader.end()
        #expect(found == ["skip": "skipped", "n": "null", "k": "-12", "d": "786543210.123"])
    }

    @Test(arguments: [
        "", "{", #"{"a" 1}"#, #"{"a":1,}"#, #"{,"a":1}"#, #"{"a":1 "b":2}"#, #"["x",]"#, "[1 2]", #""unterminated"#,
        "\"control\u{1}\"", #""bad \q escape""#, #""\u12""#, "tru", "nul", "-", #"{"a":1} trailing"#,
    ])
    func malformedTextIsRefusedWithItsPlace(text: String) {
        var reader = JSONReader(text)
        #expect(throws: JSONReadError.self) {
            try reader.skip()
            try reader.end()
        }
    }

    @Test func typedReadsRefuseOtherKinds() {
        var reader = JSONReader(#"["1", 1.5, "not-a-uuid"]"#)
        #expect(throws: JSONReadError.self) {
            try reader.beginArray()
            _ = try reader.nextElement()
            _ = try reader.int()
        }
        var fraction = JSONReader("1.5")
        #expect(throws: JSONReadError.self) { _ = try fraction.int() }
        var uuid = JSONReader(#""not-a-uuid""#)
        #expect(throws: JSONReadError.self) { _ = try uuid.uuid() }
    }
}
