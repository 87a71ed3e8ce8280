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
        let body = PortalFindPatientPage.render(csrf: session.csrfToken, value: value, error: error, l)
        return page(request, context, .findAPatient, path: "/portal/pro", body, status: error == nil ? .ok : .badRequest)
    }

    @Sendable func find(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var session = try signedIn(context)
        let form = try await PortalForm.read(PortalProfessionalForms.Find.self, request, expectedToken: session.csrfToken)
        // A new search leaves the record opened before, and any emergency declared for it: the next
        // patient is found in normal mode and needs a declaration of their own.
        session.patient = nil
        session.emergency = nil
        try await sessions.update(session)
        return try await found(request, context, session, ins: form.ins ?? "", reasonError: nil)
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
        let body = PortalPatientFoundPage.render(check, typed: text, regulator: session.actor.kind == .regulator, reasonError: reasonError,
                                                 csrf: session.csrfToken, l)
        return page(request, context, .patientFound, path: "/portal/pro", body, status: reasonError == nil ? .ok : .badRequest,
                    session: session)
    }

    @Sendable func open(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var session = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalProfessionalForms.Open.self, request, expectedToken: session.csrfToken)
        guard let text = form.record, let recordID = RecordID(text) else { throw AccessError.notFound }
        // Whatever was declared before held for the record it was declared for, not this one.
        session.emergency = nil
        switch form.kind {
        case "consent":
            _ = try await service.declareConsent(on: recordID, careTeam: false, by: session.actor)
        case "emergency":
            guard let reason = form.reason, reason.count >= 3 else {
                let error = l.t(.giveTheReasonForTheEmergency)
                guard let ins = form.ins else {
                    let body = PortalFindPatientPage.reasonMissing(error, l)
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
        let body = PortalProfessionalRecordPage.render(documents, summary: summary, names: names, reader: session.actor, words: words,
                                                       mayAdd: actor.accessMode == .normal, csrf: session.csrfToken,
                                                       confirmation: PortalConfirmation.notice(request, l), l)
        return page(request, context, .patientsRecord, path: "/portal/pro/patient", body,
                    status: documents.wordsError == nil ? .ok : .badRequest)
    }

    /// A search inside the opened record's documents: the words come in the form body, never in a URL.
    @Sendable func searchPatient(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let session = try signedIn(context)
        let form = try await PortalForm.read(PortalProfessionalForms.Search.self, request, expectedToken: session.csrfToken)
        return try await patientPage(request, context, words: form.words ?? "")
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
        let body = PortalProfessionalRecordPage.document(entry, data, names: names,
                                                         mayReplace: entry.submitterID == actor.identifier && actor.accessMode == .normal,
                                                         csrf: session.csrfToken, l)
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
