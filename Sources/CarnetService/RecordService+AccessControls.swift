public import CarnetCore
import CarnetStore
public import Foundation

/// The patient's controls through the one door: who may read, who is blocked, the treating physician,
/// emergency modes, legal representatives, and the visibility of single documents. Every change is
/// decided by the policy, stored with its audit event in one transaction, and reversible.
extension RecordService {
    /// A change the holder (or a minor's legal representative) makes to who may access the record.
    public enum AccessChange: Sendable, Equatable {
        case authorize(RPPS)
        case revoke(RPPS)
        case block(RPPS)
        case unblock(RPPS)
        /// `nil` removes the treating physician.
        case setTreatingPhysician(RPPS?)
        /// `nil` leaves a mode as it is; `false` opposes it.
        case setEmergencyAccess(breakTheGlass: Bool?, regulation: Bool?)
        case hideDocumentsFromProfessionals(Bool)
        /// The patient's wish to be told of each new document.
        case notifyNewDocuments(Bool)
        /// `false`: the patient opposes professionals adding documents.
        case allowFeeding(Bool)

        var summary: String {
            switch self {
            case .authorize(let rpps): "authorised professional \(rpps.value)"
            case .revoke(let rpps): "revoked the authorisation of professional \(rpps.value)"
            case .block(let rpps): "blocked professional \(rpps.value)"
            case .unblock(let rpps): "unblocked professional \(rpps.value)"
            case .setTreatingPhysician(let rpps?): "treating physician: \(rpps.value)"
            case .setTreatingPhysician(nil): "no treating physician"
            case .setEmergencyAccess(let glass, let regulation):
                ["break-the-glass": glass, "Centre 15 regulation": regulation].sorted { $0.key < $1.key }
                    .compactMap { name, allowed in allowed.map { "\(name) \($0 ? "allowed" : "opposed")" } }.joined(separator: ", ")
            case .hideDocumentsFromProfessionals(let hidden): hidden ? "documents hidden from professionals" : "documents shown to professionals"
            case .notifyNewDocuments(let wanted): wanted ? "notify new documents" : "do not notify new documents"
            case .allowFeeding(let allowed): allowed ? "feeding allowed" : "feeding opposed"
            }
        }
    }

