public import Foundation

/// One patient's shared record (*le DMP*): who it belongs to and where it stands in its lifecycle.
///
/// There is exactly one record per INS; creating it again returns the existing one. The record's
/// ``id`` is the patient key that every health-data table carries, so that a PostgreSQL deployment
/// can be distributed by patient (ARCHITECTURE.md, invariant 7).
public struct HealthRecord: Hashable, Sendable, Identifiable {
    public let id: RecordID
    public let ins: INS
    public var identity: PatientIdentity
    public private(set) var state: RecordState
    public let createdAt: Date
    /// When the record last changed state, for closure and deletion dates.
    public private(set) var stateChangedAt: Date
    /// Why the record was closed or deleted, as told by whoever did it.
    public private(set) var stateReason: String?
    /// Incremented on every change; stores use it to refuse lost updates.
    public private(set) var version: Int

    public init(id: RecordID = RecordID(), ins: INS, identity: PatientIdentity, createdAt: Date) {
        self.init(id: id, ins: ins, identity: identity, state: .active, createdAt: createdAt,
                  stateChangedAt: createdAt, stateReason: nil, version: 1)
    }

    /// Restores a record as a store saved it.
    public init(id: RecordID, ins: INS, identity: PatientIdentity, state: RecordState, createdAt: Date,
                stateChangedAt: Date, stateReason: String?, version: Int) {
        self.id = id
        self.ins = ins
        self.identity = identity
        self.state = state
        self.createdAt = createdAt
        self.stateChangedAt = stateChangedAt
        self.stateReason = stateReason
        self.version = version
    }

    /// Applies a lifecycle transition, or throws if the record's state does not allow it.
    ///
    /// The transition is pure: the caller persists the new value and audits it in one transaction.
    public mutating func apply(_ transition: RecordTransition, at date: Date, reason: String? = nil) throws(RecordError) {
        state = try state.applying(transition)
        stateChangedAt = date
        stateReason = transition == .reopen || transition == .restore ? nil : reason
        version += 1
    }

    /// Sets the contact that sign-in codes and notifications go to; a new version of the record.
    /// Who may is the policy's (``Action/changeContact``): the holder, or an agent.
    public mutating func changeContact(email: String?) {
        identity.email = email
        version += 1
    }

    /// The record without the reason given for its closure or deletion: what a reader who may learn
    /// the state (and when it changed) but not the words of whoever changed it sees.
    public func withoutStateReason() -> HealthRecord {
        var copy = self
        copy.stateReason = nil
        return copy
    }

    public func applying(_ transition: RecordTransition, at date: Date, reason: String? = nil) throws(RecordError) -> HealthRecord {
        var copy = self
        try copy.apply(transition, at: date, reason: reason)
        return copy
    }
}
