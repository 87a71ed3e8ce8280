/// The professional's search for a patient, by INS only (typed, checked as typed): the INS travels in
/// the form body, never in a URL.
package enum PortalFindPatientPage {
    /// - Parameters:
    ///   - value: the INS as typed, when it was refused; `error` says why, beside the field.
    package static func render(csrf: String, value: String?, error: String?, _ l: PortalLanguage) -> HTML {
        """
        <form method="post" action="/portal/pro/find" class="card" novalidate>
        \(PortalPage.csrf(csrf))
        <label for="ins">\(l.t(.patientsIns))</label>
        \(PortalINS.field(value: value, error: error, hint: l.t(.charactersTheNirAndItsKey2), l))
        <button type="submit">\(l.t(.find))</button>
        </form>
        """
    }

    /// An emergency declared without its reason from a form that lost the patient's INS: said, with
    /// the way back to the search.
    package static func reasonMissing(_ error: String, _ l: PortalLanguage) -> HTML {
        "\(PortalPage.notice(error, error: true))<p><a href=\"/portal/pro\">\(l.t(.backToTheSearch))</a></p>"
    }
}
