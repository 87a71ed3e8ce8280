import CarnetPortal
import CarnetCore
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird

/// The professional web access: find a patient by INS (checked as typed, checked again here), see
/// where one stands (authorised, not yet, blocked, record closed) and why, declare the patient's
/// consent or an emergency with its reason, then read what the policy allows and add a document.
/// The INS travels in form bodies only, never in a URL.
struct ProfessionalPortalRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration
    let sessions: PortalSessions

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("pro", use: findPage)
        group.post("pro/find", use: find)
        group.post("pro/open", use: open)
        group.get("pro/patient", use: patient)
        group.post("pro/patient/search", use: searchPatient)
        group.get("pro/documents/:id", use: document)
        group.get("pro/documents/:id/content", use: content)
        group.post("pro/upload", use: upload)
    }

    func signedIn(_ context: CarnetRequestContext) throws -> PortalSessions.Session {
        guard let session = context.portalSession, session.actor.professional != nil else { throw PortalError.signedOut(professional: true) }
        return session
    }

    func page(_ request: Request, _ context: CarnetRequestContext, _ title: PortalMessage, path: String, _ body: HTML,
              status: HTTPResponse.Status = .ok, session: PortalSessions.Session? = nil) -> Response {
        let l = PortalLanguage.from(request)
        return PortalPage(title: l.t(title), language: l, session: session ?? context.portalSession, path: path, body: body).response(status: status)
    }

    @Sendable func findPage(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        _ = try signedIn(context)
        return try await findForm(request, context, error: nil, value: nil)
    }

    func findForm(_ request: Request, _ context: CarnetRequestContext, error: String?, value: String?) async throws -> Response {
        let session = try signedIn(context)
        let l = PortalLanguage.from(request)
        let body: HTML = """
            <form method="post" action="/portal/pro/find" class="card" novalidate>
            \(PortalPage.csrf(session.csrfToken))
            <label for="ins">\(l.t(.patientsIns))</label>
            \(PortalINS.field(value: value, error: error, hint: l.t(.charactersTheNirAndItsKey2), l))
            <button type="submit">\(l.t(.find))</button>
            </form>
            """
        return page(request, context, .findAPatient, path: "/portal/pro", body, status: error == nil ? .ok : .badRequest)
    }

    @Sendable func find(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var session = try signedIn(context)
        let form = try await PortalForm.read(request, expectedToken: session.csrfToken)
        // A new search leaves the record opened before, and any emergency declared for it: the next
        // patient is found in normal mode and needs a declaration of their own.
        session.patient = nil
        session.emergency = nil
        try await sessions.update(session)
        return try await found(request, context, session, ins: form["ins"] ?? "", reasonError: nil)
    }

    /// Where the professional stands with the patient of `ins` and what they may do next; `reasonError`
    /// is said beside the reason field when an emergency was declared without one.
    func found(_ request: Request, _ context: CarnetRequestContext, _ session: PortalSessions.Session, ins typed: String,
               reasonError: String?) async throws -> Response {
        let l = PortalLanguage.from(request)
        let text = typed.filter { $0 != " " }
        let candidates: [INS]
        do {
            candidates = try PortalINS.candidates(text, keyChecking: configuration.insKeyChecking)
        } catch {
            return try await findForm(request, context, error: l.t(.thisInsIsNotValid) + PortalMessages.ins(error, l) + ".",
                                       value: text)
        }
        var check: RecordService.ExistenceCheck?
        for ins in candidates where check == nil {
            check = try await service.checkExistence(ins: ins, by: session.actor)
        }
        guard let check else {
            return try await findForm(request, context, error: l.t(.noRecordExistsForThisIns), value: text)
        }
        let record = check.record
        let identity = record.identity
        let status: HTML
        var actions: [HTML] = []
        let openForm = { (kind: String, label: String, extra: HTML) -> HTML in
            """
            <form method="post" action="/portal/pro/open" class="card">\(PortalPage.csrf(session.csrfToken))
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
            case _ where session.actor.kind == .regulator:
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
        let body: HTML = """
            <p>\(l.t(.checkThePersonsIdentity)) <strong>\(identity.givenNames.joined(separator: " ")) \(identity.birthFamilyName)</strong>, \
            \(PortalIdentityText.sex(identity.sex, l)), \(l.t(PortalRepresentedRecords.born(identity.sex), "born")) \
            \(PortalRepresentedRecords.birthDate(identity.birthDate, l))</p>
            \(status)
            \(actions)
            """
        return page(request, context, .patientFound, path: "/portal/pro", body, status: reasonError == nil ? .ok : .badRequest,
                    session: session)
    }

    /// The emergency's reason: required, shown to the patient in their history.
    func reasonField(_ l: PortalLanguage, error: String?) -> HTML {
        """
        <label for="reason">\(l.t(.reasonForTheEmergencyRequiredShown))</label>
        <input type="text" id="reason" name="reason" autocomplete="off" aria-describedby="reason-error"\
        \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
        <div id="reason-error">\(PortalPage.notice(error, error: true))</div>
        """
    }

    @Sendable func open(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var session = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(request, expectedToken: session.csrfToken)
        guard let text = form["record"], let recordID = RecordID(text) else { throw AccessError.notFound }
        // Whatever was declared before held for the record it was declared for, not this one.
        session.emergency = nil
        switch form["kind"] {
        case "consent":
            _ = try await service.declareConsent(on: recordID, careTeam: false, by: session.actor)
        case "emergency":
            guard let reason = form["reason"], reason.count >= 3 else {
                let error = l.t(.giveTheReasonForTheEmergency)
                guard let ins = form["ins"] else {
                    let body: HTML = "\(PortalPage.notice(error, error: true))<p><a href=\"/portal/pro\">\(l.t(.backToTheSearch))</a></p>"
                    return page(request, context, .emergencyAccess, path: "/portal/pro", body, status: .badRequest)
                }
                // Said on the patient's page, beside the reason field; nothing is open meanwhile.
                session.patient = nil
                try await sessions.update(session)
                return try await found(request, context, session, ins: ins, reasonError: error)
            }
            session.emergency = PortalEmergency(record: recordID, mode: session.actor.kind == .regulator ? .centre15 : .breakTheGlass, reason: reason)
        default:
            break
        }
        // Opening a record starts a visit: the professional's last read of it before now is what it opens on (issue 18).
        session.visit = PortalVisit(record: recordID, previous: try await service.previousAccess(to: recordID, by: session.actor))
        session.patient = recordID
        try await sessions.update(session)
        return PortalPage.redirect("/portal/pro/patient")
    }

    @Sendable func patient(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        try await patientPage(request, context, words: nil)
    }

    /// The opened record: its documents — what is new since the professional's last visit first, then
    /// the rest, or what a search inside them found — its summary, and the upload form.
    func patientPage(_ request: Request, _ context: CarnetRequestContext, words: String?) async throws -> Response {
        let session = try signedIn(context)
        guard let recordID = session.patient else { throw PortalError.noPatientOpened }
        let l = PortalLanguage.from(request)
        let actor = session.actor(on: recordID)
        let documents = try await PortalRecordDocuments.find(service, recordID, by: actor, lastAccess: session.lastAccess(on: recordID),
                                                             words: words, l)
        let summary = try await service.patientSummary(of: recordID, by: actor)
        let names = try await service.professionals(PortalPeople.rpps(of: documents.all) + PortalDuplicates.rpps(of: documents.all)
                                                    + summary.items.map(\.authorID))
        let identity = summary.record.identity
        let name = "\(identity.givenNames.first ?? "") \(identity.birthFamilyName)"
        let body: HTML = """
            \(PortalConfirmation.notice(request, l))
            <p>\(name) — \(PortalIdentityText.sex(identity.sex, l)), \(l.t(PortalRepresentedRecords.born(identity.sex), "born")) \
            \(PortalRepresentedRecords.birthDate(identity.birthDate, l))</p>
            \(PortalRecordDocuments.searchForm(action: "/portal/pro/patient/search", csrf: session.csrfToken, words: words,
                                                error: documents.wordsError, l))
            \(documents.render(names: names, link: "/portal/pro/documents/", visitWord: .visit, reader: session.actor,
                               holderINS: summary.record.ins.value, l))
            <h2>\(l.t(.summary))</h2>
            \(PortalSummaryText.sections(summary.items, directives: summary.directiveDocuments,
                                         for: .init(actor: session.actor, holderINS: summary.record.ins.value, names: names), l,
                                         documentLink: "/portal/pro/documents/"))
            \(actor.accessMode == .normal
                ? PortalUpload.form(action: "/portal/pro/upload", csrf: session.csrfToken, l, heading: l.t(.addADocument)) : "")
            """
        return page(request, context, .patientsRecord, path: "/portal/pro/patient", body,
                    status: documents.wordsError == nil ? .ok : .badRequest)
    }

    /// A search inside the opened record's documents: the words come in the form body, never in a URL.
    @Sendable func searchPatient(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let session = try signedIn(context)
        let form = try await PortalForm.read(request, expectedToken: session.csrfToken)
        return try await patientPage(request, context, words: form["words"] ?? "")
    }

    @Sendable func upload(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let session = try signedIn(context)
        guard let recordID = session.patient else { throw PortalError.noPatientOpened }
        return try await PortalUpload.handle(request, context, session: session, recordID: recordID, service: service, configuration: configuration,
                                             documentPath: "/portal/pro/documents/", back: "/portal/pro/patient")
    }

    @Sendable func document(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let session = try signedIn(context)
        guard let recordID = session.patient else { throw PortalError.noPatientOpened }
        let l = PortalLanguage.from(request)
        let actor = session.actor(on: recordID)
        let (entry, data) = try await service.documentContent(try documentID(context), in: recordID, by: actor)
        let names = try await service.professionals(PortalPeople.rpps(of: [entry]))
        let warning: HTML = entry.visibility.invisibleToPatient
            ? PortalPage.notice(l.t(.thePatientCannotSeeThisDocument))
            : ""
        let body: HTML = """
            \(warning)
            <p>\(PortalDocumentTypes.label(entry.type.code, l)) — \(PortalPage.date(entry.date, l)) — \(PortalPeople.author(entry, names, l))</p>
            \(PortalDocumentView.render(entry, data, contentURL: "/portal/pro/documents/\(entry.id.description)/content", l))
            <p><a href="/portal/pro/patient">\(l.t(.backToTheRecord))</a></p>
            \(entry.submitterID == actor.identifier && actor.accessMode == .normal
                ? PortalUpload.form(action: "/portal/pro/upload", csrf: session.csrfToken, l, heading: l.t(.replaceThisDocument),
                                    preselected: entry.type.code, replaces: entry.id, prefill: entry) : "")
            """
        return page(request, context, .documentTitle(entry.title ?? "Document"), path: "/portal/pro/patient", body)
    }

    @Sendable func content(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let session = try signedIn(context)
        guard let recordID = session.patient else { throw PortalError.noPatientOpened }
        let (entry, data) = try await service.documentContent(try documentID(context), in: recordID, by: session.actor(on: recordID))
        return PortalDocumentView.contentResponse(entry, data, embedded: request.uri.queryParameters["embedded"].map(String.init))
    }

    func documentID(_ context: CarnetRequestContext) throws -> DocumentID {
        try context.pathID()
    }
}
