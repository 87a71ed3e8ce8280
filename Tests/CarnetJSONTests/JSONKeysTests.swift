import CarnetJSON
import Foundation
import Testing

/// Keys matched on bytes (``JSONKeys``) must name exactly what the string `switch` they replaced named:
/// the same key however it is escaped, nothing for a key that differs anywhere (past the sixteen bytes
/// kept as integers too), and unknown keys passed over with their values.
struct JSONKeysTests {
    enum Key: String, CaseIterable, Sendable {
        case id, a, maskedToSocialProfessionals, maskedToSocialProfessionalsB, sixteenBytesLong, sixteenBytesLonger
    }

    static let keys = JSONKeys<Key>()

    func keys(in text: String) throws(JSONReadError) -> [Key] {
        var reader = JSONReader(text)
        var found: [Key] = []
        try reader.beginObject()
        while let key = try reader.nextKey(in: Self.keys) {
            found.append(key)
            try reader.skip()
        }
        try reader.end()
        return found
    }

    @Test func knownKeysAreNamedAndUnknownOnesPassedOverWithTheirValues() throws {
        let text = #"""
            {"id": 1, "unknown": {"id": [1, "x", null]}, "a": "v", "": 0, "i": 2, "ID": 3, "maskedToSocialProfessionals": true,
             "maskedToSocialProfessionalsB": false, "maskedToSocialProfessionalsC": 4, "sixteenBytesLong": 5, "sixteenBytesLonger": 6,
             "sixteenBytesLongX": 7, "idx": 8}
            """#
        #expect(try keys(in: text) == [.id, .a, .maskedToSocialProfessionals, .maskedToSocialProfessionalsB, .sixteenBytesLong, .sixteenBytesLonger])
        #expect(try keys(in: "{}").isEmpty)
        #expect(try keys(in: #"{"x": 1}"#).isEmpty)
    }

    @Test func anEscapedKeyIsTheKeyItSpells() throws {
        #expect(try keys(in: #"{"\u0069d": 1, "\u0061": 2, "masked\u0054oSocialProfessionals": 3}"#) == [.id, .a, .maskedToSocialProfessionals])
    }

    @Test(arguments: [#"{"id" 1}"#, #"{"id": 1 "a": 2}"#, #"{"id": 1,}"#, #"{"id": 1"#, #"{"i"#, #"{id: 1}"#, "{\"i\u{1}d\": 1}"])
    func malformedObjectsAreRefused(_ text: String) {
        #expect(throws: JSONReadError.self) { try keys(in: text) }
    }

    @Test func uuidsAreReadFromTheTextsBytesEscapedOrNot() throws {
        let id = UUID()
        var plain = JSONReader("\"\(id.uuidString)\"")
        #expect(try plain.uuid() == id)
        let escaped = id.uuidString.lowercased().replacingOccurrences(of: "-", with: "\\u002d")
        var spelled = JSONReader("\"\(escaped)\"")
        #expect(try spelled.uuid() == id)
        for bad in [#""""#, #""6F 2""#, "\"\(id.uuidString)0\"", "\"\(id.uuidString.dropLast())\"", "12"] {
            var reader = JSONReader(bad)
            #expect(throws: JSONReadError.self, "\(bad)") { try reader.uuid() }
        }
    }
}
