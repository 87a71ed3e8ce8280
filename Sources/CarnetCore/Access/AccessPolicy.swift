/// The one place where Carnet decides who may do what on a record. Deny by default.
///
/// `decide` is a pure function of loaded values: no database, no clock, no I/O, so its tests can
/// enumerate every actor × action × state × consent. The service loads the facts, asks, then acts.
///
/// Record-level actions are decided here; document actions, which need the document, the patient's
/// controls and the habilitation matrix, in ``decideDocument(_:by:in:document:)``.
public enum AccessPolicy {
    /// Decides whether `actor` may perform the record-level `action` on the record of `ins`, in `state`.
    ///
    /// - Parameters:
    ///   - ins: the INS the request is about (for creation, the one to create).
    ///   - state: the record's state, or `nil` when no record exists yet (creation only).
    ///   - controls: the patient's access controls (legal representatives, blocked professionals).
    /// - Precondition: for every action but ``Action/createRecord`` the record exists; the service
    ///   answers "not found" itself before asking.
    public static func decide(_ action: Action, by actor: Actor, on ins: INS, in state: RecordState?,
                              controls: AccessControls = AccessControls()) -> Decision {
        // Document actions have their own rules, which need the document.
        if action.isDocumentAction { return .deny(.roleNotAllowed) }
        // A credential issued for one patient (a VIHF) opens that patient's record only, whatever else holds.
        if actor.isScopedToAnotherPatient(than: ins) { return .deny(.credentialForAnotherPatient) }
        if state == .deleted {
            // Only an agent sees a deleted record, to restore it before the purge.
            if case .agent = actor.role, action == .readIdentity || action == .restoreRecord { return .allow(.agentAdministersRecord) }
            return .deny(.recordDeleted)
        }
        switch actor.role {
        case .patient(let person):
            if person.value == ins.value {
                switch action {
                case .createRecord, .readIdentity, .closeRecord, .reopenRecord, .deleteRecord, .manageAccess, .readAccessControls, .readAuditTrail,
                     .changeContact:
                    return .allow(.holderActsOnOwnRecord)
                default: return .deny(.roleNotAllowed)
                }
            }
            guard controls.legalRepresentatives.contains(person.value) else { return .deny(.notTheHolder) }
            switch action {
            case .readIdentity, .closeRecord, .reopenRecord, .manageAccess, .readAccessControls, .readAuditTrail, .manageLegalRepresentatives:
                return .allow(.legalRepresentativeActsForMinor)
            default: return .deny(.roleNotAllowed)
            }
        case .agent:
            switch action {
            case .createRecord, .readIdentity, .closeRecord, .reopenRecord, .deleteRecord, .restoreRecord, .manageLegalRepresentatives,
                 .changeContact:
                return .allow(.agentAdministersRecord)
            default: return .deny(.noClinicalContent)
            }
        case .professional(let professional):
            switch action {
            case .createRecord:
                if actor.accessMode.isEmergency { return .deny(.emergencyModeCannotCreate) }
                // Creating an existing record returns it: that is a read, so the record must be active.
                if state == .closed { return .deny(.recordClosed) }
                if controls.blocked[professional.rpps.value] != nil { return .deny(.professionalBlocked) }
                return .allow(.professionalCreatesWithConsent)
            case .readIdentity:
                guard state == .active else { return .deny(.recordClosed) }
                // A blocked professional has no access at all; the existence check (TD0.2) still tells them so.
                if controls.blocked[professional.rpps.value] != nil { return .deny(.professionalBlocked) }
                return .allow(.professionalChecksActiveRecord)
            case .declareConsent:
                guard state == .active else { return .deny(.recordClosed) }
                if controls.blocked[professional.rpps.value] != nil { return .deny(.professionalBlocked) }
                guard actor.accessMode == .normal else { return .deny(.roleNotAllowed) }
                // A patient's revocation holds until the patient authorises again: the professional
                // cannot undo it by declaring consent (or care-team membership) themselves.
                if controls.isRevoked(professional.rpps.value) { return .deny(.authorisationRevoked) }
                return .allow(.professionalDeclaresConsent)
            default:
                return .deny(.roleNotAllowed)
            }
        case .regulator:
            if action == .readIdentity { return state == .active ? .allow(.professionalChecksActiveRecord) : .deny(.recordClosed) }
            return .deny(.roleNotAllowed)
        case .insurer:
            if action == .readIdentity { return state == .active ? .allow(.insurerFindsActiveRecord) : .deny(.recordClosed) }
            return .deny(.roleNotAllowed)
        }
    }

    /// Whether `actor`, once allowed to read a record's identity, may also read why it was closed or
    /// deleted: the patient's side (who wrote it) and insurer agents (who close records at the
    /// patient's request). A professional learns that the record is closed, and when (TD0.2), never
    /// what the patient wrote.
    public static func readsStateReason(_ actor: Actor) -> Bool {
        switch actor.role {
        case .patient, .agent: true
        case .professional, .regulator, .insurer: false
        }
    }

    /// Whether `actor` is shown the holder's contact (e-mail, phone) with the record's identity: the
    /// patient's side and insurer agents, who reach the patient; professionals and the feed see the
    /// identity traits only.
    public static func readsContact(_ actor: Actor) -> Bool {
        readsStateReason(actor)
    }
}
