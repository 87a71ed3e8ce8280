package import CarnetCore
package import CarnetService
import Foundation

/// The patient's access controls as a page of forms: authorised professionals (revoke), blocked ones
/// (block by RPPS, unblock), the treating physician, the emergency modes, legal representatives.
package enum PortalAccessPage {
    /// What is wrong with a submitted form; `field` names the RPPS form it came from (its action), whose
    /// field shows the message beside it, marked invalid, with `value` as typed.
    package struct FormError: Error {
        package var message: String
        package var field: String?
        package var value: String?

        package init(message: String, field: String? = nil, value: String? = nil) {
            self.message = message
            self.field = field
            self.value = value
        }
    }

    /// A search of the directory by name (issue 16): what was typed, what it found, and the professional
    /// chosen among the results, whose RPPS then fills the authorise, block and treating-physician forms.
    package struct Search {
        package var query = ""
        package var results: [DirectoryEntry]? = nil
        package var chosen: DirectoryEntry? = nil

        package init(query: String = "", results: [DirectoryEntry]? = nil, chosen: DirectoryEntry? = nil) {
            self.query = query
            self.results = results
            self.chosen = chosen
        }
    }

    /// - Parameters:
    ///   - representing: whether the signed-in person is a legal representative acting for the minor
    ///     whose record this is (they may then add and remove representatives).
    ///   - names: the directory's entries for the professionals the controls name.
    package static func render(_ controls: AccessControls, csrf: String, notice: HTML?, fieldError: FormError? = nil, representing: Bool = false,
                       names: ProfessionalNames = .init(), search: Search = .init(), _ l: PortalLanguage) -> HTML {
        func button(_ action: String, _ rpps: String, _ label: String, style: String = "secondary") -> HTML {
            """
            <form method="post" action="/portal/patient/access" class="inline">\(PortalPage.csrf(csrf))\
            <input type="hidden" name="action" value="\(action)"><input type="hidden" name="rpps" value="\(rpps)">\
            <button type="submit" class="\(style)">\(label)</button></form>
            """
        }
        func rppsForm(_ action: String, _ title: String, _ label: String) -> HTML {
            let error = fieldError?.field == action ? fieldError : nil
            let value = error?.value ?? search.chosen?.rpps.value
            return """
            <form method="post" action="/portal/patient/access" class="card">\(PortalPage.csrf(csrf))
            <input type="hidden" name="action" value="\(action)">
            <label for="rpps-\(action)">\(title)</label>
            <p class="hint" id="rpps-\(action)-hint">\(l.t("Numéro RPPS à 11 chiffres, sur la carte du professionnel ou dans l'annuaire santé.",
                                                            "11-digit RPPS number, on the professional's card or in the health directory."))</p>
            <input type="text" id="rpps-\(action)" name="rpps" inputmode="numeric" autocomplete="off" value="\(value)"\
             aria-describedby="rpps-\(action)-hint rpps-\(action)-error"\(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
            <div id="rpps-\(action)-error">\(PortalPage.notice(error?.message, error: true))</div>
            <button type="submit">\(label)</button>
            </form>
            """
        }
        let authorised = controls.authorisations.sorted { $0.key < $1.key }.map { rpps, authorisation -> HTML in
            let opposed = controls.careTeamOpposed.contains(rpps)
            let basis = authorisation.basis == .careTeam ? l.t("équipe de soins", "care team") : l.t("autorisé", "authorised")
            return "<tr><td>\(PortalPeople.professional(rpps, names, l))</td><td>\(basis)\(opposed ? l.t(" (vous vous y opposez)", " (you opposed it)") : "")</td><td>\(PortalPage.date(authorisation.since, l))</td>"
                + "<td>\(button("revoke", rpps, l.t("Retirer l'accès", "Revoke access")))</td></tr>"
        }
        let blocked = controls.blocked.sorted { $0.key < $1.key }.map { rpps, since -> HTML in
            "<tr><td>\(PortalPeople.professional(rpps, names, l))</td><td>\(PortalPage.date(since, l))</td><td>\(button("unblock", rpps, l.t("Débloquer", "Unblock")))</td></tr>"
        }
        let empty: HTML = "<tr><td colspan=\"4\">\(l.t("Aucun", "None"))</td></tr>"
        let treating: HTML = controls.treatingPhysician.map { physician in
            "<p>\(PortalPeople.professional(physician.rpps, names, l)) \(l.t("depuis le", "since")) \(PortalPage.date(physician.since, l)) \(button("untreat", physician.rpps, l.t("Retirer", "Remove")))</p>"
        } ?? "<p>\(l.t("Aucun médecin traitant désigné.", "No treating physician designated."))</p>"
        let checked = { (on: Bool) -> HTML in on ? " checked" : "" }
        return """
            \(notice ?? "")
            \(finder(search, csrf: csrf, l))
            <h2>\(l.t("Professionnels autorisés", "Authorised professionals"))</h2>
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t("Tableau, défilant horizontalement", "Table, scrolling sideways"))"><table><thead><tr><th scope="col">\(l.t("Professionnel", "Professional"))</th><th scope="col">\(l.t("Accès", "Access"))</th>\
            <th scope="col">\(l.t("Depuis", "Since"))</th><th scope="col"><span class="hint">\(l.t("Action", "Action"))</span></th></tr></thead>
            <tbody>\(authorised.isEmpty ? [empty] : authorised)</tbody></table></div>
            \(rppsForm("authorize", l.t("Autoriser un professionnel", "Authorise a professional"), l.t("Autoriser", "Authorise")))
            <h2>\(l.t("Professionnels bloqués", "Blocked professionals"))</h2>
            <p class="hint">\(l.t("Un professionnel bloqué n'a accès à votre dossier dans aucun cas, même en urgence.",
                                  "A blocked professional has no access to your record in any case, even in an emergency."))</p>
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t("Tableau, défilant horizontalement", "Table, scrolling sideways"))"><table><thead><tr><th scope="col">\(l.t("Professionnel", "Professional"))</th><th scope="col">\(l.t("Depuis", "Since"))</th>\
            <th scope="col"><span class="hint">\(l.t("Action", "Action"))</span></th></tr></thead>
            <tbody>\(blocked.isEmpty ? [empty] : blocked)</tbody></table></div>
            \(rppsForm("block", l.t("Bloquer un professionnel", "Block a professional"), l.t("Bloquer", "Block")))
            <h2>\(l.t("Médecin traitant", "Treating physician"))</h2>
            \(treating)
            \(rppsForm("treating", l.t("Désigner mon médecin traitant", "Designate my treating physician"), l.t("Désigner", "Designate")))
            <h2>\(l.t("Accès en urgence", "Emergency access"))</h2>
            <form method="post" action="/portal/patient/access" class="card">\(PortalPage.csrf(csrf))
            <input type="hidden" name="action" value="emergency">
            <fieldset><legend>\(l.t("Autoriser, si je ne peux pas consentir :", "Allow, when I cannot consent:"))</legend>
            <label><input type="checkbox" name="breakTheGlass" value="yes"\(checked(controls.breakTheGlassAllowed))> \(l.t("l'accès en urgence d'un professionnel (bris de glace)", "a professional's emergency access (break the glass)"))</label>
            <label><input type="checkbox" name="regulation" value="yes"\(checked(controls.regulationAllowed))> \(l.t("l'accès du médecin régulateur du Centre 15 (SAMU)", "access by the Centre 15 (SAMU) regulating physician"))</label>
            </fieldset>
            <button type="submit">\(l.t("Enregistrer", "Save"))</button>
            </form>
            \(settings(controls, csrf: csrf, l))
            <h2>\(l.t("Représentants légaux", "Legal representatives"))</h2>
            \(representatives(controls, csrf: csrf, fieldError: fieldError, representing: representing, l))
            """
    }

    /// The search box of the directory: a name (or an RPPS) typed, the professionals it finds, each
    /// with a button that chooses them — the page comes back with their RPPS in the forms below.
    package static func finder(_ search: Search, csrf: String, _ l: PortalLanguage) -> HTML {
        let results: HTML
        if let found = search.results {
            let items = found.map { entry -> HTML in
                """
                <li><form method="post" action="/portal/patient/access" class="inline">\(PortalPage.csrf(csrf))\
                <input type="hidden" name="action" value="choose"><input type="hidden" name="rpps" value="\(entry.rpps.value)">\
                <input type="hidden" name="name" value="\(search.query)">\
                <span class="person">\(entry.displayName)</span> <span class="hint">\(entry.practice) · RPPS \(entry.rpps.value)</span> \
                <button type="submit" class="secondary">\(l.t("Choisir", "Choose"))</button></form></li>
                """
            }
            results = found.isEmpty
                ? "<p role=\"status\">\(l.t("Aucun professionnel de l'annuaire ne porte ce nom. Vérifiez l'orthographe, ou saisissez son numéro RPPS ci-dessous.", "No professional in the directory has this name. Check the spelling, or type their RPPS number below."))</p>"
                : "<ul class=\"results\" aria-label=\"\(l.t("Professionnels trouvés", "Professionals found"))\">\(items)</ul>"
        } else {
            results = ""
        }
        let chosen: HTML = search.chosen.map { entry in
            "<p class=\"notice\" role=\"status\">\(l.t("Choisi :", "Chosen:")) <strong>\(entry.displayName)</strong> (\(entry.practice)). \(l.t("Son numéro RPPS est repris dans les formulaires ci-dessous : autorisez-le, bloquez-le ou désignez-le comme médecin traitant.", "Their RPPS number is filled in the forms below: authorise, block or designate them as treating physician."))</p>"
        } ?? ""
        return """
            <form method="post" action="/portal/patient/access" class="card" role="search">\(PortalPage.csrf(csrf))
            <input type="hidden" name="action" value="find">
            <label for="find-name">\(l.t("Trouver un professionnel par son nom", "Find a professional by name"))</label>
            <p class="hint" id="find-name-hint">\(l.t("Nom, prénom ou les deux, dans l'annuaire national des professionnels de santé.", "Last name, first name or both, in the national directory of health professionals."))</p>
            <input type="search" id="find-name" name="name" autocomplete="off" value="\(search.query)" aria-describedby="find-name-hint">
            <button type="submit" class="secondary">\(l.t("Rechercher", "Search"))</button>
            </form>
            \(results)\(chosen)
            """
    }

    /// A minor's representatives: a representative acting for the minor adds and removes them; the
    /// holder sees them, and may open the record of a minor they represent.
    package static func representatives(_ controls: AccessControls, csrf: String, fieldError: FormError?, representing: Bool, _ l: PortalLanguage) -> HTML {
        func insForm(_ field: String, action: String, hidden: HTML, title: String, button: String) -> HTML {
            let error = fieldError?.field == field ? fieldError : nil
            return """
                <form method="post" action="\(action)" class="card">\(PortalPage.csrf(csrf))\(hidden)
                <label for="\(field)-ins">\(title)</label>
                <p class="hint" id="\(field)-ins-hint">\(l.t("15 caractères : le NIR et sa clé, lus sur la carte Vitale.", "15 characters: the NIR and its key, from the Vitale card."))</p>
                <input type="text" id="\(field)-ins" name="ins" autocomplete="off" value="\(error?.value)" aria-describedby="\(field)-ins-hint \(field)-ins-error"\
                \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
                <div id="\(field)-ins-error">\(PortalPage.notice(error?.message, error: true))</div>
                <button type="submit">\(button)</button>
                </form>
                """
        }
        let list = controls.legalRepresentatives.sorted().map { ins -> HTML in
            guard representing else { return "<li>INS \(ins)</li>" }
            return """
                <li>INS \(ins) <form method="post" action="/portal/patient/representatives" class="inline">\(PortalPage.csrf(csrf))\
                <input type="hidden" name="action" value="remove"><input type="hidden" name="ins" value="\(ins)">\
                <button type="submit" class="secondary">\(l.t("Retirer", "Remove"))</button></form></li>
                """
        }
        let none: HTML = "<li>\(l.t("Aucun", "None"))</li>"
        if representing {
            return """
                <ul>\(list.isEmpty ? [none] : list)</ul>
                \(insForm("representative", action: "/portal/patient/representatives", hidden: "<input type=\"hidden\" name=\"action\" value=\"add\">",
                          title: l.t("Ajouter un représentant légal (son INS)", "Add a legal representative (their INS)"), button: l.t("Ajouter", "Add")))
                """
        }
        return """
            <ul>\(list.isEmpty ? [none] : list)</ul>
            <p class="hint">\(l.t("Les représentants légaux d'un mineur sont déclarés auprès de l'Assurance Maladie, ou par un autre représentant.",
                                  "A minor's legal representatives are declared to the health insurer, or by another representative."))</p>
            <h2>\(l.t("Agir pour un mineur", "Act for a minor"))</h2>
            \(insForm("represent", action: "/portal/patient/represent", hidden: "",
                      title: l.t("INS du mineur dont vous êtes le représentant légal", "INS of the minor you legally represent"),
                      button: l.t("Ouvrir son dossier", "Open their record")))
            """
    }

    /// The change a submitted form asks for.
    package static func change(from form: PortalForm, _ l: PortalLanguage) throws -> RecordService.AccessChange {
        func rpps() throws -> RPPS {
            guard let text = form["rpps"] else {
                throw FormError(message: l.t("Indiquez le numéro RPPS (11 chiffres).", "Give the RPPS number (11 digits)."), field: form["action"], value: nil)
            }
            do {
                return try RPPS(text.filter { $0 != " " })
            } catch {
                throw FormError(message: l.t("Ce numéro RPPS n'est pas valide : ", "This RPPS number is not valid: ") + PortalMessages.rpps(error, l) + ". "
                                    + l.t("Lisez-le sur la carte du professionnel ou dans l'annuaire santé.", "Read it from the professional's card or the health directory."),
                                field: form["action"], value: text)
            }
        }
        switch form["action"] {
        case "authorize": return .authorize(try rpps())
        case "revoke": return .revoke(try rpps())
        case "block": return .block(try rpps())
        case "unblock": return .unblock(try rpps())
        case "treating": return .setTreatingPhysician(try rpps())
        case "untreat": return .setTreatingPhysician(nil)
        case "emergency": return .setEmergencyAccess(breakTheGlass: form["breakTheGlass"] == "yes", regulation: form["regulation"] == "yes")
        default: throw FormError(message: l.t("Action inconnue.", "Unknown action."))
        }
    }
}

