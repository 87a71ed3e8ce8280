import CarnetCore
import CarnetPortal
import CarnetService
import CarnetStore

/// The storage refusals a portal page can say: kept beside the server, the one part of the portal
/// that sees a store's errors (they reach it through the service, unanswered), so that `CarnetPortal`
/// never imports a store.
extension PortalProblemMessages {
    /// Storage refusals a person can act on; `nil` for the internal ones (a corrupt row, a closing store).
    static func store(_ error: StoreError, _ l: PortalLanguage) -> String? {
        switch error {
        case .versionConflict: record(.versionConflict, l)
        case .duplicateDocument(let id): documentInput(.duplicateUniqueID(id), l)
        case .duplicateSubmissionSet(let id): documentInput(.duplicateSubmissionSet(id), l)
        case .unavailable: l.t(.theServiceIsUnavailableForA)
        case .corruptRow, .schemaTooNew, .closed: nil
        }
    }
}
