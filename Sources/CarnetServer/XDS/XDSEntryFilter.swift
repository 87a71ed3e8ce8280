import CarnetCore
import Foundation

/// The FindDocuments parameters that are no search of the service's, applied to what the service
/// found — so only ever to documents the reader may see: `$XDSDocumentEntryFormatCode`,
/// `$XDSDocumentEntryAuthorPerson` (SQL `LIKE` patterns, `%` any characters and `_` one, several
/// values OR'd, ITI TF-2a §3.18.4.1.2.3.7.1) matched against each person author's `XCN` as Carnet
/// writes it, and the service times (`…ServiceStartTimeFrom` ≤ start < `…ServiceStartTimeTo`, the
/// same for the stop time; a document without that time matches none of them).
struct XDSEntryFilter {
    var formats: [String] = []
    var authorPatterns: [[Character]] = []
    var startFrom: Date?
    var startTo: Date?
    var stopFrom: Date?
    var stopTo: Date?

    /// Longest `LIKE` pattern read: a real XCN is far shorter, and matching costs pattern × value.
    static let maximumPatternLength = 256

    init(_ parameters: XDSQueryParameters) throws {
        formats = parameters.tokens("$XDSDocumentEntryFormatCode")
        let patterns = parameters.all("$XDSDocumentEntryAuthorPerson")
        guard patterns.count <= 20, patterns.allSatisfy({ $0.count <= Self.maximumPatternLength }) else {
            throw XDSFailure(XDSVocabulary.ErrorCode.registryError,
                             "$XDSDocumentEntryAuthorPerson takes at most 20 values of at most \(Self.maximumPatternLength) characters")
        }
        authorPatterns = patterns.map(Array.init)
        startFrom = try parameters.date("$XDSDocumentEntryServiceStartTimeFrom")
        startTo = try parameters.date("$XDSDocumentEntryServiceStartTimeTo")
        stopFrom = try parameters.date("$XDSDocumentEntryServiceStopTimeFrom")
        stopTo = try parameters.date("$XDSDocumentEntryServiceStopTimeTo")
    }

    func matches(_ entry: DocumentEntry) -> Bool {
        if !formats.isEmpty {
            guard let format = entry.format, formats.contains(where: { format.matches(token: $0) }) else { return false }
        }
        if !authorPatterns.isEmpty {
            let people = entry.authors.filter { !XDSAuthors.isInstitution($0) }.map { Array(XDSAuthors.xcn($0)) }
            guard people.contains(where: { person in authorPatterns.contains { Self.like(person, $0) } }) else { return false }
        }
        return Self.within(entry.servicePeriod?.start, from: startFrom, to: startTo)
            && Self.within(entry.servicePeriod?.end, from: stopFrom, to: stopTo)
    }

    /// `from` ≤ `time` < `to`, each bound when given; no time matches no bound.
    static func within(_ time: Date?, from: Date?, to: Date?) -> Bool {
        guard from != nil || to != nil else { return true }
        guard let time else { return false }
        return (from.map { time >= $0 } ?? true) && (to.map { time < $0 } ?? true)
    }

    /// SQL `LIKE`: `%` any run of characters, `_` exactly one, anything else itself (case sensitive).
    static func like(_ value: [Character], _ pattern: [Character]) -> Bool {
        // matched[j]: whether value's prefix read so far matches pattern's first j characters.
        var matched = [Bool](repeating: false, count: pattern.count + 1)
        matched[0] = true
        for j in pattern.indices where pattern[j] == "%" {
            guard matched[j] else { break }
            matched[j + 1] = true
        }
        for character in value {
            var next = [Bool](repeating: false, count: pattern.count + 1)
            for j in pattern.indices {
                switch pattern[j] {
                case "%": next[j + 1] = next[j] || matched[j + 1]
                case "_": next[j + 1] = matched[j]
                default: next[j + 1] = matched[j] && pattern[j] == character
                }
            }
            matched = next
            if !matched.contains(true) { return false }
        }
        return matched[pattern.count]
    }
}
