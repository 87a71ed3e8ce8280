import CarnetPortal
import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// The holder's contact on the record page: the e-mail address sign-in codes and notifications go
/// to. Whoever sets it can sign in as the holder, so it is the holder's to set (the door decides:
/// a representative acting for a minor is refused), and a change is told to the previous address.
extension PatientPortalRoutes {
    /// The contact card; `typed` and `error` when a change was refused, said beside the field.
    func contactCard(_ record: HealthRecord, csrf: String, typed: String?, error: String?, _ l: PortalLanguage) -> HTML {
        """
        <form method="post" action="/portal/patient/record" class="card">
        \(PortalPage.csrf(csrf))<input type="hidden" name="action" value="contact">
        <h2>\(l.t(.contactAddress))</h2>
        <p>\(l.t(.yourSignInCodesAndAlerts))</p>
        <label for="email">\(l.t(.eMailAddress))</label>
        <input type="email" id="email" name="email" autocomplete="email" value="\(typed ?? record.identity.email ?? "")" aria-describedby="email-error"\
        \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
        <div id="email-error">\(PortalPage.notice(error, error: true))</div>
        <button type="submit">\(l.t(.saveTheAddress))</button>
        </form>
        """
    }

    /// Sets the contact from the record page's form, or shows the page again with the message in place.
    func changeContact(_ request: Request, _ context: CarnetRequestContext, _ form: PortalForm) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let typed = form["email"] ?? ""
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
