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
    case insurerFeedsCareHistory = "insurer-feeds-care-history"
    case operatorLoadsDirectory = "operator-loads-directory"
    case professionalFeedsActiveRecord = "professional-feeds-active-record"
    case professionalSearchesOwnOrInEmergency = "professional-searches-own-or-in-emergency"
    case authorReadsOwnDocument = "author-reads-own-document"
    case authorChangesOwnDocument = "author-changes-own-document"
    /// Written by earlier versions for any emergency read; now ``breakTheGlass`` or ``centre15Regulation``.
    case emergencyAccess = "emergency-access"
    case legalRepresentativeActsForMinor = "legal-representative-acts-for-minor"
    case professionalDeclaresConsent = "professional-declares-consent"
    case authorisedByPatient = "authorised-by-patient"
    case careTeamMember = "care-team-member"
    case treatingPhysician = "treating-physician"
    case breakTheGlass = "break-the-glass"
    case centre15Regulation = "centre-15-regulation"
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
    case professionalBlocked = "professional-blocked"
    case professionNotHabilitated = "profession-not-habilitated"
    case breakTheGlassOpposed = "break-the-glass-opposed"
    case regulationOpposed = "regulation-opposed"
    case documentsHiddenByPatient = "documents-hidden-by-patient"
    case documentNotVisibleToLegalRepresentatives = "document-not-visible-to-legal-representatives"
    case feedingOpposed = "feeding-opposed"
    case patientSectionOnly = "patient-section-only"
    case itemRecordedByProfessional = "item-recorded-by-professional"
    case notTheItemAuthor = "not-the-item-author"
    case onlyAuthorReplaces = "only-author-replaces"
    case notTheDocumentAuthor = "not-the-document-author"
    case maskSetByPatient = "mask-set-by-patient"
    case authorisationRevoked = "authorisation-revoked-by-patient"
    case documentWithdrawn = "document-withdrawn"
    case credentialForAnotherPatient = "credential-for-another-patient"

    /// A sentence for the person refused (or, for allowing rules, for the audit trail).
    public var explanation: String {
        switch self {
        case .holderActsOnOwnRecord: "the patient acts on their own record"
        case .agentAdministersRecord: "an insurer agent administers records at the patient's request"
        case .professionalCreatesWithConsent: "a professional creates the record with the patient's consent"
        case .professionalChecksActiveRecord: "a professional may check that an active record exists for an INS"
        case .insurerFindsActiveRecord: "the insurer's feed finds active records to feed the care history"
        case .insurerFeedsCareHistory: "the insurer's feed imports the care history and purges claims past 24 months"
        case .operatorLoadsDirectory: "an operator at the command line, acting as the national feed, loads the public directory of health professionals"
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
        case .legalRepresentativeActsForMinor: "a legal representative acts for the minor holder"
        case .professionalDeclaresConsent: "a professional declares the patient's consent given in consultation"
        case .authorisedByPatient: "the patient authorised this professional"
        case .careTeamMember: "a member of the patient's care team, not opposed by the patient"
        case .treatingPhysician: "the patient's treating physician (médecin traitant DMP)"
        case .breakTheGlass: "break-the-glass emergency access"
        case .centre15Regulation: "Centre 15 emergency regulation"
        case .professionalBlocked: "the patient has blocked this professional: no access in any mode"
        case .professionNotHabilitated: "this profession may not access this type of document (habilitation matrix)"
        case .breakTheGlassOpposed: "the patient has opposed break-the-glass access to their record"
        case .regulationOpposed: "the patient has opposed Centre 15 regulation access to their record"
        case .documentsHiddenByPatient: "the patient has hidden their documents from professionals"
        case .documentNotVisibleToLegalRepresentatives: "this document is not visible to the minor's legal representatives"
        case .feedingOpposed: "the patient has opposed the feeding of their record by professionals"
        case .patientSectionOnly: "contacts, the trusted person, advance directives and organ-donation wishes are written by the patient or their legal representative only"
        case .itemRecordedByProfessional: "a professional recorded this item: the patient side changes only the items it recorded"
        case .notTheItemAuthor: "only the professional who recorded this item may delete it"
        case .onlyAuthorReplaces: "only the author of a document may replace it with a new version"
        case .notTheDocumentAuthor: "only the professional who submitted a document changes its status or masks it"
        case .maskSetByPatient: "the patient masked this document: only the patient (or their legal representative) may lift the mask"
        case .authorisationRevoked: "the patient revoked this professional's authorisation: only the patient can authorise them again"
        case .documentWithdrawn: "the document was withdrawn as entered in error: only the patient and its author still find it"
        case .credentialForAnotherPatient: "the credential presented (a VIHF) was issued for another patient: it opens that patient's record only"
        }
    }

    /// Whether a refusal must look like absence (404), so that it reveals nothing about the record.
    ///
    /// A patient probing someone else's record, or anyone but an agent asking for a deleted one,
    /// learns nothing. A professional refused because the record is closed is told so: the DMP's
    /// existence check (TD0.2) reports closure to professionals.
    public var concealsExistence: Bool {
        self == .notTheHolder || self == .recordDeleted || self == .documentNotVisibleToPatient || self == .documentMasked
            || self == .noAuthorisationYet || self == .noClinicalContent || self == .professionNotHabilitated
            || self == .documentsHiddenByPatient || self == .documentNotVisibleToLegalRepresentatives || self == .documentWithdrawn
            || self == .credentialForAnotherPatient
    }
}
