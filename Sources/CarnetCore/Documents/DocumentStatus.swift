/// Where a document version stands: the DMP's document lifecycle as a pure state machine
/// (DOMAIN.md, What it contains; reference/dmp-domain.md §4.3 and §7).
///
/// ```
///   current ──replace──▶ superseded          (a newer version replaces it; still readable by id)
///   current ──archive──▶ archived ──unarchive──▶ current   (out of default lists, still readable)
///   current | archived | superseded ──delete──▶ deleted      (logical; kept for the retention period)
///   current ──enterInError──▶ enteredInError (the author withdraws a document pushed by mistake)
/// ```
/// Nothing is ever destroyed by a transition (ARCHITECTURE.md, invariant 4): purging deleted content
/// after the retention period is an explicit job.
public enum DocumentStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case current
    case superseded
    case archived
    case deleted
    case enteredInError = "entered-in-error"

    /// The status after `transition`, or why it is not allowed from here.
    public func applying(_ transition: DocumentTransition) throws(DocumentError) -> DocumentStatus {
        switch (self, transition) {
        case (.current, .replace): return .superseded
        case (.current, .archive): return .archived
        case (.archived, .unarchive): return .current
        case (.current, .delete), (.archived, .delete), (.superseded, .delete): return .deleted
        case (.current, .enterInError): return .enteredInError
        default: throw .illegalTransition(from: self, transition: transition)
        }
    }

    /// Whether default searches return documents in this status (ITI-67 without `status`: current only).
    public var isListedByDefault: Bool { self == .current }

    /// Whether the document can still be read by id (superseded and archived versions stay readable).
    public var isReadable: Bool { self == .current || self == .superseded || self == .archived }

    /// The FHIR `DocumentReference.status` (`current`, `superseded`, `entered-in-error`); archived
    /// documents stay `current` on the wire with PDSm's is-archived extension, deleted ones are not served.
    public var fhirStatus: String {
        switch self {
        case .current, .archived: "current"
        case .superseded: "superseded"
        case .deleted, .enteredInError: "entered-in-error"
        }
    }
}

/// The operations that move a document version between statuses.
public enum DocumentTransition: String, Hashable, Sendable, Codable, CaseIterable {
    case replace, archive, unarchive, delete, enterInError
}

/// Errors about documents themselves, with messages that say what is allowed instead.
public enum DocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    case illegalTransition(from: DocumentStatus, transition: DocumentTransition)
    case conflictingVisibility

    public var description: String {
        switch self {
        case .illegalTransition(let status, let transition):
            switch (status, transition) {
            case (.superseded, .replace): "this version is already superseded: replace the current version instead"
            case (.archived, .archive): "the document is already archived"
            case (.current, .unarchive): "the document is not archived"
            case (.deleted, _): "the document is deleted"
            default: "a \(status.rawValue) document cannot be \(transition.rawValue)d"
            }
        case .conflictingVisibility:
            "a document cannot be both masked to professionals (MASQUE_PS) and not visible to the patient (INVISIBLE_PATIENT)"
        }
    }
}
