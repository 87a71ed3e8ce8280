package import CarnetCore

extension PortalAccessPage {
    /// The three standing choices as one form (checkboxes: works without JavaScript).
    package static func settings(_ controls: AccessControls, csrf: String, _ l: PortalLanguage) -> HTML {
        let checked = { (on: Bool) -> HTML in on ? " checked" : "" }
        return """
            <h2 id="my-choices">\(l.t(.myChoices))</h2>
            <form method="post" action="/portal/patient/settings" class="card" aria-labelledby="my-choices">\(PortalPage.csrf(csrf))
            <label><input type="checkbox" name="hideDocuments" value="yes"\(checked(controls.documentsHiddenFromProfessionals))> \
            \(l.t(.hideAllMyDocumentsAndMy))</label>
            <label><input type="checkbox" name="opposeFeeding" value="yes"\(checked(controls.feedingOpposed ?? false))> \
            \(l.t(.opposeProfessionalsAddingDocumentsToMy))</label>
            <label><input type="checkbox" name="notifyNewDocuments" value="yes"\(checked(controls.notifyNewDocuments ?? false))> \
            \(l.t(.beToldOfEachNewDocument))</label>
            <button type="submit">\(l.t(.saveMyChoices))</button>
            </form>
            """
    }
}
