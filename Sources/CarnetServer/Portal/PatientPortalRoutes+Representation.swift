import CarnetCore
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird

/// A minor's legal representative acting for the minor (DOMAIN.md, Minors): signed in as
/// themselves, they open the minor's record by its INS — found only if the policy says they
/// represent the minor, otherwise answered as no record — and every page then works on that record
/// with the representative as the actor the policy decides for and the audit names. From the
/// access page they add or remove a representative (`RecordService.changeLegalRepresentative`).
extension PatientPortalRoutes {
    @Sendable func represent(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var (session, _) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(request, expectedToken: session.csrfToken)
        let typed = form["ins"] ?? ""
        let fail = { (message: String) in
            try await accessPage(request, context, notice: nil, fieldError: PortalAccessPage.FormError(message: message, field: "represent", value: typed),
                                 status: .badRequest)
        }
        let candidates: [INS]
        do {
            candidates = try PortalINS.candidates(typed, keyChecking: configuration.insKeyChecking)
        } catch {
            return try await fail(l.t("Cet INS n'est pas valide : ", "This INS is not valid: ") + PortalMessages.ins(error, l) + ".")
        }
        var minor: HealthRecord?
        for ins in candidates where minor == nil {
            minor = try await service.findRecord(ins: ins, by: session.actor)
        }
        guard let minor, case .patient(let own) = session.actor.role, minor.ins.value != own.value else {
            return try await fail(l.t("Aucun dossier de mineur dont vous êtes le représentant légal ne correspond à cet INS.",
                                      "No record of a minor you legally represent matches this INS."))
        }
        session.patient = minor.id
        session.represented = "\(minor.identity.givenNames.first ?? "") \(minor.identity.birthFamilyName)"
        await sessions.update(session)
        return PortalPage.redirect("/portal/patient")
    }

    /// Back to the representative's own record.
    @Sendable func representNoLonger(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var (session, _) = try signedIn(context)
        _ = try await PortalForm.read(request, expectedToken: session.csrfToken)
        guard case .patient(let own) = session.actor.role, let record = try await service.findRecord(ins: own, by: session.actor) else {
            throw PortalError.signedOut(professional: false)
        }
        session.patient = record.id
        session.represented = nil
        await sessions.update(session)
        return PortalPage.redirect("/portal/patient")
    }

    /// Adds or removes a legal representative of the minor whose record is open (by INS).
    @Sendable func changeRepresentatives(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(request, expectedToken: session.csrfToken)
        let add = form["action"] != "remove"
        let typed = form["ins"] ?? ""
        let representative: INS
        do {
            // Representatives are kept by their INS value: the number as typed, its key checked.
            representative = try PortalINS.candidates(typed, keyChecking: configuration.insKeyChecking)[0]
        } catch {
            return try await accessPage(request, context, notice: nil, fieldError: PortalAccessPage.FormError(
                message: l.t("Cet INS n'est pas valide : ", "This INS is not valid: ") + PortalMessages.ins(error, l) + ".",
                field: "representative", value: typed), status: .badRequest)
        }
        _ = try await service.changeLegalRepresentative(of: recordID, representative, add: add, by: session.actor)
        return PortalPage.redirect("/portal/patient/access")
    }
}
