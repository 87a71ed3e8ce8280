@testable import CarnetPortal
import Foundation
import Testing

/// The DMP's document types named on a page: the French table (the official labels) and the English
/// one hold the same codes, so that no type is named in French on an English page, or not at all.
@Suite("Portal document type names")
struct PortalDocumentTypeNamesTests {
    @Test("both tables name the same types, each in its own words")
    func sameCodes() {
        let french = PortalDocumentTypeNames.french, english = PortalDocumentTypeNames.english
        #expect(french.count > 100)
        #expect(Set(french.keys) == Set(english.keys), "only in French: \(Set(french.keys).subtracting(english.keys)), only in English: \(Set(english.keys).subtracting(french.keys))")
        for (code, name) in english {
            #expect(!name.trimmingCharacters(in: .whitespaces).isEmpty, "\(code): no English name")
            // Mon espace santé is a name; every other label is translated.
            #expect(name != french[code] || code == "DOCPAT08", "\(code): « \(name) » left in French")
            #expect(!name.contains("*") && !(french[code] ?? "").contains("*"), "\(code): a note left in the label")
        }
    }

    @Test("a type outside the forms' lists is named in the page's language")
    func namedInThePagesLanguage() {
        #expect(PortalDocumentTypes.label("18748-4", .fr) == PortalLanguage.fr.t(.typeImagingReport))
        #expect(PortalDocumentTypes.label("15507-7", .fr) == "CR de passage aux urgences")
        #expect(PortalDocumentTypes.label("15507-7", .en) == "Emergency department visit report")
        #expect(PortalDocumentTypes.label("84067-8", .en) == "Transfusion summary")
        #expect(PortalDocumentTypes.label("not-a-code", .en) == "not-a-code")
    }
}
