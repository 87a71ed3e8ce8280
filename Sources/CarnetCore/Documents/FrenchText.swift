public import Foundation

/// French words reduced to the terms a full-text search compares: case and accents folded, common
/// words dropped, and each word cut to a light stem, so that "Échographies" finds "échographie" and
/// "fuite mitrale" finds "fuites mitrales" (issue 18, search inside the documents).
///
/// Carnet normalises here, in Swift, both the text it indexes and the words it is asked for, and gives
/// each engine only the resulting terms (plain `[a-z0-9]` words): SQLite's FTS5 and PostgreSQL's
/// full-text search then compare equal strings, so both engines find exactly the same documents —
/// PostgreSQL's own `french` Snowball stemmer and SQLite's tokenizers do not agree with each other.
/// The stemmer is a light one in the spirit of Savoy's French light stemmer: plurals, feminine and
/// a few verbal and derivational endings, no dictionary; it conflates a little less than Snowball
/// and never needs data files.
public enum FrenchText {
    /// Longest term kept (longer words are cut): bounds what one word may cost an index.
    public static let maximumTermLength = 40

    /// The search terms of `text`, in order, repeats kept (an index keeps them; a query dedupes them).
    public static func terms(_ text: String) -> [String] {
        words(text).compactMap { word in
            guard !stopWords.contains(word) else { return nil }
            let stemmed = stem(word)
            return stemmed.isEmpty ? nil : stemmed
        }
    }

    /// The distinct terms a query asks for, in the order given: every one must be found.
    public static func queryTerms(_ text: String) -> [String] {
        var seen: Set<String> = []
        return terms(text).filter { seen.insert($0).inserted }
    }

    /// `text`'s terms as one space-separated string, at most `limit` characters (cut at a term):
    /// what the engines index.
    public static func indexText(_ text: String, limit: Int = 262_144) -> String {
        // Lengths counted as terms are added (terms are ASCII, so bytes are characters): `String.count`
        // walks the whole string, and asking it once per term made a 4 KB document cost milliseconds.
        // Gathered as bytes, one String at the end: appending to a String term by term cost a tenth of a push (issue 20).
        var result: [UInt8] = []
        result.reserveCapacity(min(limit, text.utf8.count + 1))
        for term in terms(text) {
            let added = term.utf8.count + (result.isEmpty ? 0 : 1)
            if result.count + added > limit { break }
            if !result.isEmpty { result.append(UInt8(ascii: " ")) }
            result.append(contentsOf: term.utf8)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Ligatures folding keeps: œ, æ, ß written out as their two letters.
    private static let ligatures: [Unicode.Scalar: (UInt8, UInt8)] = [
        "œ": (ascii("o"), ascii("e")), "Œ": (ascii("o"), ascii("e")), "æ": (ascii("a"), ascii("e")), "Æ": (ascii("a"), ascii("e")),
        "ß": (ascii("s"), ascii("s")),
    ]

    /// Folds case, accents and ligatures and splits on anything but a letter or a digit: the words
    /// of `text`, each only `[a-z0-9]`.
    ///
    /// Words are gathered as bytes (they are ASCII once folded) and become strings once each: appending
    /// scalars to a `String` one by one, and `String`'s grapheme-aware `count`, `hasSuffix` and
    /// `dropLast` in the stemmer, were most of a push's indexing CPU (issue 20's profile).
    public static func words(_ text: String) -> [String] {
        var words = WordCollector()
        // ASCII text (most of a report) folds by lowering A–Z: Foundation's folding, a scan of its own on
        // Linux, only for text that has more than ASCII (seen as a third of a push's CPU, issue 18).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 { words.take(ascii: byte) }
        } else if let latin = latinScalars(text) {
            // Latin text (French's accents, ç, œ): each letter folded from the table.
            for value in latin {
                if value < 0x80 {
                    words.take(ascii: UInt8(value))
                } else {
                    for byte in latinFolding[Int(value - 0x80)] {
                        if byte == 0 { words.endWord() } else { words.add(byte) }
                    }
                }
            }
        } else {
            return wordsFoldedByFoundation(text)
        }
        return words.finish()
    }

    /// ``words(_:)`` with the whole text folded by Foundation: the path of text beyond the Latin
    /// scripts, and the reference the table's path is tested against.
    package static func wordsFoldedByFoundation(_ text: String) -> [String] {
        var words = WordCollector()
        for scalar in text.folding(options: folding, locale: nil).unicodeScalars {
            if scalar.isASCII {
                words.take(ascii: UInt8(scalar.value))
            } else if let pair = ligatures[scalar] {
                words.add(pair.0)
                words.add(pair.1)
            } else {
                words.endWord()
            }
        }
        return words.finish()
    }

    /// Words gathered byte by byte, each cut at ``maximumTermLength``.
    private struct WordCollector {
        var words: [String] = []
        var current: [UInt8] = []

        mutating func add(_ byte: UInt8) {
            if current.count < maximumTermLength { current.append(byte) }
        }

        /// An ASCII byte: a letter (lowered) or digit goes in the word, anything else ends it.
        mutating func take(ascii byte: UInt8) {
            if isLowerOrDigit(byte) {
                add(byte)
            } else if byte >= FrenchText.ascii("A") && byte <= FrenchText.ascii("Z") {
                add(byte + 32)
            } else {
                endWord()
            }
        }

        mutating func endWord() {
            if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }

        mutating func finish() -> [String] {
            endWord()
            return words
        }
    }

    private static let folding: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive, .widthInsensitive]

