public import Foundation

/// One line of the audit trail: who did what, in which mode, on which record, with what outcome and why.
///
/// Every read, search, write and state change produces one, including refusals (DOMAIN.md, Traces and
/// notifications). Events are written in the same transaction as the change they describe, so an
/// acknowledged write always has its trace and a failed one leaves none but the refusal.
public struct AuditEvent: Hashable, Sendable, Codable, Identifiable {
    public let id: UUID
    /// The record concerned; `nil` only when the request matched no record (a search that found nothing).
    public let recordID: RecordID?
    public let recordedAt: Date
    public let actorKind: Actor.Kind
    public let actorID: String
    public let profession: String?
    public let accessMode: AccessMode
    public let emergencyReason: String?
    public let action: Action
    /// FHIR-style references to what was touched, e.g. `Patient/<id>`.
    public let resources: [String]
    public let outcome: Outcome
    /// The access rule that decided, when the policy was asked.
    public let rule: AccessRule?
    /// A short, non-clinical note (e.g. the closing reason or why a request failed).
    public let detail: String?
    /// The professional acted in a minor's secret connection (CSP L1111-5): the event is absent from
    /// the legal representatives' history and calls for no notification, which could reach them.
    public let secretConnection: Bool

    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case success, denied, failed
    }

    public init(id: UUID = UUID(), recordID: RecordID?, recordedAt: Date, actor: Actor, action: Action,
                resources: [String] = [], outcome: Outcome, rule: AccessRule?, detail: String? = nil) {
        self.init(id: id, recordID: recordID, recordedAt: recordedAt, actorKind: actor.kind, actorID: actor.identifier,
                  profession: actor.professional?.profession.code, accessMode: actor.accessMode,
                  emergencyReason: actor.emergencyReason, action: action, resources: resources, outcome: outcome,
                  rule: rule, detail: detail, secretConnection: actor.secretConnection && actor.professional != nil)
    }

    /// Restores an event as a store saved it.
    public init(id: UUID, recordID: RecordID?, recordedAt: Date, actorKind: Actor.Kind, actorID: String, profession: String?,
                accessMode: AccessMode, emergencyReason: String?, action: Action, resources: [String], outcome: Outcome,
                rule: AccessRule?, detail: String?, secretConnection: Bool = false) {
        self.id = id
        self.recordID = recordID
        self.recordedAt = recordedAt
        self.actorKind = actorKind
        self.actorID = actorID
        self.profession = profession
        self.accessMode = accessMode
        self.emergencyReason = emergencyReason
        self.action = action
        self.resources = resources
        self.outcome = outcome
        self.rule = rule
        self.detail = detail
        self.secretConnection = secretConnection
    }
}

extension AuditEvent {
    /// Whether this event gave its actor something of the record's content: a successful access whose
    /// ``resources`` name something besides the record itself (`Patient/…`).
    ///
    /// Every read lists in `resources` what it returned — the documents a search found, the items and
    /// directive documents of a `$summary`, the claims' search when a care history had any — so a
    /// search that found nothing, or a summary with nothing the reader may see, names only the record
    /// (or nothing). Such an access is no consultation: it raises no "first access" notice or alert,
    /// and the history says "aucun résultat" (issue 16.2: an unauthorised nurse's empty search had
    /// been announced to the patient as a first consultation).
    public var disclosesContent: Bool {
        outcome == .success && resources.contains { !$0.hasPrefix("Patient/") }
    }
}
