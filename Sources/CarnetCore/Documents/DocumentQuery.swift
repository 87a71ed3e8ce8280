public import Foundation

/// The criteria of a document search (MHD ITI-67) within one record.
///
/// The engine narrows by status and date with an index, and by ``authorText`` on a folded column; the
/// rest is applied in memory to the
/// entries the caller may see, on their index columns when the criteria allow (``isAnsweredByIndex``).
///
/// Every list is an OR of its values; different criteria are ANDed, as FHIR search defines.
public struct DocumentQuery: Hashable, Sendable {
    /// Statuses to return; empty means the default, current documents only.
    public var statuses: Set<DocumentStatus> = []
    public var types: [String] = []
    public var categories: [String] = []
    public var authors: [String] = []
    /// A person's words for who wrote or sent a document (a name, part of one, an RPPS), as a portal's
    /// author filter takes them: matched in the database, ignoring case and accents, against the
    /// submitter, the authors' names and their identifiers (``DocumentEntry/authorSearchText``).
    public var authorText: String?
    public var facilities: [String] = []
    public var settings: [String] = []
    public var events: [String] = []
    public var securityLabels: [String] = []
    public var ids: [DocumentID] = []
    /// Conditions on `DocumentReference.date`, all of which must hold.
    public var dates: [DateCondition] = []
    /// Conditions on the service period (`context.period`, `period`), all of which must hold; a
    /// document without a period matches none.
    public var periods: [DateCondition] = []
    /// Words to find inside the documents (FHIR `_content` and `_text`, the portals' search box): every
    /// one, as ``FrenchText`` reduces it, must be in a document's text index (its content's words and its
    /// metadata), decided by the engine before the policy, counts and pages.
    public var contentText: String?
    /// Only what was added or replaced since the reader's last access (`new-since-last-access=true`):
    /// the service turns it into ``recordedSince``.
    public var newSinceLastAccess = false
    /// Only entries recorded in Carnet at or after this instant, decided by the engine.
    public var recordedSince: Date?
    /// Newest first unless false.
    public var newestFirst = true
    /// Documents with the same content from different submissions are shown once, the others listed
    /// on it (``DuplicateFolding``, issue 18); false returns each of them.
    public var foldsDuplicates = true
    public var count = 50
    public var offset = 0

    public init() {}

    /// Largest page a client may ask for.
    public static let maximumCount = 500

    public func matches(_ entry: DocumentEntry) -> Bool {
        guard wantedStatuses.contains(entry.status) else { return false }
        guard ids.isEmpty || ids.contains(entry.id) else { return false }
        guard Self.any(types, [entry.type]), Self.any(categories, entry.category.map { [$0] } ?? []),
              Self.any(facilities, entry.facilityType.map { [$0] } ?? []), Self.any(settings, entry.practiceSetting.map { [$0] } ?? []),
              Self.any(events, entry.events),
              Self.any(securityLabels, entry.visibility.labels.map { Code(system: $0.system, code: $0.code) } + entry.otherLabels)
        else { return false }
        if !authors.isEmpty {
            let authorCodes = entry.authors.compactMap { author in author.identifierValue.map { Code(system: author.identifierSystem, code: $0) } }
            guard Self.any(authors, authorCodes) else { return false }
        }
        guard dates.allSatisfy({ $0.holds(for: entry.date) }), recordedSince.map({ entry.recordedAt >= $0 }) ?? true else { return false }
        guard !periods.isEmpty else { return true }
        guard let period = entry.servicePeriod, period.start != nil || period.end != nil else { return false }
        return periods.allSatisfy { $0.holds(from: period.start ?? .distantPast, to: period.end ?? .distantFuture) }
    }

    /// Whether every criterion can be decided on a ``DocumentIndexEntry`` (status, id, type, date), so
    /// only the page's entries need loading whole.
    public var isAnsweredByIndex: Bool {
        categories.isEmpty && authors.isEmpty && facilities.isEmpty && settings.isEmpty && events.isEmpty
            && securityLabels.isEmpty && periods.isEmpty
    }

    /// The statuses a search returns: those asked for, or current documents only.
    public var wantedStatuses: Set<DocumentStatus> {
        statuses.isEmpty ? [.current] : statuses
    }