    /// The last scalar ``latinFolding`` covers: Latin-1 Supplement and Latin Extended-A and B.
    private static let latinEnd: UInt32 = 0x250

    /// What ``words(_:)`` makes of each scalar from U+0080 to U+024F, worked out once with Foundation's
    /// own folding of that scalar alone: its letters as `[a-z0-9]` bytes, 0 where it separates words.
    /// Folding a whole text with Foundation costs several milliseconds a report on Linux; a scalar in
    /// this range folds alone as it does in a text (no combining mark is in it: text that has one
    /// takes Foundation's path).
    private static let latinFolding: [[UInt8]] = (UInt32(0x80)..<latinEnd).map { value in
        guard let scalar = Unicode.Scalar(value) else { return [0] }
        var bytes: [UInt8] = []
        for folded in String(Character(scalar)).folding(options: folding, locale: nil).unicodeScalars {
            if folded.isASCII, isLowerOrDigit(UInt8(folded.value)) {
                bytes.append(UInt8(folded.value))
            } else if folded >= "A" && folded <= "Z" {
                bytes.append(UInt8(folded.value + 32))
            } else if let pair = ligatures[folded] {
                bytes += [pair.0, pair.1]
            } else {
                bytes.append(0)
            }
        }
        return bytes
    }

    /// `text`'s scalar values when every one is below ``latinEnd``, else `nil`.
    private static func latinScalars(_ text: String) -> [UInt32]? {
        var values: [UInt32] = []
        values.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < latinEnd else { return nil }
            values.append(scalar.value)
        }
        return values
    }

    /// A folded word's light stem. Digits are left alone (a dose, a date, a code).
    public static func stem(_ word: String) -> String {
        // Only `[a-z]` words are stemmed, so their bytes are their characters.
        guard word.utf8.count > 3, word.utf8.allSatisfy({ $0 >= ascii("a") && $0 <= ascii("z") }) else { return word }
        var w = Array(word.utf8)
        // Plurals: -aux → -al (hôpitaux → hopital), else a final s or x.
        if w.count > 5, ends(w, aux) {
            w.removeLast(3)
            w += al
        } else if w.last == ascii("x") || (w.last == ascii("s") && w[w.count - 2] != ascii("s")) {
            w.removeLast()
        }
        // A few derivational and verbal endings, the longest first.
        for (suffix, replacement, minimumStem) in suffixes where ends(w, suffix) && w.count - suffix.count >= minimumStem {
            w.removeLast(suffix.count)
            w += replacement
            break
        }
        // Feminine and mute endings: -ée, -e, -er (opérée, opéré, opérer → oper).
        if w.count > 4, w.last == ascii("e") { w.removeLast() }
        if w.count > 4, w.last == ascii("e") { w.removeLast() }
        if w.count > 5, ends(w, er) { w.removeLast(2) }
        // A doubled final consonant after a stem of more than four letters (fonctionnelle → fonctionnel, classe → clas).
        if w.count > 4, w[w.count - 1] == w[w.count - 2], !vowels.contains(w[w.count - 1]) { w.removeLast() }
        return String(decoding: w, as: UTF8.self)
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

    /// Whether `word` ends with `suffix` (the stemmer's endings, kept as bytes once: making them per
    /// word was half the stemmer's cost, issue 20).
    private static func ends(_ word: [UInt8], _ suffix: [UInt8]) -> Bool {
        word.count >= suffix.count && word[(word.count - suffix.count)...].elementsEqual(suffix)
    }

    private static let aux = Array("aux".utf8), al = Array("al".utf8), er = Array("er".utf8)

    private static func isLowerOrDigit(_ byte: UInt8) -> Bool {
        (byte >= ascii("a") && byte <= ascii("z")) || (byte >= ascii("0") && byte <= ascii("9"))
    }

    private static let vowels: Set<UInt8> = Set("aeiouy".utf8)

    /// Endings cut (or replaced) and the stem each must leave at least.
    private static let suffixes: [([UInt8], [UInt8], Int)] = [
        ("issement", "", 4), ("ement", "", 4), ("atrice", "", 4), ("ateur", "", 4), ("ation", "", 4), ("ition", "", 4),
        ("euse", "eu", 3), ("ive", "if", 3), ("ique", "", 4), ("isme", "", 4), ("iste", "", 4),
    ].map { (Array($0.0.utf8), Array($0.1.utf8), $0.2) }

    /// Words too common to search on (articles, prepositions, pronouns, auxiliaries), folded.
    public static let stopWords: Set<String> = [
        "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle", "en", "et", "est", "il", "ils",
        "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes", "mon", "n", "ne", "ni", "nous", "on",
        "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "ton", "tu", "un",
        "une", "vos", "votre", "vous", "y", "ete", "etre", "sont", "ont", "the", "of", "and",
    ]
}
