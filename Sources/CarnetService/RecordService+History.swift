public import CarnetCore
import CarnetStore
public import Foundation

/// The audit trail as the patient reads it: filtered and paged by the database (by date, actor,
/// action, emergency mode), and the alerts of their home page (emergency accesses, new
/// professionals) computed by queries over a period rather than from a window of recent events that
/// the patient's own page views would fill (DOMAIN.md, Traces and notifications).
extension RecordService {
    /// One page of the audit trail that `query` matches, newest first, with the number it matches.
    /// Reading it is itself audited.
    public func auditTrailPage(of id: RecordID, query: HistoryQuery, limit: Int, offset: Int,
                               by actor: Actor) async throws -> (events: [AuditEvent], total: Int) {
        let filter = query.auditFilter
        let (record, controls, decision) = try await authorised(.readAuditTrail, on: id, by: actor)
        let visible = try await historyFilter(filter, for: actor, in: record, controls: controls)
        let page = try await store.auditEventPage(recordID: record.id, filter: visible, limit: max(0, limit), offset: max(0, offset))
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readAuditTrail,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule))
        return page
    }

    /// What the patient's home page warns about.
    public struct AccessAlerts: Sendable {
        /// The latest successful emergency accesses since the period's start (break-the-glass, Centre 15).
        public var emergencies: [AuditEvent]
        /// How many there were in the period.
        public var emergencyCount: Int
        /// Professionals and regulators whose first consultation of the record (an access that returned
        /// something they could see) falls in the period.
        public var newcomers: [FirstAccess]
    }

    /// Emergency accesses and professionals' first consultations since `since`, however many other
    /// events the record holds. Reading them is audited as a read of the audit trail.
    public func accessAlerts(of id: RecordID, since: Date, limit: Int = 5, by actor: Actor) async throws -> AccessAlerts {
        let (record, controls, decision) = try await authorised(.readAuditTrail, on: id, by: actor)
        let professionals: Set<Actor.Kind> = [.professional, .regulator]
        // The alerts are history too: nothing in them about what the reader may not see.
        let emergencies = try await store.auditEventPage(
            recordID: record.id, filter: try await historyFilter(AuditFilter(from: since, actorKinds: professionals, emergencyOnly: true, outcome: .success),
                                                                 for: actor, in: record, controls: controls),
            limit: limit, offset: 0)
        // A first consultation is a first access that returned something (issue 16.2): an empty or
        // refused search by a professional the patient never authorised is no "new professional".
        var consultations = try await historyFilter(AuditFilter(actorKinds: professionals, actions: PatientNotification.consultingActions,
                                                                outcome: .success), for: actor, in: record, controls: controls)
        consultations.disclosingOnly = true
        let newcomers = try await store.firstAppearances(recordID: record.id, matching: consultations, since: since)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readAuditTrail,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule, detail: "alerts"))
        return AccessAlerts(emergencies: emergencies.events, emergencyCount: emergencies.total, newcomers: newcomers.map { FirstAccess(actorKind: $0.actorKind, actorID: $0.actorID, first: $0.first) })
    }
}
