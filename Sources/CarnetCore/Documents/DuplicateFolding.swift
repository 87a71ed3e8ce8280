public import Foundation

/// Another document of the record with the same content, from another submission, that a search folded
/// into the one it shows (issue 18: "shown once, with their several submissions listed").
public struct FoldedDuplicate: Hashable, Sendable, Codable {
    public var id: DocumentID
    /// Who pushed it (INS, `8` + RPPS or staff id).
    public var submitterID: String
    /// When Carnet recorded it.
    public var recordedAt: Date

    public init(id: DocumentID, submitterID: String, recordedAt: Date) {
        self.id = id
        self.submitterID = submitterID
        self.recordedAt = recordedAt
    }

    public init(_ entry: some DocumentAccessFacts & Identifiable<DocumentID>) {
        self.init(id: entry.id, submitterID: entry.submitterID, recordedAt: entry.recordedAt)
    }
}

extension DocumentIndexEntry: Identifiable {}

/// Folds documents with identical content sent in different submissions into one, so that a record is
/// not a heap of the same report pushed twice — by the lab and again by the physician, say (issue 18).
///
/// Two documents are duplicates when their content is the same (SHA-256, the content's address) and
/// they came in different submissions. The documents of one submission are never folded together: a
/// producer that sends the same bytes twice at once means two documents (the n-th copy of a content
/// in a submission, by id, folds with the n-th copy in each other submission). The first of a group in
/// the search's order is the one shown; the others are listed on it.
///
/// Only current documents fold: a superseded version, an archived or withdrawn document is history,
/// shown as it is — and a replacement, even with the same bytes, is a new version, not a duplicate.
///
/// It runs over what the reader may see and the search matches, never over the record: a duplicate
/// the reader may not see is neither shown, nor listed, nor counted, and totals and pages are those
/// of the folded list.
public enum DuplicateFolding {
    /// `items` in their order with the duplicates left out, and for each item kept that had any, the
    /// duplicates folded into it (in the same order).
    public static func fold<Item>(_ items: [Item], id: (Item) -> DocumentID, content sha256: (Item) -> String, submission: (Item) -> String,
                                  status: (Item) -> DocumentStatus) -> (kept: [Item], folded: [DocumentID: [Item]]) {
        // Only current documents fold: anything else has no content to fold by.
        func content(_ item: Item) -> String { status(item) == .current ? sha256(item) : "" }
        var copies: [String: [DocumentID]] = [:]
        for item in items where !content(item).isEmpty {
            copies[submission(item) + "\u{0}" + content(item), default: []].append(id(item))
        }
        var rank: [DocumentID: Int] = [:]
        for ids in copies.values where ids.count > 1 {
            for (index, copy) in ids.sorted(by: { $0.description < $1.description }).enumerated() { rank[copy] = index }
        }
        var shownFor: [String: DocumentID] = [:]
        var kept: [Item] = []
        var folded: [DocumentID: [Item]] = [:]
        for item in items {
            let sha256 = content(item)
            guard !sha256.isEmpty else {
                kept.append(item)
                continue
            }
            let key = "\(sha256)#\(rank[id(item)] ?? 0)"
            if let shown = shownFor[key] {
                folded[shown, default: []].append(item)
            } else {
                shownFor[key] = id(item)
                kept.append(item)
            }
        }
        return (kept, folded)
    }

    /// ``fold(_:id:content:submission:status:)`` for index entries, as a search decides them.
    public static func fold(_ entries: [DocumentIndexEntry]) -> (kept: [DocumentIndexEntry], folded: [DocumentID: [DocumentIndexEntry]]) {
        fold(entries, id: \.id, content: \.contentSHA256, submission: \.submissionKey, status: \.status)
    }

    /// ``fold(_:id:content:submission:status:)`` for whole entries, each kept one listing what was folded into it.
    public static func fold(_ entries: [DocumentEntry]) -> [DocumentEntry] {
        let (kept, folded) = fold(entries, id: \.id, content: \.content.sha256, submission: \.submissionKey, status: \.status)
        return kept.map { entry in
            var entry = entry
            entry.foldedDuplicates = folded[entry.id].map { $0.map(FoldedDuplicate.init) }
            return entry
        }
    }
}
