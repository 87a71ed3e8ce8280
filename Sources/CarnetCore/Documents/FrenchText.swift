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
        var result = ""
        var length = 0
        for term in terms(text) {
            let added = term.utf8.count + (length == 0 ? 0 : 1)
            if length + added > limit { break }
            if length > 0 { result += " " }
            result += term
            length += added
        }
        return result
    }

    /// Folds case, accents and ligatures and splits on anything but a letter or a digit: the words
    /// of `text`, each only `[a-z0-9]`.
    private static let ligatures: [Unicode.Scalar: (Unicode.Scalar, Unicode.Scalar)] = [
        "œ": ("o", "e"), "Œ": ("o", "e"), "æ": ("a", "e"), "Æ": ("a", "e"), "ß": ("s", "s"),
    ]

    public static func words(_ text: String) -> [String] {
        // ASCII text (most of a report) folds by lowering A–Z: Foundation's folding, a scan of its own on
        // Linux, only for text that has more than ASCII (seen as a third of a push's CPU, issue 18).
        let isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        let folded = isASCII ? text : text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        var length = 0
        func add(_ scalar: Unicode.Scalar) {
            if length < maximumTermLength {
                current.unicodeScalars.append(scalar)
                length += 1
            }
        }
        for scalar in folded.unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                add(scalar)
            } else if scalar >= "A" && scalar <= "Z" {
                add(Unicode.Scalar(scalar.value + 32)!)
            } else if let pair = ligatures[scalar] {
                // Ligatures folding keeps: œ, æ, ß written out as their two letters.
                add(pair.0)
                add(pair.1)
            } else if length > 0 {
                words.append(current)
                current = ""
                length = 0
            }
        }
        if length > 0 { words.append(current) }
        return words
    }

    /// A folded word's light stem. Digits are left alone (a dose, a date, a code).
    public static func stem(_ word: String) -> String {
        guard word.count > 3, word.unicodeScalars.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { return word }
        var w = word
        // Plurals: -aux → -al (hôpitaux → hopital), else a final s or x.
        if w.count > 5, w.hasSuffix("aux") {
            w = String(w.dropLast(3)) + "al"
        } else if w.hasSuffix("x") || (w.hasSuffix("s") && !w.hasSuffix("ss")) {
            w = String(w.dropLast())
        }
        // A few derivational and verbal endings, the longest first.
        for (suffix, replacement, minimumStem) in suffixes where w.hasSuffix(suffix) && w.count - suffix.count >= minimumStem {
            w = String(w.dropLast(suffix.count)) + replacement
            break
        }
        // Feminine and mute endings: -ée, -e, -er (opérée, opéré, opérer → oper).
        if w.count > 4, w.hasSuffix("e") { w = String(w.dropLast()) }
        if w.count > 4, w.hasSuffix("e") { w = String(w.dropLast()) }
        if w.count > 5, w.hasSuffix("er") { w = String(w.dropLast(2)) }
        // A doubled final consonant (fonctionnelle → fonctionnel, nette → net).
        if w.count > 4, let last = w.last, last == w.dropLast().last, !"aeiouy".contains(last) { w = String(w.dropLast()) }
        return w
    }

    /// Endings cut (or replaced) and the stem each must leave at least.
    private static let suffixes: [(String, String, Int)] = [
        ("issement", "", 4), ("ement", "", 4), ("atrice", "", 4), ("ateur", "", 4), ("ation", "", 4), ("ition", "", 4),
        ("euse", "eu", 3), ("ive", "if", 3), ("ique", "", 4), ("isme", "", 4), ("iste", "", 4),
    ]

    /// Words too common to search on (articles, prepositions, pronouns, auxiliaries), folded.
    public static let stopWords: Set<String> = [
        "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle", "en", "et", "est", "il", "ils",
        "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes", "mon", "n", "ne", "ni", "nous", "on",
        "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "ton", "tu", "un",
        "une", "vos", "votre", "vous", "y", "ete", "etre", "sont", "ont", "the", "of", "and",
    ]
}
