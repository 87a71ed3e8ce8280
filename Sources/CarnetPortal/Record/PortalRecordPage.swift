package import CarnetCore

/// The patient's record page: its state and what can be done (close it, with a confirmation box and
/// an optional reason, or reopen it), and the holder's contact address.
package struct PortalRecordPage {
    package var record: HealthRecord
    package var csrf: String
    /// Why closing was refused (the confirmation box not ticked), said beside the box.
    package var confirmError: String?
    /// The reason as typed when closing was refused.
    package var reason: String?
    /// Why a change was refused (the record already in that state, changed meanwhile), said atop the page.
    package var problem: String?
    /// The confirmation of a change the page was redirected with, when there is no problem.
    package var confirmation: HTML = ""
    /// Whether the holder's contact card is shown: a representative acting for a minor does not set it.
    package var showsContact = true
    /// The address as typed and why it was refused, said beside the contact field.
    package var contact: (typed: String, error: String)?

    package init(record: HealthRecord, csrf: String) {
        self.record = record
        self.csrf = csrf
    }

    package func render(_ l: PortalLanguage) -> HTML {
        var body: HTML
        if record.state == .active {
            body = """
                <p>\(l.t(.yourRecordIsOpen))</p>
                <form method="post" action="/portal/patient/record" class="card" data-confirm="\(l.t(.closeYourRecord))">
                \(PortalPage.csrf(csrf))<input type="hidden" name="action" value="close">
                <h2>\(l.t(.closeMyRecord))</h2>
                <p>\(l.t(.onceClosedNoProfessionalCanAccess))</p>
                <label for="reason">\(l.t(.reasonOptional))</label>
                <input type="text" id="reason" name="reason" value="\(reason)">
                <label><input type="checkbox" id="confirm" name="confirm" value="yes" aria-describedby="confirm-error"\
                \(confirmError == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))> \(l.t(.iUnderstandTheConsequences))</label>
                <div id="confirm-error">\(PortalPage.notice(confirmError, error: true))</div>
                <button type="submit" class="danger">\(l.t(.closeMyRecord))</button>
                </form>
                """
        } else {
            body = """
                <p>\(l.t(.yourRecordHasBeenClosedSince)) \(PortalPage.date(record.stateChangedAt, l)).</p>
                <form method="post" action="/portal/patient/record" class="card">
                \(PortalPage.csrf(csrf))<input type="hidden" name="action" value="reopen">
                <button type="submit">\(l.t(.reopenMyRecord))</button>
                </form>
                """
        }
        if showsContact {
            body = body + contactCard(l)
        }
        if let problem { return PortalPage.notice(problem, error: true) + body }
        return confirmation + body
    }

    /// The holder's contact: the e-mail address sign-in codes and notifications go to; `contact` when a
    /// change was refused, said beside the field.
    func contactCard(_ l: PortalLanguage) -> HTML {
        let error = contact?.error
        return """
        <form method="post" action="/portal/patient/record" class="card">
        \(PortalPage.csrf(csrf))<input type="hidden" name="action" value="contact">
        <h2>\(l.t(.contactAddress))</h2>
        <p>\(l.t(.yourSignInCodesAndAlerts))</p>
        <label for="email">\(l.t(.eMailAddress))</label>
        <input type="email" id="email" name="email" autocomplete="email" value="\(contact?.typed ?? record.identity.email ?? "")" aria-describedby="email-error"\
        \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
        <div id="email-error">\(PortalPage.notice(error, error: true))</div>
        <button type="submit">\(l.t(.saveTheAddress))</button>
        </form>
        """
    }
}
