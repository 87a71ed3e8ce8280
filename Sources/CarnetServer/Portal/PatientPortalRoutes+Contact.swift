import CarnetPortal
import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// The holder's contact on the record page: the e-mail address sign-in codes and notifications go
/// to (its card: ``PortalRecordPage``). Whoever sets it can sign in as the holder, so it is the holder's to set (the door decides:
/// a representative acting for a minor is refused), and a change is told to the previous address.
extension PatientPortalRoutes {
    /// Sets the contact from the record page's form, or shows the page again with the message in place.
    func changeContact(_ request: Request, _ context: CarnetRequestContext, _ form: PortalRecordForm) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let typed = form.email ?? ""
        let email: String
        do {
            email = try PatientResource.checkedEmail(typed, at: "email")
        } catch {
            return try await recordPage(request, context, confirmError: nil, reason: nil,
                                        contact: (typed, l.t(.thisEMailAddressIsNot)))
        }
        do {
            _ = try await service.changeContact(of: recordID, email: email, by: session.actor)
        } catch let error as RecordError {
            return try await recordPage(request, context, confirmError: nil, reason: nil, problem: PortalProblemMessages.record(error, l))
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/record", "saved"))
    }
}
