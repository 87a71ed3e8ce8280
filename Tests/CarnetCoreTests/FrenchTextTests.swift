import CarnetCore
import Foundation
import Testing

/// The words a full-text search compares (issue 18): folded and stemmed the same for the index and
/// the query, so that the engines compare equal strings.
@Suite("French text")
struct FrenchTextTests {
    @Test("case, accents and ligatures are folded; punctuation and elisions split words")
    func folding() {
        #expect(FrenchText.words("L'ÉCHOGRAPHIE cœur, Ça-va!") == ["l", "echographie", "coeur", "ca", "va"])
        #expect(FrenchText.terms("L'échographie du cœur") == FrenchText.terms("echographie COEUR"))
    }

    @Test("plural, feminine and common endings meet on one stem", arguments: [
        ("fuite mitrale", "fuites mitrales"), ("échographie", "Échographies"), ("hôpital", "hôpitaux"), ("opéré", "opérée"),
        ("fonctionnel", "fonctionnelles"), ("traitement", "traitements"), ("positif", "positives"), ("douloureux", "douloureuse"),
        ("hospitalisation", "hospitalisé"), ("cardiaque", "CARDIAQUES"),
    ])
    func stems(_ pair: (String, String)) {
        #expect(FrenchText.queryTerms(pair.0) == FrenchText.queryTerms(pair.1), "\(pair)")
        #expect(!FrenchText.queryTerms(pair.0).isEmpty)
    }

    @Test("different words stay apart; common words are not searched; digits are kept")
    func apart() {
        #expect(FrenchText.queryTerms("mitrale") != FrenchText.queryTerms("aortique"))
        #expect(FrenchText.queryTerms("le de la et du").isEmpty)
        #expect(FrenchText.queryTerms("HbA1c 7,1 %") == ["hba1c", "7", "1"])
        #expect(FrenchText.queryTerms("fuite fuites FUITE") == ["fuit"], "a query's terms are distinct")
    }

    @Test("index text is bounded and made of [a-z0-9] terms only")
    func indexText() {
        let text = FrenchText.indexText(String(repeating: "Échographie cardiaque; ", count: 10_000), limit: 1_000)
        #expect(text.count <= 1_000)
        #expect(text.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == " " })
        #expect(FrenchText.words(String(repeating: "a", count: 100)).first?.count == FrenchText.maximumTermLength)
    }

    @Test("a CDA's body text is read with its tags stripped and references decoded; the header is not")
    func cdaText() {
        let cda = """
            <?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Entête</title>
            <recordTarget><patientRole><patient><name><family>SECRET</family></name></patient></patientRole></recordTarget>
            <component><structuredBody><component><section><title>Conclusion</title>
            <text><paragraph>Fuite <content styleCode="Bold">mitrale</content> minime &amp; stable &#233;cho</paragraph>
            <table><tr><td>FEVG</td><td>60&#x25;</td></tr></table></text></section></component></structuredBody></component></ClinicalDocument>
            """
        let text = DocumentSearchText.cdaText(cda)
        #expect(text.contains("Fuite") && text.contains("mitrale") && text.contains("& stable écho") && text.contains("60%"))
        #expect(!text.contains("SECRET") && !text.contains("<"))
        #expect(DocumentSearchText.cdaText("<ClinicalDocument><component><nonXMLBody><text>JVBERi0=</text></nonXMLBody></component></ClinicalDocument>").isEmpty)
        #expect(DocumentSearchText.contentText(Data(cda.utf8), mediaType: "application/xml; charset=utf-8")?.contains("mitrale") == true)
        #expect(DocumentSearchText.contentText(Data("%PDF-1.4".utf8), mediaType: "application/pdf") == nil)
    }

    @Test("a document's metadata is indexed: title, type display, authors, comment")
    func metadata() {
        let entry = DocumentEntry(recordID: RecordID(), uniqueID: "1.2.3", type: Code(system: "http://loinc.org", code: "34112-3", display: "CR hospitalier"),
                                  category: nil, title: "Séjour en cardiologie",
                                  authors: [DocumentAuthor(identifierValue: "899700000011", display: "Dr Claire MARTIN")], submitterID: "99700000011",
                                  date: Date(), recordedAt: Date(), content: DocumentContent(contentType: "text/plain", language: nil, size: 1, sha256: "", sha1Base64: "", keyID: ""))
        let terms = Set(DocumentSearchText.indexText(of: entry, contentText: "Fuite mitrale").split(separator: " ").map(String.init))
        for word in ["séjour", "cardiologie", "hospitalier", "martin", "claire", "mitrale"] {
            #expect(terms.isSuperset(of: FrenchText.queryTerms(word)), "\(word)")
        }
    }

    @Test("Latin text folds from the table exactly as Foundation folds the whole text")
    func latinTableMatchesFoundation() {
        // Every scalar the table covers, alone, between letters and after a capital.
        for value in UInt32(0x80)..<0x250 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in ["\(scalar)", "ab\(scalar)cd", "X\(scalar)Y 12\(scalar)"] {
                #expect(FrenchText.words(text) == FrenchText.wordsFoldedByFoundation(text), "U+\(String(value, radix: 16))")
            }
        }
        // Random words from French letters, punctuation and a few scalars beyond the table (a combining
        // accent, a fullwidth letter, Greek, typographic quotes): those take Foundation's path.
        let alphabet = Array("aeiouyxsrtnlmcdpbgfvhqzAEIOUSXRTéèêëàâçîïôûùüœæßÉÈÊÀÇŒÆ0123456789 -',.ñöäÿ€«»’–\u{301}\u{FF21}Ως".unicodeScalars)
        var seed: UInt64 = 20
        func next() -> Int {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        for _ in 0..<5_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<(1 + next() % 40) { scalars.append(alphabet[next() % alphabet.count]) }
            let text = String(scalars)
            #expect(FrenchText.words(text) == FrenchText.wordsFoldedByFoundation(text), "\(text)")
        }
    }

    @Test("the stemmer's endings, on bytes")
    func stemEndings() {
        let expected = [
            "hopitaux": "hopital", "fuites": "fuit", "mitrales": "mitral", "operee": "oper", "operer": "oper", "opere": "oper",
            "fonctionnelle": "fonctionnel", "nette": "nett", "classe": "clas", "tumeurs": "tumeur", "radiologique": "radiolog",
            "hospitalisation": "hospitalis", "respiratoire": "respiratoir", "nerveuse": "nerveu", "active": "actif",
            "deplacement": "deplac", "lit": "lit", "7": "7", "hba1c": "hba1c",
        ]
        for (word, stem) in expected {
            #expect(FrenchText.stem(word) == stem, "\(word)")
        }
    }
}
