import CarnetPortal
import CarnetCore
import CarnetService
import Foundation
import Hummingbird

/// The patient's standing choices, on the access page: hide all documents from professionals (even
/// in an emergency; the summary too), oppose professionals adding documents (feeding), and be told
/// of each new document. The choices that changed are one change (``RecordService/changeAccess(of:_:by:)``
/// with the list): one new version of the controls and one audit event naming each, or nothing when
/// one is refused; each decided as the API's `$hide-documents`, `$feeding`, `$notification-preferences`.
extension PatientPortalRoutes {
    @Sendable func changeSettings(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalSettingsForm.self, request, expectedToken: session.csrfToken)
        let (_, controls) = try await service.accessControls(of: recordID, by: session.actor)
        var changes: [RecordService.AccessChange] = []
        let hidden = form.hideDocuments
        if hidden != controls.documentsHiddenFromProfessionals { changes.append(.hideDocumentsFromProfessionals(hidden)) }
        let feedingAllowed = !form.opposeFeeding
        if feedingAllowed != !(controls.feedingOpposed ?? false) { changes.append(.allowFeeding(feedingAllowed)) }
        let notify = form.notifyNewDocuments
        if notify != (controls.notifyNewDocuments ?? false) { changes.append(.notifyNewDocuments(notify)) }
        do {
            if !changes.isEmpty { _ = try await service.changeAccess(of: recordID, changes, by: session.actor) }
        } catch let error as RecordError {
            return try await accessPage(request, context, notice: PortalPage.notice(PortalProblemMessages.record(error, l), error: true), status: .conflict)
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/access", "settings"))
    }
}
