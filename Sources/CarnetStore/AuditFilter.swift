public import CarnetCore
public import Foundation

/// Which of a record's audit events a reader wants (the patient's history page, the home alerts),
/// decided by the database so that a page is a page of what matches, however many other events
/// (the patient's own page views, say) the record holds. Every criterion left `nil` matches all.
public struct AuditFilter: Hashable, Sendable {
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
    /// Only events with this outcome.
    public var outcome: AuditEvent.Outcome?
    /// Leaves out every event naming one of these references (`DocumentReference/<id>`,
    /// `Condition/<id>`…) among its resources: what its reader may not see (issue 23.2). Decided by
    /// the database with the other criteria, so totals and pages count only what the reader sees.
    public var excludedResources: Set<String>
    /// Leaves out what professionals did in a minor's secret connection (for the legal representatives).
    public var excludesSecretConnection: Bool
    /// Only events that gave their actor something of the record's content
    /// (``AuditEvent/disclosesContent``): the professionals' first consultations, not their empty searches.
    public var disclosingOnly = false

    public init(from: Date? = nil, until: Date? = nil, actorKinds: Set<Actor.Kind>? = nil, actorID: String? = nil,
                actions: Set<Action>? = nil, emergencyOnly: Bool = false, outcome: AuditEvent.Outcome? = nil,
                excludedResources: Set<String> = [], excludesSecretConnection: Bool = false) {
        self.from = from
        self.until = until
        self.actorKinds = actorKinds
        self.actorID = actorID
        self.actions = actions
        self.emergencyOnly = emergencyOnly
        self.outcome = outcome
        self.excludedResources = excludedResources
        self.excludesSecretConnection = excludesSecretConnection
    }

    /// Whether `event` matches, as the engines decide it (for tests and in-memory checks).
    public func matches(_ event: AuditEvent) -> Bool {
        (from.map { event.recordedAt >= $0 } ?? true) && (until.map { event.recordedAt < $0 } ?? true)
            && (actorKinds?.contains(event.actorKind) ?? true) && (actorID.map { event.actorID == $0 } ?? true)
            && (actions?.contains(event.action) ?? true) && (!emergencyOnly || event.accessMode.isEmergency)
            && (outcome.map { event.outcome == $0 } ?? true) && excludedResources.isDisjoint(with: event.resources)
            && !(excludesSecretConnection && event.secretConnection) && (!disclosingOnly || event.disclosesContent)
    }
}

/// An actor's first event matching a filter on a record: a professional's first access, for the
/// patient's "new professionals" alert.
public struct AuditFirstAppearance: Hashable, Sendable {
    public let actorKind: Actor.Kind
    public let actorID: String
    public let first: Date

    public init(actorKind: Actor.Kind, actorID: String, first: Date) {
        self.actorKind = actorKind
        self.actorID = actorID
        self.first = first
    }
}
