import CarnetCore
import CarnetService
import Foundation
import Hummingbird

/// The patient's standing choices, on the access page: hide all documents from professionals (even
/// in an emergency; the summary too), oppose professionals adding documents (feeding), and be told
/// of each new document. Each choice that changed is one ``RecordService/changeAccess(of:_:by:)``
/// call, decided and audited as the API's `$hide-documents`, `$feeding`, `$notification-preferences`.
extension PatientPortalRoutes {
    @Sendable func changeSettings(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(request, expectedToken: session.csrfToken)
        let (_, controls) = try await service.accessControls(of: recordID, by: session.actor)
        var changes: [RecordService.AccessChange] = []
        let hidden = form["hideDocuments"] == "yes"
        if hidden != controls.documentsHiddenFromProfessionals { changes.append(.hideDocumentsFromProfessionals(hidden)) }
        let feedingAllowed = form["opposeFeeding"] != "yes"
        if feedingAllowed != !(controls.feedingOpposed ?? false) { changes.append(.allowFeeding(feedingAllowed)) }
        let notify = form["notifyNewDocuments"] == "yes"
        if notify != (controls.notifyNewDocuments ?? false) { changes.append(.notifyNewDocuments(notify)) }
        do {
            for change in changes { _ = try await service.changeAccess(of: recordID, change, by: session.actor) }
        } catch let error as RecordError {
            return try await accessPage(request, context, notice: PortalPage.notice(PortalProblemMessages.record(error, l), error: true), status: .conflict)
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/access", "settings"))
    }
}

extension PortalAccessPage {
    /// The three standing choices as one form (checkboxes: works without JavaScript).
    static func settings(_ controls: AccessControls, csrf: String, _ l: PortalLanguage) -> HTML {
        let checked = { (on: Bool) -> HTML in on ? " checked" : "" }
        return """
            <h2 id="my-choices">\(l.t("Mes choix", "My choices"))</h2>
            <form method="post" action="/portal/patient/settings" class="card" aria-labelledby="my-choices">\(PortalPage.csrf(csrf))
            <label><input type="checkbox" name="hideDocuments" value="yes"\(checked(controls.documentsHiddenFromProfessionals))> \
            \(l.t("Masquer tous mes documents et ma synthèse à tous les professionnels, même en urgence",
                  "Hide all my documents and my summary from every professional, even in an emergency"))</label>
            <label><input type="checkbox" name="opposeFeeding" value="yes"\(checked(controls.feedingOpposed ?? false))> \
            \(l.t("M'opposer à ce que les professionnels ajoutent des documents à mon dossier",
                  "Oppose professionals adding documents to my record"))</label>
            <label><input type="checkbox" name="notifyNewDocuments" value="yes"\(checked(controls.notifyNewDocuments ?? false))> \
            \(l.t("Être prévenu(e) à chaque nouveau document", "Be told of each new document"))</label>
            <button type="submit">\(l.t("Enregistrer mes choix", "Save my choices"))</button>
            </form>
            """
    }
}
