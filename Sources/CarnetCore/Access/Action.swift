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
    /// Add a document (MHD ITI-65 / DMP TD2), including a replacement (TD2.1).
    case createDocument = "document.create"
    /// Read one document's metadata or content (ITI-68 / TD3.2).
    case readDocument = "document.read"
    /// List or search a record's documents (ITI-67 / TD3.1).
    case searchDocuments = "document.search"
    /// Change a document's status: delete (TD3.3c), archive/unarchive (TD3.3d), withdraw as entered in error.
    case changeDocument = "document.change"

    /// The lifecycle transition this action performs, if it is one.
    public var transition: RecordTransition? {
        switch self {
        case .closeRecord: .close
        case .reopenRecord: .reopen
        case .deleteRecord: .delete
        case .restoreRecord: .restore
        case .createRecord, .readIdentity, .createDocument, .readDocument, .searchDocuments, .changeDocument: nil
        }
    }

    /// Whether this action is about documents, decided by ``AccessPolicy/decideDocument(_:by:on:in:document:)``.
    public var isDocumentAction: Bool {
        self == .createDocument || self == .readDocument || self == .searchDocuments || self == .changeDocument
    }
}
