import CarnetPortal
import CarnetCore
import CarnetService
import Foundation
import Hummingbird

/// The patient deletes a document they added (their own section), after a confirmation step: the
/// first post only asks, the second (`confirm=yes`) deletes through ``RecordService/changeDocument(_:_:by:)``
/// — a logical delete kept for the retention period, audited like the API's `DELETE`.
extension PatientPortalRoutes {
    @Sendable func deleteDocument(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, _) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalConfirmForm.self, request, expectedToken: session.csrfToken)
        let id = try documentID(context)
        let entry = try await service.readDocument(id, by: session.actor)
        let holderINS = try await service.readRecord(entry.recordID, by: session.actor).ins.value
        let back = "/portal/patient/documents/\(id)"
        guard PortalDocumentTypes.addedByPatientSide(entry, holderINS: holderINS, reader: session.actor) else {
            // A professional's document is not the patient's to delete from the portal; masking is.
            let body = PortalPatientDocumentPage.cannotDelete(l.t(.youMayDeleteOnlyTheDocuments), back: back, backLabel: .backToTheDocument, l)
            return page(request, context, .cannotDelete, path: "/portal/patient/documents", body, status: .forbidden)
        }
        guard form.confirmed else {
            return PortalConfirmation.ask(request, session: session, action: "/portal/patient/documents/\(id)/delete", fields: [:],
                                          what: entry.title ?? l.t(.thisDocument), back: back, l)
        }
        do {
            _ = try await service.changeDocument(id, .delete, by: session.actor)
        } catch let error as DocumentError {
            let body = PortalPatientDocumentPage.cannotDelete(PortalProblemMessages.document(error, l), back: "/portal/patient/documents", backLabel: .myDocuments, l)
            return page(request, context, .cannotDelete, path: "/portal/patient/documents", body, status: .conflict)
        } catch let error as RecordError {
            let body = PortalPatientDocumentPage.cannotDelete(PortalProblemMessages.record(error, l), back: "/portal/patient/documents", backLabel: .myDocuments, l)
            return page(request, context, .cannotDelete, path: "/portal/patient/documents", body, status: .conflict)
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/documents", "deleted"))
    }
}
