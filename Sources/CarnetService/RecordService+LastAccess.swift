public import CarnetCore
public import CarnetStore
public import Foundation

/// When a reader last came to a record, from the audit trail, and what is new to them since (issue 18):
/// a busy clinician opens a record on what was added or replaced since their last visit.
///
/// - A professional (or regulator): their last successful read of that record — a document search or
///   read, a `$summary`, an `$everything` — before now.
/// - The holder (or a representative): their previous sign-in to the portal.
///
/// Nothing here reveals anything: the baseline is the reader's own past access, and what is marked
/// new is only ever chosen among what the policy already lets them see.
extension RecordService {
    /// The actions that count as having looked at a record's content.
    static let readActions: Set<Action> = [.searchDocuments, .readDocument, .readSummary, .readEverything]

    /// The reader's previous access to the record before `before` (now by default), or `nil` if none:
    /// then everything they may see is new to them.
    public func previousAccess(to recordID: RecordID, by actor: Actor, before: Date? = nil) async throws -> Date? {
        try await store.latestAuditTime(recordID: recordID, matching: previousAccessFilter(by: actor, before: before ?? clock()))
    }

    /// The audit events that count as the reader's accesses before `before`; the newest is their previous access.
    func previousAccessFilter(by actor: Actor, before: Date) -> AuditFilter {
        AuditFilter(until: before, actorKinds: [actor.kind], actorID: actor.identifier,
                    actions: actor.kind == .patient ? [.signIn] : Self.readActions, outcome: .success)
    }
}

/// A reader's previous access to a record: what "new" is measured from.
public struct LastAccess: Sendable, Hashable {
    /// `nil`: the reader never accessed the record before, so everything is new to them.
    public var at: Date?

    public init(at: Date?) { self.at = at }

    /// Whether something recorded at `recordedAt` is new to this reader.
    public func isNew(_ recordedAt: Date) -> Bool {
        at.map { recordedAt >= $0 } ?? true
    }
}

/// A document search's answer with the reader's previous access, to mark what is new to them.
public struct DocumentSearchResult: Sendable {
    public var page: [DocumentEntry]
    public var total: Int
    public var lastAccess: LastAccess

    public init(page: [DocumentEntry], total: Int, lastAccess: LastAccess) {
        self.page = page
        self.total = total
        self.lastAccess = lastAccess
    }

    /// The page's entries added or replaced since the reader's previous access.
    public var newIDs: Set<DocumentID> {
        Set(page.filter { lastAccess.isNew($0.recordedAt) }.map(\.id))
    }
}
