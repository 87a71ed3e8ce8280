public import CarnetCore
public import Foundation
import CarnetStore

/// What a reader asks of a record's access history (the patient's history page): the service's own
/// words for it, so that a page never needs a store's types. The service turns it into the store's
/// filter and adds what the reader may not see (``RecordService/auditTrailPage(of:query:limit:offset:by:)``).
/// Every criterion left `nil` matches all.
public struct HistoryQuery: Hashable, Sendable {
    /// Recorded at or after this instant.
    public var from: Date?
    /// Recorded before this instant.
    public var until: Date?
    /// Only events by these kinds of actor.
    public var actorKinds: Set<Actor.Kind>?
    /// Only events by this actor (an RPPS for a professional or regulator).
    public var actorID: String?
    /// Only these actions.
    public var actions: Set<Action>?
    /// Only accesses in an emergency mode (break-the-glass, Centre 15).
    public var emergencyOnly: Bool

    public init(from: Date? = nil, until: Date? = nil, actorKinds: Set<Actor.Kind>? = nil, actorID: String? = nil,
                actions: Set<Action>? = nil, emergencyOnly: Bool = false) {
        self.from = from
        self.until = until
        self.actorKinds = actorKinds
        self.actorID = actorID
        self.actions = actions
        self.emergencyOnly = emergencyOnly
    }

    /// The store's filter asking the same.
    var auditFilter: AuditFilter {
        AuditFilter(from: from, until: until, actorKinds: actorKinds, actorID: actorID, actions: actions, emergencyOnly: emergencyOnly)
    }
}

/// A professional's (or regulator's) first consultation of a record, for the patient's "new
/// professionals" alert: the service's answer, apart from the store's row.
public struct FirstAccess: Hashable, Sendable {
    public var actorKind: Actor.Kind
    public var actorID: String
    public var first: Date

    public init(actorKind: Actor.Kind, actorID: String, first: Date) {
        self.actorKind = actorKind
        self.actorID = actorID
        self.first = first
    }
}
