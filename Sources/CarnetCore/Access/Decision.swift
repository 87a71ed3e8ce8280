/// The outcome of an access decision, always with the rule that decided it.
///
/// Carrying the rule lets the audit trail say *why* something was allowed or refused, and lets the
/// front doors tell a person what would make the request acceptable.
public struct Decision: Hashable, Sendable {
    public let isAllowed: Bool
    public let rule: AccessRule

    public static func allow(_ rule: AccessRule) -> Decision { Decision(isAllowed: true, rule: rule) }
    public static func deny(_ rule: AccessRule) -> Decision { Decision(isAllowed: false, rule: rule) }
}

/// The rules the policy applies, named so that an audit line reads as the DMP rule it enforces.
///
/// Raw values are written in audit events; never rename one.
public enum AccessRule: String, Hashable, Sendable, Codable, CaseIterable {
    // Allowing rules
    case holderActsOnOwnRecord = "holder-acts-on-own-record"
    case agentAdministersRecord = "agent-administers-record"
    case professionalCreatesWithConsent = "professional-creates-with-consent"
    case professionalChecksActiveRecord = "professional-checks-active-record"
    case insurerFindsActiveRecord = "insurer-finds-active-record"
    case professionalFeedsActiveRecord = "professional-feeds-active-record"
    case professionalSearchesOwnOrInEmergency = "professional-searches-own-or-in-emergency"
    case authorReadsOwnDocument = "author-reads-own-document"
    case authorChangesOwnDocument = "author-changes-own-document"
    case emergencyAccess = "emergency-access"
    // Denying rules
    case notTheHolder = "not-the-holder"
    case recordClosed = "record-closed"
    case recordDeleted = "record-deleted"
    case emergencyModeCannotCreate = "emergency-mode-cannot-create"
    case roleNotAllowed = "role-not-allowed"
    case documentNotVisibleToPatient = "document-not-visible-to-patient"
    case documentMasked = "document-masked-to-professionals"
    case noAuthorisationYet = "no-authorisation"
    case noClinicalContent = "no-clinical-content"

    /// A sentence for the person refused (or, for allowing rules, for the audit trail).
    public var explanation: String {
        switch self {
        case .holderActsOnOwnRecord: "the patient acts on their own record"
        case .agentAdministersRecord: "an insurer agent administers records at the patient's request"
        case .professionalCreatesWithConsent: "a professional creates the record with the patient's consent"
        case .professionalChecksActiveRecord: "a professional may check that an active record exists for an INS"
        case .insurerFindsActiveRecord: "the insurer's feed finds active records to feed the care history"
        case .notTheHolder: "a patient may only act on their own record"
        case .recordClosed: "the record is closed: no professional may access it until the patient reopens it"
        case .recordDeleted: "the record is deleted"
        case .emergencyModeCannotCreate: "a record cannot be created in an emergency access mode"
        case .roleNotAllowed: "this kind of actor is not allowed to do this"
        case .professionalFeedsActiveRecord: "a professional adds a document to an active record (feeding needs no authorisation)"
        case .professionalSearchesOwnOrInEmergency: "a professional searches an active record; each document is then decided on its own"
        case .authorReadsOwnDocument: "a professional reads a document they submitted"
        case .authorChangesOwnDocument: "a professional changes the status of a document they submitted"
        case .emergencyAccess: "declared emergency access"
        case .documentNotVisibleToPatient: "this document is to be announced by a professional before the patient sees it"
        case .documentMasked: "the document is masked to professionals"
        case .noAuthorisationYet: "the patient has not authorised this professional"
        case .noClinicalContent: "insurer agents and the insurer's feed never read or write clinical documents"
        }
    }

    /// Whether a refusal must look like absence (404), so that it reveals nothing about the record.
    ///
    /// A patient probing someone else's record, or anyone but an agent asking for a deleted one,
    /// learns nothing. A professional refused because the record is closed is told so: the DMP's
    /// existence check (TD0.2) reports closure to professionals.
    public var concealsExistence: Bool {
        self == .notTheHolder || self == .recordDeleted || self == .documentNotVisibleToPatient || self == .documentMasked
            || self == .noAuthorisationYet || self == .noClinicalContent
    }
}
