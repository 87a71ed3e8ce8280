import CarnetPortal
import CarnetCore
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird

/// A minor's legal representative acting for the minor (DOMAIN.md, Minors): signed in as
/// themselves, they open the minor's record in one click from the list on their home page
/// (``PortalRepresentedRecords``), or by its INS — found only if the policy says they represent the
/// minor, otherwise answered as no record — and every page then works on that record
/// with the representative as the actor the policy decides for and the audit names. From the
/// access page they add or remove a representative (`RecordService.changeLegalRepresentative`).
extension PatientPortalRoutes {
    @Sendable func represent(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var (session, _) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalRepresentationForms.Represent.self, request, expectedToken: session.csrfToken)
        if let chosen = form.record {
            return try await representListed(chosen, session: session)
        }
        let typed = form.ins ?? ""
        let fail = { (message: String) in
            try await accessPage(request, context, notice: nil, fieldError: PortalAccessPage.FormError(message: message, field: "represent", value: typed),
                                 status: .badRequest)
        }
        let candidates: [INS]
        do {
            candidates = try PortalINS.candidates(typed, keyChecking: configuration.insKeyChecking)
        } catch {
            return try await fail(l.t(.thisInsIsNotValid) + PortalMessages.ins(error, l) + ".")
        }
        var minor: HealthRecord?
        for ins in candidates where minor == nil {
            minor = try await service.findRecord(ins: ins, by: session.actor)
        }
        guard let minor, case .patient(let own) = session.actor.role, minor.ins.value != own.value else {
            return try await fail(l.t(.noRecordOfAMinorYou))
        }
        session.patient = minor.id
        session.represented = PortalRepresentedRecords.displayName(minor.identity)
        try await sessions.update(session)
        return PortalPage.redirect("/portal/patient")
    }

    /// Opens a minor's record chosen from the home page's list: only a record the service lists for
    /// this person (the policy decided it) opens; any other id is answered as not found.
    func representListed(_ chosen: String, session: PortalSessions.Session) async throws -> Response {
        var session = session
        guard let id = RecordID(chosen), let minor = try await service.representedRecords(by: session.actor).first(where: { $0.id == id }) else {
            throw AccessError.notFound
        }
        session.patient = minor.id
        session.represented = PortalRepresentedRecords.displayName(minor.identity)
        try await sessions.update(session)
        return PortalPage.redirect("/portal/patient")
    }

    /// Back to the representative's own record.
    @Sendable func representNoLonger(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var (session, _) = try signedIn(context)
        _ = try await PortalForm.read(PortalConfirmForm.self, request, expectedToken: session.csrfToken)
        guard case .patient(let own) = session.actor.role, let record = try await service.findRecord(ins: own, by: session.actor) else {
            throw PortalError.signedOut(professional: false)
        }
        session.patient = record.id
        session.represented = nil
        try await sessions.update(session)
        return PortalPage.redirect("/portal/patient")
    }

    /// Adds or removes a legal representative of the minor whose record is open (by INS).
    @Sendable func changeRepresentatives(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalRepresentationForms.Representatives.self, request, expectedToken: session.csrfToken)
        let add = !form.remove
        let typed = form.ins ?? ""
        let representative: INS
        do {
            // Representatives are kept by their INS value: the number as typed, its key checked.
            representative = try PortalINS.candidates(typed, keyChecking: configuration.insKeyChecking)[0]
        } catch {
            return try await accessPage(request, context, notice: nil, fieldError: PortalAccessPage.FormError(
                message: l.t(.thisInsIsNotValid) + PortalMessages.ins(error, l) + ".",
                field: "representative", value: typed), status: .badRequest)
        }
        do {
            _ = try await service.changeLegalRepresentative(of: recordID, representative, add: add, by: session.actor)
        } catch let error as AccessChangeError {
            // Not a representative, or the holder themselves: said beside the INS field.
            return try await accessPage(request, context, notice: nil, fieldError: PortalAccessPage.FormError(
                message: PortalProblemMessages.sentence(PortalMessages.accessChange(error, l)), field: "representative", value: typed), status: .conflict)
        } catch let error as RecordError {
            return try await accessPage(request, context, notice: PortalPage.notice(PortalProblemMessages.record(error, l), error: true), status: .conflict)
        }
        return PortalPage.redirect("/portal/patient/access")
    }
}