    /// The record's controls, for the holder and a minor's legal representatives (the `Consent` list).
    public func accessControls(of id: RecordID, by actor: Actor) async throws -> (record: HealthRecord, controls: AccessControls) {
        let (record, controls, decision) = try await authorised(.readAccessControls, on: id, by: actor)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readAccessControls,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule))
        // A legal representative does not see what professionals declared in the minor's secret connection (issue 23.7).
        guard case .patient(let person) = actor.role else { return (record, controls) }
        return (record, controls.shown(to: person, holder: record.ins))
    }

    /// Applies the holder's `change`; returns the controls as stored (one change is a list of one).
    public func changeAccess(of id: RecordID, _ change: AccessChange, by actor: Actor) async throws -> AccessControls {
        try await changeAccess(of: id, [change], by: actor)
    }

    /// Applies the holder's `changes` together, as one change: all made to one copy of the controls and
    /// saved as one new version with one audit event naming each (their summaries joined by "; "), or
    /// none of them when one cannot be made (an unblock of a professional not blocked) — so a patient
    /// who ticks two boxes on the portal gets one version and one line in their history, never half
    /// of what they asked. Returns the controls as stored; with no change, as they are (decided, not saved).
    public func changeAccess(of id: RecordID, _ changes: [AccessChange], by actor: Actor) async throws -> AccessControls {
        guard !changes.isEmpty else { return try await authorised(.manageAccess, on: id, by: actor).1 }
        return try await update(id, .manageAccess, by: actor, detail: changes.map(\.summary).joined(separator: "; ")) { controls, _, now in
            for change in changes { try Self.apply(change, to: &controls, at: now) }
        }
    }

    /// What one change does to the controls; throws when it makes no sense as asked.
    private static func apply(_ change: AccessChange, to controls: inout AccessControls, at now: Date) throws {
        switch change {
        case .authorize(let rpps):
            controls.authorisations[rpps.value] = Authorisation(basis: .patientGrant, since: now)
            controls.careTeamOpposed.remove(rpps.value)
            // The patient's own grant is what lifts a revocation.
            controls.revoked?[rpps.value] = nil
            if controls.revoked?.isEmpty == true { controls.revoked = nil }
        case .revoke(let rpps):
            controls.authorisations[rpps.value] = nil
            // Revoking also opposes a care-team declaration by the same professional, and holds
            // until the patient authorises again (the policy refuses their own declarations).
            controls.careTeamOpposed.insert(rpps.value)
            controls.revoked = (controls.revoked ?? [:]).merging([rpps.value: now]) { _, new in new }
        case .block(let rpps):
            controls.blocked[rpps.value] = now
            controls.authorisations[rpps.value] = nil
        case .unblock(let rpps):
            guard controls.blocked.removeValue(forKey: rpps.value) != nil else { throw AccessChangeError.notBlocked(rpps) }
        case .setTreatingPhysician(let rpps):
            controls.treatingPhysician = rpps.map { TreatingPhysician(rpps: $0.value, since: now) }
        case .setEmergencyAccess(let glass, let regulation):
            if let glass { controls.breakTheGlassAllowed = glass }
            if let regulation { controls.regulationAllowed = regulation }
        case .hideDocumentsFromProfessionals(let hidden):
            controls.documentsHiddenFromProfessionals = hidden
        case .notifyNewDocuments(let wanted):
            controls.notifyNewDocuments = wanted
        case .allowFeeding(let allowed):
            controls.feedingOpposed = !allowed
        }
    }

    /// A professional declares that the patient consented during a consultation, or (with
    /// `careTeam`) that they belong to the patient's care team; recorded as such.
    public func declareConsent(on id: RecordID, careTeam: Bool, by actor: Actor) async throws -> AccessControls {
        guard let rpps = actor.professional?.rpps.value else {
            // Only professionals declare: the policy refuses anyone else, and the refusal is audited like any other.
            let (record, _, _) = try await authorised(.declareConsent, on: id, by: actor)
            try await enforce(.deny(.roleNotAllowed), .declareConsent, by: actor, record: record, concealing: false)
            throw AccessError.denied(.roleNotAllowed)
        }
        // The event names the Consent it makes, which a minor's representatives may not see when it is
        // declared in a secret connection: the event is then absent from their history (issue 23.7).
        return try await update(id, .declareConsent, by: actor, detail: careTeam ? "care-team membership declared" : "consent given in consultation",
                                naming: ["Consent/\(Authorisation.consentID(recordID: id, rpps: rpps))"]) {
            controls, _, now in
            if careTeam && controls.careTeamOpposed.contains(rpps) { throw AccessChangeError.careTeamOpposed }
            controls.authorisations[rpps] = Authorisation(basis: careTeam ? .careTeam : .consultation, since: now,
                                                          declaredInSecretConnection: actor.secretConnection ? true : nil)
        }
    }

    /// Adds or removes a minor's legal representative (by INS): an agent or an existing representative.
    public func changeLegalRepresentative(of id: RecordID, _ representative: INS, add: Bool, by actor: Actor) async throws -> AccessControls {
        try await update(id, .manageLegalRepresentatives, by: actor,
                         detail: "\(add ? "added" : "removed") legal representative \(representative.value)") { controls, record, _ in
            guard representative.value != record.ins.value else { throw AccessChangeError.holderIsNotARepresentative }
            if add {
                controls.legalRepresentatives.insert(representative.value)
            } else if controls.legalRepresentatives.remove(representative.value) == nil {
                throw AccessChangeError.notARepresentative
            }
        }
    }

    /// Loads the controls, enforces `action`, applies `change`, and saves with the audit event.
    private func update(_ id: RecordID, _ action: Action, by actor: Actor, detail: String, naming: [String] = [],
                        _ change: (inout AccessControls, HealthRecord, Date) throws -> Void) async throws -> AccessControls {
        let (record, controls, decision) = try await authorised(action, on: id, by: actor)
        let now = clock()
        var changed = controls
        try change(&changed, record, now)
        changed.version = controls.version + 1
        do {
            try await store.saveAccessControls(changed, recordID: record.id, audit: AuditEvent(
                recordID: record.id, recordedAt: now, actor: actor, action: action, resources: [Self.reference(record.id)] + naming,
                outcome: .success, rule: decision.rule, detail: detail))
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
        return changed
    }
}

/// A control change that makes no sense as asked (the FHIR layer answers 409/422 with this text).
public enum AccessChangeError: Error, Equatable, Sendable, CustomStringConvertible {
    case notBlocked(RPPS)
    case careTeamOpposed
    case notARepresentative
    case holderIsNotARepresentative
    case maskedAndInvisible
    case notHiddenFromPatient

    public var description: String {
        switch self {
        case .notBlocked(let rpps): "professional \(rpps.value) is not blocked"
        case .careTeamOpposed: "the patient opposed this professional's care-team access: only the patient's explicit consent authorises now"
        case .notARepresentative: "this person is not a legal representative of the record's holder"
        case .holderIsNotARepresentative: "the holder cannot be their own legal representative"
        case .maskedAndInvisible: DocumentError.conflictingVisibility.description
        case .notHiddenFromPatient: "the document is already visible to the patient"
        }
    }
}
