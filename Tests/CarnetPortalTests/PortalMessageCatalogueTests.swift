@testable import CarnetPortal
import Foundation
import Testing

/// The message catalogue: a key without its French or English text does not compile (both are
/// exhaustive switches); this checks what the compiler cannot — that neither text is empty and that
/// both carry the same values (a count said in French and forgotten in English, say).
@Suite("Portal message catalogue")
struct PortalMessageCatalogueTests {
    @Test("every message has text in both languages, with the same placeholders")
    func everyMessageInBothLanguages() {
        #expect(PortalMessage.all.count > 400)
        for message in PortalMessage.all {
            let french = message.fr, english = message.en
            #expect(!french.trimmingCharacters(in: .whitespaces).isEmpty, "\(message): no French text")
            #expect(!english.trimmingCharacters(in: .whitespaces).isEmpty, "\(message): no English text")
            #expect(Self.placeholders(french) == Self.placeholders(english), "\(message): « \(french) » and “\(english)” carry different values")
            #expect(PortalLanguage.fr.t(message) == french && PortalLanguage.en.t(message) == english)
        }
    }

    @Test("every key is listed once in the test list")
    func listedOnce() {
        let keys = PortalMessage.all.map { String(describing: $0).prefix { $0 != "(" } }
        #expect(Set(keys).count == keys.count)
    }

    /// The numbered placeholders (`⟨1⟩`…) a text carries, sorted.
    static func placeholders(_ text: String) -> [String] {
        text.matches(of: /⟨\d+⟩/).map { String($0.output) }.sorted()
    }
}