/// Audit actions in words, for the patient's history.
package enum PortalHistoryText {
    package static func action(_ action: Action, _ l: PortalLanguage) -> String {
        switch action {
        case .createRecord: l.t("création du dossier", "record created")
        case .readIdentity: l.t("consultation de l'identité", "identity read")
        case .closeRecord: l.t("fermeture du dossier", "record closed")
        case .reopenRecord: l.t("réouverture du dossier", "record reopened")
        case .deleteRecord: l.t("suppression du dossier", "record deleted")
        case .restoreRecord: l.t("restauration du dossier", "record restored")
        case .changeContact: l.t("changement de l'adresse de contact", "contact changed")
        case .createDocument: l.t("ajout d'un document", "document added")
        case .readDocument: l.t("consultation d'un document", "document read")
        case .searchDocuments: l.t("consultation de la liste des documents", "document list read")
        case .changeDocument: l.t("modification d'un document", "document changed")
        case .maskDocument: l.t("masquage ou démasquage d'un document", "document masked or unmasked")
        case .revealDocumentToPatient: l.t("document rendu visible", "document made visible")
        case .manageAccess: l.t("modification des accès", "access changed")
        case .declareConsent: l.t("déclaration de votre consentement", "consent declared")
        case .readAccessControls: l.t("consultation des accès", "access read")
        case .manageLegalRepresentatives: l.t("représentants légaux modifiés", "legal representatives changed")
        case .readAuditTrail: l.t("consultation de l'historique", "history read")
        case .importCareHistory: l.t("import des remboursements", "claims imported")
        case .readCareHistory: l.t("consultation des remboursements", "care history read")
        case .purgeCareHistory: l.t("purge des remboursements anciens", "old claims purged")
        case .importDirectory: l.t("chargement de l'annuaire des professionnels", "directory of professionals loaded")
        case .writeSummary: l.t("modification de la synthèse", "summary changed")
        case .readSummary: l.t("consultation de la synthèse", "summary read")
        case .readEverything: l.t("consultation de tout le dossier", "whole record read")
        case .requestSignInCode: l.t("demande de code de connexion", "sign-in code requested")
        case .signIn: l.t("connexion", "sign-in")
        }
    }
}
