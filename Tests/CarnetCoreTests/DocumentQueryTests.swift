import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

@Suite("Document queries")
struct DocumentQueryTests {
    static let record = RecordID()

    static func entry(_ type: String, day: Int, status: DocumentStatus = .current) -> DocumentEntry {
        var entry = DocumentEntry.fixture(in: record, type: type, date: Date(timeIntervalSince1970: Double(day) * 86_400))
        entry.status = status
        return entry
    }

    @Test("default searches return current documents only, newest first, with the total before paging")
    func defaults() {
        let entries = [Self.entry("11488-4", day: 1), Self.entry("11502-2", day: 3), Self.entry("11488-4", day: 2, status: .superseded),
                       Self.entry("18748-4", day: 4, status: .archived)]
        var query = DocumentQuery()
        let all = query.apply(to: entries)
        #expect(all.page.map(\.date) == [entries[1].date, entries[0].date] && all.total == 2)
        query.count = 1
        query.offset = 1
        #expect(query.apply(to: entries).page == [entries[0]] && query.apply(to: entries).total == 2)
    }

    @Test("token criteria: code, system|code, |code and system|")
    func tokens() {
        let code = Code(system: "http://loinc.org", code: "11488-4")
        #expect(code.matches(token: "11488-4") && code.matches(token: "http://loinc.org|11488-4") && code.matches(token: "http://loinc.org|"))
        #expect(!code.matches(token: "|11488-4") && !code.matches(token: "urn:oid:1.2|11488-4") && !code.matches(token: "11502-2"))
        #expect(Code(system: nil, code: "X").matches(token: "|X"))
    }

    @Test("date conditions compare against the interval the value stands for", arguments: [
        (DateCondition.Comparator.eq, 10.0, true), (.eq, 20.0, false), (.ne, 20.0, true), (.ge, 10.0, true), (.ge, 5.0, false),
        (.gt, 15.0, false), (.gt, 20.0, true), (.le, 19.9, true), (.le, 20.0, false), (.lt, 10.0, false), (.lt, 9.9, true),
    ])
    func dates(_ comparator: DateCondition.Comparator, _ at: Double, _ holds: Bool) {
        let condition = DateCondition(comparator, lower: Date(timeIntervalSince1970: 10), upper: Date(timeIntervalSince1970: 20))
        #expect(condition.holds(for: Date(timeIntervalSince1970: at)) == holds)
    }

    @Test("period conditions compare a range against the interval [10, 20)", arguments: [
        (DateCondition.Comparator.eq, 12.0, 18.0, true), (.eq, 5.0, 18.0, false), (.eq, 12.0, 25.0, false),
        (.ne, 5.0, 18.0, true), (.ne, 12.0, 18.0, false),
        (.ge, 1.0, 10.0, true), (.ge, 1.0, 9.0, false), (.gt, 1.0, 20.0, true), (.gt, 1.0, 19.0, false),
        (.le, 19.0, 30.0, true), (.le, 20.0, 30.0, false), (.lt, 9.0, 30.0, true), (.lt, 10.0, 30.0, false),
    ])
    func periods(_ comparator: DateCondition.Comparator, _ start: Double, _ end: Double, _ holds: Bool) {
        let condition = DateCondition(comparator, lower: Date(timeIntervalSince1970: 10), upper: Date(timeIntervalSince1970: 20))
        #expect(condition.holds(from: Date(timeIntervalSince1970: start), to: Date(timeIntervalSince1970: end)) == holds)
    }

    @Test("a period search needs a period: documents without one never match; open ends stretch to infinity")
    func periodSearch() {
        var query = DocumentQuery()
        query.periods = [DateCondition(.ge, lower: Date(timeIntervalSince1970: 1_000), upper: Date(timeIntervalSince1970: 2_000))]
        var entry = DocumentEntry.fixture(in: RecordID())
        #expect(!query.matches(entry))
        entry.servicePeriod = DatePeriod(start: Date(timeIntervalSince1970: 10), end: nil)
        #expect(query.matches(entry))
        entry.servicePeriod = DatePeriod(start: Date(timeIntervalSince1970: 10), end: Date(timeIntervalSince1970: 500))
        #expect(!query.matches(entry))
    }

    @Test("date conditions narrow to one interval for the database; ne has none")
    func bounds() throws {
        let a = Date(timeIntervalSince1970: 100), b = Date(timeIntervalSince1970: 200), c = Date(timeIntervalSince1970: 300)
        let bounds = try #require(DateCondition.bounds([DateCondition(.ge, lower: a, upper: b), DateCondition(.lt, lower: c, upper: c),
                                                       DateCondition(.gt, lower: a, upper: b)]))
        #expect(bounds.from == b && bounds.until == c)
        #expect(DateCondition.bounds([])?.from == nil)
        #expect(DateCondition.bounds([DateCondition(.ne, lower: a, upper: b)]) == nil)
    }
}
