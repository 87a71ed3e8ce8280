public import CarnetCore
import CarnetStore

/// A legal representative's minors, through the one door (DOMAIN.md, Minors): the store's index of
/// representatives says whose controls name the actor; the policy then decides each record as it
/// decides any read of it, so a minor come of age (or minor management turned off) drops out of the
/// list even though the index still names the representative.
extension RecordService {
    /// The records of the minors `actor` may act for as legal representative, the eldest first (by
    /// birth date, then name), as a parent would list their children.
    ///
    /// Deny by default: only a patient-side actor (a person signed in as themselves) can represent
    /// anyone; any other actor is refused, and the refusal audited. Each record listed is a read of
    /// its identity, audited on that record with the rule that allowed it; a record the policy does
    /// not open to the actor is left out and nothing of it is returned.
    public func representedRecords(by actor: Actor) async throws -> [HealthRecord] {
        guard case .patient(let person) = actor.role else {
            try await enforce(.deny(.roleNotAllowed), .readIdentity, by: actor, record: nil)
            return []
        }
        var represented: [HealthRecord] = []
        for record in try await store.recordsRepresented(by: person.value) where record.ins.value != person.value {
            let controls = effective(try await store.accessControls(recordID: record.id), record)
            let decision = AccessPolicy.decide(.readIdentity, by: actor, on: record.ins, in: record.state, controls: controls)
            guard decision.isAllowed, decision.rule == .legalRepresentativeActsForMinor else { continue }
            try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readIdentity,
                                                   resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule,
                                                   detail: "listed among the minors this legal representative acts for"))
            represented.append(record)
        }
        return represented.sorted {
            ($0.identity.birthDate, $0.identity.birthFamilyName, $0.id.description) < ($1.identity.birthDate, $1.identity.birthFamilyName, $1.id.description)
        }
    }
}
