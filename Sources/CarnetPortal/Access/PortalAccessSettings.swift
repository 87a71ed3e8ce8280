package import CarnetCore

extension PortalAccessPage {
    /// The three standing choices as one form (checkboxes: works without JavaScript).
    package static func settings(_ controls: AccessControls, csrf: String, _ l: PortalLanguage) -> HTML {
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
