/// What an actor asks to do: the vocabulary shared by the access policy and the audit trail.
///
/// Raw values are the stable codes written in audit events; never rename one.
public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
    /// Create the record for an INS (idempotent: may return the existing one).
    case createRecord = "record.create"
    /// Read the record's administrative identity (the FHIR `Patient`), including by INS search (TD0.2).
    case readIdentity = "record.read-identity"
    case closeRecord = "record.close"
    case reopenRecord = "record.reopen"
    case deleteRecord = "record.delete"
    case restoreRecord = "record.restore"
    /// Change the contact (e-mail) that sign-in codes and notifications go to: the holder, or an
    /// insurer agent after checking the person's identity — never a professional (issue 23.3).
    case changeContact = "record.contact"
    /// Add a document (MHD ITI-65 / DMP TD2), including a replacement (TD2.1).
    case createDocument = "document.create"
    /// Read one document's metadata or content (ITI-68 / TD3.2).
    case readDocument = "document.read"
    /// List or search a record's documents (ITI-67 / TD3.1).
    case searchDocuments = "document.search"
    /// Change a document's status: delete (TD3.3c), archive/unarchive (TD3.3d), withdraw as entered in error.
    case changeDocument = "document.change"
    /// Mask or unmask a document to professionals (TD3.3a): the holder, or the document's author.
    case maskDocument = "document.mask"
    /// Lift "not visible to the patient" (TD3.3b) after the announcement consultation: a professional who may read it.
    case revealDocumentToPatient = "document.reveal-to-patient"
    /// Change the patient's access controls: authorise, revoke, block, unblock, treating physician,
    /// emergency modes. The holder or a legal representative.
    case manageAccess = "access.manage"
    /// A professional declares that the patient consented in consultation, or their care-team membership.
    case declareConsent = "access.declare-consent"
    /// Read the access controls (the patient's `Consent` list).
    case readAccessControls = "access.read"
    /// Add or remove a minor's legal representative: an agent or an existing representative.
    case manageLegalRepresentatives = "access.legal-representatives"
    /// Read the record's audit trail (the patient's access history).
    case readAuditTrail = "audit.read"
    /// Import the insurer's claims feed (the care history), for many records at once.
    case importCareHistory = "care-history.import"
    /// Read a record's care history (`ExplanationOfBenefit`).
    case readCareHistory = "care-history.read"
    /// Remove claims older than the 24-month window.
    case purgeCareHistory = "care-history.purge"
    /// Load the national directory of health professionals (the RPPS public extract): an operator's
    /// bulk action that concerns no record.
    case importDirectory = "directory.import"
    /// Add, change or delete an item of the structured summary (allergy, condition, treatment, …).
    case writeSummary = "summary.write"
    /// Read or search the structured summary's items, or the `$summary` document built from them.
    case readSummary = "summary.read"
    /// Read everything in the record the actor may see (`Patient/$everything`).
    case readEverything = "record.everything"
    /// Ask for a one-time code to sign in to the patient portal (sent to the holder's contact).
    case requestSignInCode = "portal.sign-in-code"
    /// Sign in to a portal (with a one-time code, or a professional's token).
    case signIn = "portal.sign-in"

    /// The lifecycle transition this action performs, if it is one.
    public var transition: RecordTransition? {
        switch self {
        case .closeRecord: .close
        case .reopenRecord: .reopen
        case .deleteRecord: .delete
        case .restoreRecord: .restore
        default: nil
        }
    }

    /// Whether this action is about documents, decided by ``AccessPolicy/decideDocument(_:by:on:in:document:)``.
    public var isDocumentAction: Bool {
        [.createDocument, .readDocument, .searchDocuments, .changeDocument, .maskDocument, .revealDocumentToPatient].contains(self)
    }
}