    /// ``matches(_:)`` for the criteria an index entry carries; the others are not looked at (see
    /// ``isAnsweredByIndex``).
    public func matchesIndexed(_ entry: DocumentIndexEntry) -> Bool {
        wantedStatuses.contains(entry.status) && (ids.isEmpty || ids.contains(entry.id)) && Self.any(types, [entry.type])
            && dates.allSatisfy { $0.holds(for: entry.date) } && (recordedSince.map { entry.recordedAt >= $0 } ?? true)
    }

    /// The ``FrenchText`` terms of ``contentText`` (empty: no full-text condition).
    public var contentTerms: [String] {
        contentText.map(FrenchText.queryTerms) ?? []
    }

    /// Filters, sorts, folds duplicates (unless ``foldsDuplicates`` is false) and pages `entries`: the
    /// page and the total before paging.
    public func apply(to entries: [DocumentEntry]) -> (page: [DocumentEntry], total: Int) {
        var matching = entries.filter(matches).sorted { newestFirst ? $0.date > $1.date : $0.date < $1.date }
        if foldsDuplicates { matching = DuplicateFolding.fold(matching) }
        return (Array(matching.dropFirst(offset).prefix(count)), matching.count)
    }

    private static func any(_ tokens: [String], _ codes: [Code]) -> Bool {
        tokens.isEmpty || tokens.contains { token in codes.contains { $0.matches(token: token) } }
    }
}

extension DateCondition {
    /// The interval [`from`, `until`) where all `conditions` hold, for searches done by the database;
    /// `nil` when one is `ne`, which no single interval expresses.
    public static func bounds(_ conditions: [DateCondition]) -> (from: Date?, until: Date?)? {
        var from: Date?
        var until: Date?
        func raise(_ date: Date) { from = max(from ?? date, date) }
        func lower(_ date: Date) { until = min(until ?? date, date) }
        for condition in conditions {
            switch condition.comparator {
            case .eq:
                raise(condition.lower)
                lower(condition.upper)
            case .ge: raise(condition.lower)
            case .gt: raise(condition.upper)
            case .le: lower(condition.upper)
            case .lt: lower(condition.lower)
            case .ne: return nil
            }
        }
        return (from, until)
    }
}

/// A FHIR date search condition: a comparison against an interval (the precision of the value given).
///
/// `2026-03` means all of March: `eq` matches within it, `ge` from its start, `gt` after its end,
/// `le` up to its end, `lt` before its start.
public struct DateCondition: Hashable, Sendable {
    public enum Comparator: String, Sendable, CaseIterable {
        case eq, ne, ge, gt, le, lt
    }

    public var comparator: Comparator
    /// The interval the value stands for: [lower, upper).
    public var lower: Date
    public var upper: Date

    public init(_ comparator: Comparator, lower: Date, upper: Date) {
        self.comparator = comparator
        self.lower = lower
        self.upper = upper
    }

    public func holds(for date: Date) -> Bool {
        holds(from: date, to: date)
    }

    /// Whether the condition holds for a target range (FHIR search on a Period): `eq` when the value's
    /// interval contains the whole range, `gt`/`ge` when the range reaches after/into the interval,
    /// `lt`/`le` when it starts before/within it. An instant is the range from itself to itself.
    public func holds(from start: Date, to end: Date) -> Bool {
        switch comparator {
        case .eq: lower <= start && end < upper
        case .ne: !(lower <= start && end < upper)
        case .ge: end >= lower
        case .gt: end >= upper
        case .le: start < upper
        case .lt: start < lower
        }
    }
}

extension DocumentQuery {
    /// `text` as author searches compare it: case, accents and widths folded away, so "helene" finds
    /// "Hélène" and "DUPONT" finds "Dupont", identically on every engine (the database compares the
    /// folded forms Carnet wrote, never its own collation).
    public static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// ``authorText`` folded, `nil` when absent or blank (no filter).
    public var foldedAuthorText: String? {
        guard let text = authorText?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return Self.folded(text)
    }
}

extension DocumentEntry {
    /// Who wrote or sent the document as one folded text, one name or identifier a line: what an
    /// author filter (``DocumentQuery/authorText``) looks in; stored beside the entry so the database
    /// can search it.
    public var authorSearchText: String {
        ([submitterID] + authors.compactMap(\.display) + authors.compactMap(\.identifierValue))
            .map(DocumentQuery.folded).joined(separator: "\n")
    }
}
