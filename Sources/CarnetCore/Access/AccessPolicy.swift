/// The one place where Carnet decides who may do what on a record. Deny by default.
///
/// `decide` is a pure function of loaded values: no database, no clock, no I/O, so its tests can
/// enumerate every actor × action × state. The service loads the facts, asks, then acts.
///
/// This covers record creation, identity reads and the lifecycle (DOMAIN.md, The record; Who may
/// do what). Documents, consent, blocking and emergency rules extend it in the Access control issue.
public enum AccessPolicy {
    /// Decides whether `actor` may perform `action` on the record of `ins`, in `state`.
    ///
    /// - Parameters:
    ///   - ins: the INS the request is about (for creation, the one to create).
    ///   - state: the record's state, or `nil` when no record exists yet (creation only).
    /// - Precondition: for every action but ``Action/createRecord`` the record exists; the service
    ///   answers "not found" itself before asking.
    public static func decide(_ action: Action, by actor: Actor, on ins: INS, in state: RecordState?) -> Decision {
        // Document actions have their own rules, which need the document.
        if action.isDocumentAction { return .deny(.roleNotAllowed) }
        if state == .deleted {
            // Only an agent sees a deleted record, to restore it before the purge.
            if case .agent = actor.role, action == .readIdentity || action == .restoreRecord { return .allow(.agentAdministersRecord) }
            return .deny(.recordDeleted)
        }
        switch actor.role {
        case .patient(let holder):
            guard holder.value == ins.value else { return .deny(.notTheHolder) }
            switch action {
            case .createRecord, .readIdentity, .closeRecord, .reopenRecord, .deleteRecord: return .allow(.holderActsOnOwnRecord)
            default: return .deny(.roleNotAllowed)
            }
        case .agent:
            return .allow(.agentAdministersRecord)
        case .professional:
            switch action {
            case .createRecord:
                if actor.accessMode.isEmergency { return .deny(.emergencyModeCannotCreate) }
                // Creating an existing record returns it: that is a read, so the record must be active.
                if state == .closed { return .deny(.recordClosed) }
                return .allow(.professionalCreatesWithConsent)
            case .readIdentity:
                return state == .active ? .allow(.professionalChecksActiveRecord) : .deny(.recordClosed)
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
}
