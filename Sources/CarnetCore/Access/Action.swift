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

    /// The lifecycle transition this action performs, if it is one.
    public var transition: RecordTransition? {
        switch self {
        case .closeRecord: .close
        case .reopenRecord: .reopen
        case .deleteRecord: .delete
        case .restoreRecord: .restore
        case .createRecord, .readIdentity: nil
        }
    }
}
