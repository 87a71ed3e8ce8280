import CarnetCore
package import CarnetService

/// The patient a professional found: the identity to check, where the professional stands (authorised,
/// not yet, blocked, authorisation withdrawn, record closed) and what they may do next (open the
/// record, declare the patient's consent, declare an emergency with its reason).
package enum PortalPatientFoundPage {
    /// - Parameters:
    ///   - typed: the INS as typed (without spaces), carried on in the forms' bodies.
    ///   - regulator: whether the professional is a Centre 15 regulator, who reads in that mode only.
    ///   - reasonError: said beside the reason field when an emergency was declared without one.
    package static func render(_ check: RecordService.ExistenceCheck, typed text: String, regulator: Bool, reasonError: String?, csrf: String,
                               _ l: PortalLanguage) -> HTML {
        let record = check.record
        let identity = record.identity
        let status: HTML
        var actions: [HTML] = []
        let openForm = { (kind: String, label: String, extra: HTML) -> HTML in
            """
            <form method="post" action="/portal/pro/open" class="card">\(PortalPage.csrf(csrf))
            <input type="hidden" name="record" value="\(record.id.description)"><input type="hidden" name="kind" value="\(kind)">\
            <input type="hidden" name="ins" value="\(text)">
            \(extra)<button type="submit"\(kind == "emergency" ? HTML.trusted(" class=\"danger\"") : "")>\(label)</button></form>
            """
        }
        if record.state != .active {
            status = "<p class=\"error\">\(l.t(.thisRecordIsClosedNoProfessional))</p>"
        } else {
            switch check.access {
            case .blocked?:
                let text = l.t(.thePatientHasBlockedYouYou)
                status = "<p class=\"error\">\(text)</p>"
            case _ where regulator:
                // A regulator reads in Centre 15 mode only, about the person a call is received for.
                let text = l.t(.centreRegulatorDeclareTheCallReceived)
                status = "<p>\(text)</p>"
                actions.append(openForm("emergency", l.t(.declareACentreRegulationAccess), reasonField(l, error: reasonError)))
            case .authorised?, .careTeam?:
                status = "<p>\(l.t(.youAreAuthorisedToReadThis))</p>"
                actions.append(openForm("open", l.t(.openTheRecord), ""))
            case _ where check.revokedByPatient:
                // The patient withdrew this professional's access: only the patient gives it back (the
                // service refuses a declared consent), so the page says so rather than offer one click.
                let text = l.t(.thePatientWithdrewYourAuthorisationTo)
                status = "<p class=\"error\" role=\"status\">\(text)</p>"
                actions.append(openForm("emergency", l.t(.declareAnEmergencyAccess), reasonField(l, error: reasonError)))
            default:
                let text = l.t(.youAreNotAuthorisedYetDeclare)
                status = "<p>\(text)</p>"
                actions.append(openForm("consent", l.t(.thePatientConsentsDeclareIt), ""))
                actions.append(openForm("emergency", l.t(.declareAnEmergencyAccess), reasonField(l, error: reasonError)))
            }
        }
        return """
            <p>\(l.t(.checkThePersonsIdentity)) <strong>\(identity.givenNames.joined(separator: " ")) \(identity.birthFamilyName)</strong>, \
            \(PortalIdentityText.sex(identity.sex, l)), \(l.t(PortalRepresentedRecords.born(identity.sex), "born")) \
            \(PortalRepresentedRecords.birthDate(identity.birthDate, l))</p>
            \(status)
            \(actions)
            """
    }

    /// The emergency's reason: required, shown to the patient in their history.
    static func reasonField(_ l: PortalLanguage, error: String?) -> HTML {
        """
        <label for="reason">\(l.t(.reasonForTheEmergencyRequiredShown))</label>
        <input type="text" id="reason" name="reason" autocomplete="off" aria-describedby="reason-error"\
        \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
        <div id="reason-error">\(PortalPage.notice(error, error: true))</div>
        """
    }
}
