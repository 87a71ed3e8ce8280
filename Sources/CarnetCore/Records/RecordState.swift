/// Where a record stands: the DMP's lifecycle as a pure state machine (DOMAIN.md, The record).
///
/// ```
///   active ──close──▶ closed ──delete──▶ deleted
///     ▲                 │  ▲                │
///     └─────reopen──────┘  └────restore─────┘
/// ```
/// A closed record is kept (10 years in the DMP) and can be reopened by its holder; a deleted one
/// can be restored until its content is purged by an explicit job. Every transition is audited.
public enum RecordState: String, Hashable, Sendable, Codable, CaseIterable {
    case active
    case closed
    case deleted

    /// The state after `transition`, or the error that explains why it is not allowed from here.
    public func applying(_ transition: RecordTransition) throws(RecordError) -> RecordState {
        switch (self, transition) {
        case (.active, .close): return .closed
        case (.closed, .reopen): return .active
        case (.closed, .delete): return .deleted
        case (.deleted, .restore): return .closed
        default: throw .illegalTransition(from: self, transition: transition)
        }
    }
}

/// The operations that move a record between states.
public enum RecordTransition: String, Hashable, Sendable, Codable, CaseIterable {
    case close, reopen, delete, restore
}

/// Errors about records themselves, with messages that tell what to do instead.
public enum RecordError: Error, Equatable, Sendable, CustomStringConvertible {
    case illegalTransition(from: RecordState, transition: RecordTransition)
    case notFound
    case versionConflict

    public var description: String {
        switch self {
        case .illegalTransition(let state, let transition):
            switch (state, transition) {
            case (.active, .reopen): "the record is already active"
            case (.closed, .close): "the record is already closed"
            case (.active, .delete): "an active record cannot be deleted: close it first"
            case (.deleted, _): "the record is deleted: restore it before anything else"
            default: "a \(state.rawValue) record cannot be \(transition.pastParticiple)"
            }
        case .notFound: "no record matches"
        case .versionConflict: "the record was changed by someone else meanwhile; read it again and retry"
        }
    }
}

extension RecordTransition {
    var pastParticiple: String {
        switch self {
        case .close: "closed"
        case .reopen: "reopened"
        case .delete: "deleted"
        case .restore: "restored"
        }
    }
}
