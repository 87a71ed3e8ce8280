import CarnetPortal
import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird

/// The patient portal: the record at a glance, documents (open, mask, unmask), the summary and the
/// patient's own section, access (authorise, revoke, block, unblock, emergency modes), the access
/// history, and closing or reopening the record. Every page calls ``RecordService`` as the signed-in
/// holder: the same door, policy and audit as the API.
struct PatientPortalRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration
    let sessions: PortalSessions

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.post("patient/represent", use: represent)
        group.post("patient/represent/self", use: representNoLonger)
        group.post("patient/representatives", use: changeRepresentatives)
        group.get("patient", use: home)
        group.get("patient/documents", use: documents)
        group.post("patient/documents", use: upload)
        group.post("patient/documents/filter", use: filteredDocuments)
        group.post("patient/summary/delete", use: deleteSummaryItem)
        group.get("patient/documents/:id", use: document)
        group.get("patient/documents/:id/content", use: content)
        group.post("patient/documents/:id/visibility", use: visibility)
        group.post("patient/documents/:id/delete", use: deleteDocument)
        group.post("patient/settings", use: changeSettings)
        group.get("patient/care-history", use: careHistoryPage)
        group.get("patient/summary", use: summary)
        group.post("patient/summary", use: addSummaryItem)
        group.get("patient/access", use: access)
        group.post("patient/access", use: changeAccess)
        group.get("patient/history", use: history)
        group.post("patient/history", use: filteredHistory)
        group.get("patient/record", use: recordPage)
        group.post("patient/record", use: changeRecord)
    }

    /// The signed-in holder and their record.
    func signedIn(_ context: CarnetRequestContext) throws -> (PortalSessions.Session, RecordID) {
        guard let session = context.portalSession, case .patient = session.actor.role, let record = session.patient else {
            throw PortalError.signedOut(professional: false)
        }
        return (session, record)
    }

    func page(_ request: Request, _ context: CarnetRequestContext, _ title: PortalMessage, path: String, _ body: HTML,
              status: HTTPResponse.Status = .ok) -> Response {
        let l = PortalLanguage.from(request)
        return PortalPage(title: l.t(title), language: l, session: context.portalSession, path: path, body: body).response(status: status)
    }

    // MARK: - Home

    @Sendable func home(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let record = try await service.readRecord(recordID, by: session.actor)
        var latest = DocumentQuery()
        latest.count = 5
        let documents = try await service.searchDocuments(of: .record(recordID), latest, by: session.actor)
        let summary = try await service.patientSummary(of: recordID, by: session.actor)
        // Emergency accesses and professionals whose first consultation falls in the last 30 days,
        // asked of the database: however many events the record holds, none is missed.
        // Enough events that a few emergencies, each several events, still show (grouped per event).
        let alerts = try await service.accessAlerts(of: recordID, since: service.now().addingTimeInterval(-Self.alertPeriod), limit: 30, by: session.actor)
        let names = try await service.professionals(alerts.emergencies.map(\.actorID) + alerts.newcomers.map(\.actorID)
                                                    + summary.items.map(\.authorID))
        let claims = (try? await service.careHistory(of: recordID, by: session.actor)) ?? []
        // A parent's minors, one click each: asked of the service as the person signed in, whichever record is open.
        let minors = try await service.representedRecords(by: session.actor)
        let home = PortalHomePage(record: record, latest: documents.page, summary: summary.items,
                                  reader: .init(actor: session.actor, holderINS: record.ins.value, names: names), minors: minors,
                                  representing: session.represented != nil,
                                  alerts: alerts, claims: claims,
                                  now: service.now(), csrf: session.csrfToken)
        let body = home.render(l)
        return page(request, context, .myRecord, path: "/portal/patient", body)
    }

    /// How far back the home page's alerts look.
    static let alertPeriod: TimeInterval = 30 * 86_400

    // MARK: - Documents

    @Sendable func documents(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        try await documentList(request, context, filters: nil)
    }

    /// The filters come in a form body (POST), so that what a patient looks for never sits in a URL.
    @Sendable func filteredDocuments(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, _) = try signedIn(context)
        return try await documentList(request, context, filters: try await PortalForm.read(PortalDocumentFilterForm.self, request, expectedToken: session.csrfToken))
    }

    /// The documents page; `filters` as posted, or `nil` for the page as it opens (what is new first).
    func documentList(_ request: Request, _ context: CarnetRequestContext, filters posted: PortalDocumentFilterForm?) async throws -> Response {
        let filters = posted ?? PortalDocumentFilterForm()
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        var query = DocumentQuery()
        query.count = 100
        var view = PortalDocumentListPage(reader: session.actor, csrf: session.csrfToken)
        view.confirmation = PortalConfirmation.notice(request, l)
        let type = filters.type
        view.type = type
        if let type { query.types = [type] }
        view.since = filters.since
        if let since = filters.since {
            if let bounds = FHIRDate.interval(since) {
                query.dates = [DateCondition(.ge, lower: bounds.lower, upper: bounds.upper)]
            } else {
                view.sinceInvalid = true
            }
        }
        // Words searched inside the documents (issue 18), decided by the database like the author.
        let words = filters.words
        view.words = words
        if let words {
            if words.count <= 500, !FrenchText.queryTerms(words).isEmpty {
                query.contentText = words
            } else {
                view.wordsError = l.t(.giveOneOrMoreWordsTo)
            }
        }
        // The author filter is decided by the database, before paging: the count is of every match.
        let author = filters.author
        view.author = author
        query.authorText = author
        let searched = try await service.findDocuments(of: .record(recordID), query, lastAccess: session.lastAccess(on: recordID), by: session.actor)
        let lastAccess = searched.lastAccess
        var found = (page: searched.page, total: searched.total)
        // The directory's names match too (issue 16): "lemoine" finds Dr Alice LEMOINE's documents even
        // when they carry only her national id. Each professional the name finds is searched by RPPS, and
        // the documents merged (one page of at most 100, newest first).
        if let author, !author.isEmpty {
            for professional in try await service.findProfessionals(named: author, limit: 10) {
                query.authorText = professional.rpps.value
                let more = try await service.searchDocuments(of: .record(recordID), query, by: session.actor)
                let known = Set(found.page.map(\.id))
                found.page += more.page.filter { !known.contains($0.id) }
            }
            found.page.sort { $0.date > $1.date }
            found.total = max(found.total, found.page.count)
        }
        // Unfiltered, the page opens on what is new since the previous sign-in, then the rest.
        let unfiltered = posted == nil
        var fresh: [DocumentEntry] = []
        var freshTotal = 0
        if unfiltered, lastAccess.at != nil {
            var newQuery = query
            newQuery.newSinceLastAccess = true
            let new = try await service.findDocuments(of: .record(recordID), newQuery, lastAccess: lastAccess, by: session.actor)
            (fresh, freshTotal) = (new.page, new.total)
            let freshIDs = Set(fresh.map(\.id))
            found.page = found.page.filter { !freshIDs.contains($0.id) }
            found.total = max(0, found.total - freshTotal)
        }
        view.holderINS = try await service.readRecord(recordID, by: session.actor).ins.value
        view.names = try await service.professionals(PortalPeople.rpps(of: found.page + fresh) + PortalDuplicates.rpps(of: found.page + fresh))
        (view.unfiltered, view.lastAccess, view.fresh, view.freshTotal, view.found, view.total) = (unfiltered, lastAccess, fresh, freshTotal, found.page, found.total)
        return page(request, context, .myDocuments, path: "/portal/patient/documents", view.render(l),
                    status: view.wordsError == nil ? .ok : .badRequest)
    }

    @Sendable func upload(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        // The patient's document names them (or says that their representative added it), never by their INS.
        let record = try await service.readRecord(recordID, by: session.actor)
        let holder = "\(record.identity.givenNames.first ?? "") \(record.identity.birthFamilyName)".trimmingCharacters(in: .whitespaces)
        let l = PortalLanguage.from(request)
        let authorName = session.represented == nil ? holder : l.t(.legalRepresentativeOf(holder))
        return try await PortalUpload.handle(request, context, session: session, recordID: recordID, service: service, configuration: configuration,
                                             documentPath: "/portal/patient/documents/", back: "/portal/patient/documents", authorName: authorName)
    }

    @Sendable func document(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, _) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let (entry, data) = try await service.documentContent(try documentID(context), by: session.actor)
        let holderINS = try await service.readRecord(entry.recordID, by: session.actor).ins.value
        let names = try await service.professionals(PortalPeople.rpps(of: [entry]))
        // Only what the patient side added may be deleted from here (a professional's document is the record's).
        let body = PortalPatientDocumentPage.render(entry, data, names: names,
                                                    deletable: PortalDocumentTypes.addedByPatientSide(entry, holderINS: holderINS, reader: session.actor),
                                                    csrf: session.csrfToken, confirmation: PortalConfirmation.notice(request, l), l)
        return page(request, context, .documentTitle(entry.title ?? "Document"), path: "/portal/patient/documents", body)
    }

    @Sendable func content(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, _) = try signedIn(context)
        let (entry, data) = try await service.documentContent(try documentID(context), by: session.actor)
        return PortalDocumentView.contentResponse(entry, data, embedded: request.uri.queryParameters["embedded"].map(String.init))
    }

    @Sendable func visibility(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, _) = try signedIn(context)
        let form = try await PortalForm.read(PortalVisibilityForm.self, request, expectedToken: session.csrfToken)
        let id = try documentID(context)
        let change: RecordService.VisibilityChange = form.unmask ? .unmask : .mask
        _ = try await service.changeVisibility(of: id, change, by: session.actor)
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/documents/\(id)", change == .unmask ? "unmasked" : "masked"))
    }

    // MARK: - Summary

    @Sendable func summary(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        try await summaryPage(request, context, notice: nil)
    }

    /// The summary and the forms of the patient's section; `problem` shows a refused form again, its
    /// message beside the field concerned.
    func summaryPage(_ request: Request, _ context: CarnetRequestContext, notice: HTML?, problem: PortalSummaryForms.Problem? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let summary = try await service.patientSummary(of: recordID, by: session.actor)
        let names = try await service.professionals(summary.items.map(\.authorID))
        let body = PortalSummaryPage.render(summary, reader: .init(actor: session.actor, holderINS: summary.record.ins.value, names: names),
                                            csrf: session.csrfToken, notice: notice ?? PortalConfirmation.notice(request, l), problem: problem, l)
        return page(request, context, .mySummary, path: "/portal/patient/summary", body, status: status)
    }

    @Sendable func addSummaryItem(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalSummaryForm.self, request, expectedToken: session.csrfToken)
        do {
            let (type, resource) = try PortalSummaryForms.resource(from: form, patient: recordID, today: service.now(), l)
            let item = try SummaryResource.item(from: try FHIRJSON.encode(resource), resourceType: type)
            // One blood group, one organ-donation stance, one trusted person: a new answer replaces the
            // patient's previous one (a new version of it, kept in its history) instead of adding a second.
            let previous = form.isSingle
                ? try await service.patientSummary(of: recordID, by: session.actor).items.first {
                    $0.recordedByPatient && !$0.deleted && $0.kind == item.kind && $0.code == item.code
                }
                : nil
            if let previous {
                _ = try await service.updateSummaryItem(previous.id, item, expectedVersion: previous.version, by: session.actor)
            } else {
                _ = try await service.addSummaryItem(item, by: session.actor)
            }
        } catch let error as PortalSummaryForms.FormError {
            let problem = PortalSummaryForms.Problem(form: form.form ?? "", field: error.field, message: error.message, typed: form)
            return try await summaryPage(request, context, notice: nil, problem: problem, status: .badRequest)
        } catch let error as FHIRInputError {
            // The resource built from the form broke one of the API's checks: said beside the field it came from.
            let problem = PortalSummaryForms.Problem(form: form.form ?? "", field: PortalProblemMessages.field(for: error.expression)?.id,
                                                     message: PortalProblemMessages.fhirInput(error, l), typed: form)
            return try await summaryPage(request, context, notice: nil, problem: problem, status: .badRequest)
        } catch let error as SummaryItemError {
            // The item to replace changed meanwhile (another tab): said atop its form, the page showing it as it now is.
            let problem = PortalSummaryForms.Problem(form: form.form ?? "", field: nil, message: PortalProblemMessages.summaryItem(error, l),
                                                     typed: form)
            return try await summaryPage(request, context, notice: nil, problem: problem, status: .conflict)
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/summary", "added"))
    }

    /// The patient deletes an item they recorded (the service refuses a professional's).
    @Sendable func deleteSummaryItem(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, _) = try signedIn(context)
        let form = try await PortalForm.read(PortalSummaryDeleteForm.self, request, expectedToken: session.csrfToken)
        guard let id = form.item.flatMap(SummaryEntryID.init), let type = form.type else { throw AccessError.notFound }
        guard form.confirmed else {
            // The confirmation step: the item named as the summary shows it, nothing deleted yet.
            let l = PortalLanguage.from(request)
            let item = try await service.readSummaryItem(id, as: type, by: session.actor)
            let holderINS = try await service.readRecord(item.recordID, by: session.actor).ins.value
            return PortalConfirmation.ask(request, session: session, action: "/portal/patient/summary/delete", fields: ["item": id.description, "type": type],
                                          what: PortalSummaryText.describe(item, for: .init(actor: session.actor, holderINS: holderINS), l),
                                          back: "/portal/patient/summary", l)
        }
        do {
            _ = try await service.deleteSummaryItem(id, as: type, by: session.actor)
        } catch let error as SummaryItemError {
            // Deleted already (a second click, another tab): said atop the summary as it now is.
            return try await summaryPage(request, context, notice: PortalPage.notice(PortalProblemMessages.summaryItem(error, PortalLanguage.from(request)),
                                                                                     error: true), status: .conflict)
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/summary", "deleted"))
    }

    // MARK: - Access

    @Sendable func access(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        try await accessPage(request, context, notice: nil)
    }

    func accessPage(_ request: Request, _ context: CarnetRequestContext, notice: HTML?, fieldError: PortalAccessPage.FormError? = nil,
                    search: PortalAccessPage.Search = .init(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let (_, controls) = try await service.accessControls(of: recordID, by: session.actor)
        let names = try await service.professionals(Array(controls.authorisations.keys) + Array(controls.blocked.keys)
                                                    + (controls.treatingPhysician.map { [$0.rpps] } ?? []))
        let body = PortalAccessPage.render(controls, csrf: session.csrfToken, notice: notice ?? PortalConfirmation.notice(request, l), fieldError: fieldError,
                                           representing: session.represented != nil, names: names, search: search, l)
        return page(request, context, .whoMayAccessMyRecord, path: "/portal/patient/access", body, status: status)
    }

    @Sendable func changeAccess(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalAccessForm.self, request, expectedToken: session.csrfToken)
        // Finding a professional by name, then choosing one, changes nothing: the page comes back with
        // the results, or with the chosen professional's RPPS in its forms.
        if form.action == "find" || form.action == "choose" {
            let query = String((form.name ?? "").prefix(100))
            var search = PortalAccessPage.Search(query: query, results: try await service.findProfessionals(named: query))
            if form.action == "choose", let rpps = form.rpps {
                search.chosen = try await service.professionals([rpps])[rpps]
                search.results = nil
            }
            return try await accessPage(request, context, notice: nil, search: search)
        }
        let change: RecordService.AccessChange
        do {
            change = try PortalAccessPage.change(from: form, l)
        } catch let error as PortalAccessPage.FormError {
            // A typed RPPS is answered beside its field; a form the page does not have, at the top.
            if let field = error.field, ["authorize", "block", "treating"].contains(field) {
                return try await accessPage(request, context, notice: nil, fieldError: error, status: .badRequest)
            }
            return try await accessPage(request, context, notice: PortalPage.notice(error.message, error: true), status: .badRequest)
        }
        do {
            _ = try await service.changeAccess(of: recordID, change, by: session.actor)
        } catch let error as AccessChangeError {
            return try await accessPage(request, context, notice: PortalPage.notice(PortalProblemMessages.sentence(PortalMessages.accessChange(error, l)), error: true), status: .conflict)
        } catch let error as RecordError {
            // Changed meanwhile by someone else (another representative, another tab): the page as it now is.
            return try await accessPage(request, context, notice: PortalPage.notice(PortalProblemMessages.record(error, l), error: true), status: .conflict)
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/access", "access"))
    }

    // MARK: - History

    /// The history with its default filters (everyone but the patient's side); `?emergency=1`, which
    /// names no one, shows only emergency accesses.
    @Sendable func history(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        var filters = PortalHistoryPage.Filters()
        filters.emergencyOnly = request.uri.queryParameters["emergency"] == "1"
        return try await historyPage(request, context, filters)
    }

    /// The history filtered and paged as the form body says (never in the URL).
    @Sendable func filteredHistory(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, _) = try signedIn(context)
        let form = try await PortalForm.read(PortalHistoryForm.self, request, expectedToken: session.csrfToken)
        return try await historyPage(request, context, PortalHistoryPage.Filters(form, PortalLanguage.from(request)))
    }

    func historyPage(_ request: Request, _ context: CarnetRequestContext, _ filters: PortalHistoryPage.Filters) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        var page: (events: [AuditEvent], total: Int) = ([], 0)
        if let query = filters.query {
            page = try await service.auditTrailPage(of: recordID, query: query, limit: PortalHistoryPage.pageSize,
                                                    offset: (filters.page - 1) * PortalHistoryPage.pageSize, by: session.actor)
        }
        let names = try await service.professionals(page.events.filter { $0.actorKind == .professional || $0.actorKind == .regulator }.map(\.actorID))
        let body = PortalHistoryPage.render(page.events, total: page.total, filters, csrf: session.csrfToken, names: names, l)
        return self.page(request, context, .accessHistory, path: "/portal/patient/history", body,
                         status: filters.errors.isEmpty ? .ok : .badRequest)
    }

    // MARK: - Record

    @Sendable func recordPage(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        try await recordPage(request, context, confirmError: nil, reason: nil)
    }

    /// The record's state and what can be done; `confirmError` is said beside the confirmation box
    /// when closing was asked without it.
    ///
    /// `problem` says, atop the page, why a change was refused (the record already in that state,
    /// changed meanwhile), the page then showing the record as it now is.
    ///
    /// `contact` is the address as typed and why it was refused, said beside the contact field.
    func recordPage(_ request: Request, _ context: CarnetRequestContext, confirmError: String?, reason: String?,
                    problem: String? = nil, contact: (typed: String, error: String)? = nil) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let record = try await service.readRecord(recordID, by: session.actor)
        var view = PortalRecordPage(record: record, csrf: session.csrfToken)
        (view.confirmError, view.reason, view.problem, view.contact) = (confirmError, reason, problem, contact)
        view.confirmation = PortalConfirmation.notice(request, l)
        // The holder's own contact; a representative acting for a minor does not set it.
        view.showsContact = session.represented == nil
        let body = view.render(l)
        let status: HTTPResponse.Status = problem != nil ? .conflict : confirmError == nil && contact == nil ? .ok : .badRequest
        return page(request, context, .myRecord, path: "/portal/patient/record", body, status: status)
    }

    @Sendable func changeRecord(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.read(PortalRecordForm.self, request, expectedToken: session.csrfToken)
        switch form.action {
        case "close":
            guard form.confirmed else {
                return try await recordPage(request, context, confirmError: l.t(.tickIUnderstandTheConsequencesTo),
                                             reason: form.reason)
            }
            do {
                _ = try await service.transition(recordID, .closeRecord, reason: form.reason, by: session.actor)
            } catch let error as RecordError {
                return try await recordPage(request, context, confirmError: nil, reason: nil, problem: PortalProblemMessages.record(error, l))
            }
        case "contact":
            return try await changeContact(request, context, form)
        case "reopen":
            do {
                _ = try await service.transition(recordID, .reopenRecord, reason: nil, by: session.actor)
            } catch let error as RecordError {
                return try await recordPage(request, context, confirmError: nil, reason: nil, problem: PortalProblemMessages.record(error, l))
            }
        default:
            throw FHIRInputError("unknown action", at: "action")
        }
        return PortalPage.redirect(PortalConfirmation.done("/portal/patient/record", form.action == "close" ? "closed" : "reopened"))
    }

    func documentID(_ context: CarnetRequestContext) throws -> DocumentID {
        try context.pathID()
    }
}
