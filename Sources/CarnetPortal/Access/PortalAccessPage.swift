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
            <p class="hint" id="rpps-\(action)-hint">\(l.t(.digitRppsNumberOnTheProfessionals))</p>
            <input type="text" id="rpps-\(action)" name="rpps" inputmode="numeric" autocomplete="off" value="\(value)"\
             aria-describedby="rpps-\(action)-hint rpps-\(action)-error"\(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
            <div id="rpps-\(action)-error">\(PortalPage.notice(error?.message, error: true))</div>
            <button type="submit">\(label)</button>
            </form>
            """
        }
        let authorised = controls.authorisations.sorted { $0.key < $1.key }.map { rpps, authorisation -> HTML in
            let opposed = controls.careTeamOpposed.contains(rpps)
            let basis = authorisation.basis == .careTeam ? l.t(.careTeam) : l.t(.authorised)
            return "<tr><td>\(PortalPeople.professional(rpps, names, l))</td><td>\(basis)\(opposed ? l.t(.youOpposedIt) : "")</td><td>\(PortalPage.date(authorisation.since, l))</td>"
                + "<td>\(button("revoke", rpps, l.t(.revokeAccess)))</td></tr>"
        }
        let blocked = controls.blocked.sorted { $0.key < $1.key }.map { rpps, since -> HTML in
            "<tr><td>\(PortalPeople.professional(rpps, names, l))</td><td>\(PortalPage.date(since, l))</td><td>\(button("unblock", rpps, l.t(.unblock)))</td></tr>"
        }
        let empty: HTML = "<tr><td colspan=\"4\">\(l.t(.noneText))</td></tr>"
        let treating: HTML = controls.treatingPhysician.map { physician in
            "<p>\(PortalPeople.professional(physician.rpps, names, l)) \(l.t(.since)) \(PortalPage.date(physician.since, l)) \(button("untreat", physician.rpps, l.t(.remove)))</p>"
        } ?? "<p>\(l.t(.noTreatingPhysicianDesignated))</p>"
        let checked = { (on: Bool) -> HTML in on ? " checked" : "" }
        return """
            \(notice ?? "")
            \(finder(search, csrf: csrf, l))
            <h2>\(l.t(.authorisedProfessionals))</h2>
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t(.tableScrollingSideways))"><table><thead><tr><th scope="col">\(l.t(.professional))</th><th scope="col">\(l.t(.access))</th>\
            <th scope="col">\(l.t(.since2))</th><th scope="col"><span class="hint">\(l.t(.action))</span></th></tr></thead>
            <tbody>\(authorised.isEmpty ? [empty] : authorised)</tbody></table></div>
            \(rppsForm("authorize", l.t(.authoriseAProfessional), l.t(.authorise)))
            <h2>\(l.t(.blockedProfessionals))</h2>
            <p class="hint">\(l.t(.aBlockedProfessionalHasNoAccess))</p>
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t(.tableScrollingSideways))"><table><thead><tr><th scope="col">\(l.t(.professional))</th><th scope="col">\(l.t(.since2))</th>\
            <th scope="col"><span class="hint">\(l.t(.action))</span></th></tr></thead>
            <tbody>\(blocked.isEmpty ? [empty] : blocked)</tbody></table></div>
            \(rppsForm("block", l.t(.blockAProfessional), l.t(.block)))
            <h2>\(l.t(.treatingPhysician))</h2>
            \(treating)
            \(rppsForm("treating", l.t(.designateMyTreatingPhysician), l.t(.designate)))
            <h2>\(l.t(.emergencyAccess))</h2>
            <form method="post" action="/portal/patient/access" class="card">\(PortalPage.csrf(csrf))
            <input type="hidden" name="action" value="emergency">
            <fieldset><legend>\(l.t(.allowWhenICannotConsent))</legend>
            <label><input type="checkbox" name="breakTheGlass" value="yes"\(checked(controls.breakTheGlassAllowed))> \(l.t(.aProfessionalsEmergencyAccessBreakThe))</label>
            <label><input type="checkbox" name="regulation" value="yes"\(checked(controls.regulationAllowed))> \(l.t(.accessByTheCentreSamuRegulating))</label>
            </fieldset>
            <button type="submit">\(l.t(.save))</button>
            </form>
            \(settings(controls, csrf: csrf, l))
            <h2>\(l.t(.legalRepresentatives))</h2>
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
                <button type="submit" class="secondary">\(l.t(.choose))</button></form></li>
                """
            }
            results = found.isEmpty
                ? "<p role=\"status\">\(l.t(.noProfessionalInTheDirectoryHas))</p>"
                : "<ul class=\"results\" aria-label=\"\(l.t(.professionalsFound))\">\(items)</ul>"
        } else {
            results = ""
        }
        let chosen: HTML = search.chosen.map { entry in
            "<p class=\"notice\" role=\"status\">\(l.t(.chosen)) <strong>\(entry.displayName)</strong> (\(entry.practice)). \(l.t(.theirRppsNumberIsFilledIn))</p>"
        } ?? ""
        return """
            <form method="post" action="/portal/patient/access" class="card" role="search">\(PortalPage.csrf(csrf))
            <input type="hidden" name="action" value="find">
            <label for="find-name">\(l.t(.findAProfessionalByName))</label>
            <p class="hint" id="find-name-hint">\(l.t(.lastNameFirstNameOrBoth))</p>
            <input type="search" id="find-name" name="name" autocomplete="off" value="\(search.query)" aria-describedby="find-name-hint">
            <button type="submit" class="secondary">\(l.t(.search))</button>
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
                <p class="hint" id="\(field)-ins-hint">\(l.t(.charactersTheNirAndItsKey))</p>
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
                <button type="submit" class="secondary">\(l.t(.remove))</button></form></li>
                """
        }
        let none: HTML = "<li>\(l.t(.noneText))</li>"
        if representing {
            return """
                <ul>\(list.isEmpty ? [none] : list)</ul>
                \(insForm("representative", action: "/portal/patient/representatives", hidden: "<input type=\"hidden\" name=\"action\" value=\"add\">",
                          title: l.t(.addALegalRepresentativeTheirIns), button: l.t(.add)))
                """
        }
        return """
            <ul>\(list.isEmpty ? [none] : list)</ul>
            <p class="hint">\(l.t(.aMinorsLegalRepresentativesAreDeclared))</p>
            <h2>\(l.t(.actForAMinor))</h2>
            \(insForm("represent", action: "/portal/patient/represent", hidden: "",
                      title: l.t(.insOfTheMinorYouLegally),
                      button: l.t(.openTheirRecord)))
            """
    }

    /// The change a submitted form asks for.
    package static func change(from form: PortalAccessForm, _ l: PortalLanguage) throws -> RecordService.AccessChange {
        func rpps() throws -> RPPS {
            guard let text = form.rpps else {
                throw FormError(message: l.t(.giveTheRppsNumberDigits), field: form.action, value: nil)
            }
            do {
                return try RPPS(text.filter { $0 != " " })
            } catch {
                throw FormError(message: l.t(.thisRppsNumberIsNotValid) + PortalMessages.rpps(error, l) + ". "
                                    + l.t(.readItFromTheProfessionalsCard),
                                field: form.action, value: text)
            }
        }
        switch form.action {
        case "authorize": return .authorize(try rpps())
        case "revoke": return .revoke(try rpps())
        case "block": return .block(try rpps())
        case "unblock": return .unblock(try rpps())
        case "treating": return .setTreatingPhysician(try rpps())
        case "untreat": return .setTreatingPhysician(nil)
        case "emergency": return .setEmergencyAccess(breakTheGlass: form.breakTheGlass, regulation: form.regulation)
        default: throw FormError(message: l.t(.unknownAction))
        }
    }
}

/// Audit actions in words, for the patient's history.
package enum PortalHistoryText {
    package static func action(_ action: Action, _ l: PortalLanguage) -> String {
        switch action {
        case .createRecord: l.t(.recordCreated)
        case .readIdentity: l.t(.identityRead)
        case .closeRecord: l.t(.recordClosed)
        case .reopenRecord: l.t(.recordReopened)
        case .deleteRecord: l.t(.recordDeleted)
        case .restoreRecord: l.t(.recordRestored)
        case .changeContact: l.t(.contactChanged)
        case .createDocument: l.t(.documentAdded)
        case .readDocument: l.t(.documentRead)
        case .searchDocuments: l.t(.documentListRead)
        case .changeDocument: l.t(.documentChanged)
        case .maskDocument: l.t(.documentMaskedOrUnmasked)
        case .revealDocumentToPatient: l.t(.documentMadeVisible)
        case .manageAccess: l.t(.accessChanged)
        case .declareConsent: l.t(.consentDeclared)
        case .readAccessControls: l.t(.accessRead)
        case .manageLegalRepresentatives: l.t(.legalRepresentativesChanged)
        case .readAuditTrail: l.t(.historyRead)
        case .importCareHistory: l.t(.claimsImported)
        case .readCareHistory: l.t(.careHistoryRead)
        case .purgeCareHistory: l.t(.oldClaimsPurged)
        case .importDirectory: l.t(.directoryOfProfessionalsLoaded)
        case .writeSummary: l.t(.summaryChanged)
        case .readSummary: l.t(.summaryRead)
        case .readEverything: l.t(.wholeRecordRead)
        case .requestSignInCode: l.t(.signInCodeRequested)
        case .signIn: l.t(.signIn)
        }
    }
}
