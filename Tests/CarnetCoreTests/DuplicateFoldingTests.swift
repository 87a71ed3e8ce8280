import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// Issue 18, "duplicates folded": the same content from different submissions is one entry listing
/// the others; the copies of one submission stay apart; paging and totals are of the folded list.
@Suite("Duplicate folding")
struct DuplicateFoldingTests {
    static let record = RecordID()

    static func entry(_ content: String, submission: String, day: Int) -> DocumentEntry {
        var entry = DocumentEntry.fixture(in: record, date: Date(timeIntervalSince1970: Double(day) * 86_400))
        entry.content.sha256 = String(repeating: content, count: 64 / content.count)
        entry.submissionID = submission
        return entry
    }

    @Test("the same content from two submissions is shown once, the other listed on it")
    func foldsAcrossSubmissions() {
        let first = Self.entry("a", submission: "s1", day: 3), again = Self.entry("a", submission: "s2", day: 2)
        let other = Self.entry("b", submission: "s2", day: 1)
        let folded = DuplicateFolding.fold([first, again, other])
        #expect(folded.map(\.id) == [first.id, other.id])
        #expect(folded[0].foldedDuplicates == [FoldedDuplicate(id: again.id, submitterID: again.submitterID, recordedAt: again.recordedAt)])
        #expect(folded[1].foldedDuplicates == nil)
    }

    @Test("copies sent in one submission are distinct documents; each folds with one copy of another submission")
    func copiesOfOneSubmission() {
        let one = Self.entry("a", submission: "s1", day: 5), two = Self.entry("a", submission: "s1", day: 4)
        let again = Self.entry("a", submission: "s2", day: 3)
        let folded = DuplicateFolding.fold([one, two, again])
        #expect(folded.count == 2, "two copies in s1 stay two; the copy from s2 folds into one of them")
        #expect(folded.flatMap { $0.foldedDuplicates ?? [] }.map(\.id) == [again.id])
    }

    @Test("only current documents fold: a superseded version with the same bytes stays apart")
    func onlyCurrent() {
        let old = { () -> DocumentEntry in
            var entry = Self.entry("a", submission: "s1", day: 2)
            entry.status = .superseded
            return entry
        }()
        let new = Self.entry("a", submission: "s2", day: 3)
        #expect(DuplicateFolding.fold([new, old]).count == 2)
    }

    @Test("entries written before submissions were recorded are told apart by submitter and time of recording")
    func olderEntries() {
        var old = DocumentEntry.fixture(in: Self.record)
        #expect(old.submissionKey == "99700000011@\(Int64((testInstant.timeIntervalSince1970 * 1000).rounded()))")
        old.submissionID = "s9"
        #expect(old.submissionKey == "s9")
    }

    @Test("a query folds before paging, so totals and pages are of what is shown; it may ask for every copy")
    func queryPagesFoldedList() {
        let entries = [Self.entry("a", submission: "s1", day: 9), Self.entry("a", submission: "s2", day: 8),
                       Self.entry("b", submission: "s3", day: 7), Self.entry("c", submission: "s4", day: 6)]
        var query = DocumentQuery()
        query.count = 2
        let page = query.apply(to: entries)
        #expect(page.total == 3 && page.page.map(\.id) == [entries[0].id, entries[2].id])
        query.offset = 2
        #expect(query.apply(to: entries).page.map(\.id) == [entries[3].id])
        query.offset = 0
        query.foldsDuplicates = false
        #expect(query.apply(to: entries).total == 4)
    }

    @Test("index entries fold alike, and only among the entries given: what a reader may not see is never passed in")
    func indexEntries() {
        let shown = DocumentIndexEntry(Self.entry("a", submission: "s1", day: 2)), hidden = DocumentIndexEntry(Self.entry("a", submission: "s2", day: 1))
        #expect(DuplicateFolding.fold([shown, hidden]).kept == [shown])
        #expect(DuplicateFolding.fold([shown, hidden]).folded[shown.id] == [hidden])
        #expect(DuplicateFolding.fold([hidden]).kept == [hidden] && DuplicateFolding.fold([hidden]).folded.isEmpty,
                "the reader who sees one copy sees it alone, with nothing listed")
    }
}
