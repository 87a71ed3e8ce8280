@testable import CarnetSQLite
import Foundation
import Testing

/// The full-text body of a document, built on bytes since issue 20, is what the Character-wise
/// split and join built before: the index and the searches that read it are unchanged.
@Suite("SQLite indexed body")
struct IndexedBodyTests {
    static func before(_ text: String, key: String, documentTerm: String) -> String {
        ([documentTerm] + text.split(separator: " ").map { key + $0 }).joined(separator: " ")
    }

    @Test("the same body as before for terms, repeated, doubled and edge spaces, digits", arguments: [
        "compte rendu hospitalisation", "a", "  compte   rendu ", "12 mg 2026 x", "hospitalisation hospitalisation", " ", "",
    ])
    func sameBody(_ text: String) {
        let key = "0123456789abcdef"
        #expect(SQLiteStore.indexedBody(text, key: key, documentTerm: key + "docabc") == Self.before(text, key: key, documentTerm: key + "docabc"))
    }

    @Test("the same body as before for 2,000 seeded texts of FrenchText-like terms")
    func sameBodyRandom() {
        var state: UInt64 = 18
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        for _ in 0..<2_000 {
            let text = (0..<next(40)).map { _ in String((0..<(1 + next(12))).map { _ in letters[next(letters.count)] }) }.joined(separator: " ")
            #expect(SQLiteStore.indexedBody(text, key: "fedcba9876543210", documentTerm: "d") == Self.before(text, key: "fedcba9876543210", documentTerm: "d"))
        }
    }
}
