package import CarnetCore
package import CarnetService
import Foundation

/// The patient's access history: filters (dates, who, one professional's RPPS, action, emergencies
/// only) sent in a form body — never in the URL — and decided by the database, a page at a time,
/// emergency accesses highlighted with their reason.
package enum PortalHistoryPage {
    package static let pageSize = 50

    /// The filters as typed, kept to show them again, and what the database is asked.
    package struct Filters {
        package var from = ""
        package var until = ""
        /// `others` (everyone but the patient's side: the default, so one's own page views do not
        /// hide professionals' accesses), `all`, or an actor kind.
        package var who = "others"
        package var rpps = ""
        package var action = ""
        package var emergencyOnly = false
        package var page = 1
        /// Messages by field name, said beside the field.
        package var errors: [String: String] = [:]

        package init() {}

        package init(_ form: PortalHistoryForm, _ l: PortalLanguage) {
            from = form.from ?? ""
            until = form.until ?? ""
            who = form.who ?? "others"
            rpps = form.rpps ?? ""
            action = form.action ?? ""
            emergencyOnly = form.emergencyOnly
            page = max(1, min(Int(form.page ?? "") ?? 1, 100_000))
            let dateMessage = l.t(.expectedADateAsYyyyMm)
            if !from.isEmpty, Self.startOfDay(from) == nil { errors["from"] = dateMessage }
            if !until.isEmpty, Self.startOfDay(until) == nil { errors["until"] = dateMessage }
            if !rpps.isEmpty, (try? RPPS(rpps.filter { $0 != " " })) == nil {
                errors["rpps"] = l.t(.anRppsNumberHasDigits)
            }
        }

        /// What the database is asked; `nil` while a field is wrong.
        package var query: HistoryQuery? {
            guard errors.isEmpty else { return nil }
            var query = HistoryQuery(emergencyOnly: emergencyOnly)
            query.from = Self.startOfDay(from)
            query.until = Self.startOfDay(until).map { $0.addingTimeInterval(86_400) }
            switch who {
            case "all": break
            case "others": query.actorKinds = Set(Actor.Kind.allCases).subtracting([.patient])
            default: query.actorKinds = Actor.Kind(rawValue: who).map { [$0] } ?? Set(Actor.Kind.allCases).subtracting([.patient])
            }
            if !rpps.isEmpty { query.actorID = rpps.filter { $0 != " " } }
            if let chosen = Action(rawValue: action) { query.actions = [chosen] }
            return query
        }

        /// Midnight in Paris of a typed `YYYY-MM-DD` day.
        static func startOfDay(_ text: String) -> Date? {
            guard let noon = FHIRDateValue.day(text) else { return nil }
            return noon.addingTimeInterval(-12 * 3_600)
        }
    }

    package static func render(_ events: [AuditEvent], total: Int, _ filters: Filters, csrf: String, names: ProfessionalNames = .init(),
                       _ l: PortalLanguage) -> HTML {
        let rows = events.map { event -> HTML in
            let emergency = event.accessMode.isEmergency
            return """
                <tr\(emergency ? HTML.trusted(" class=\"emergency\"") : "")><td>\(PortalPage.dateTime(event.recordedAt, l))</td><td>\(who(event, names, l))</td>\
                <td>\(PortalHistoryText.action(event.action, l))\(emergency ? html(" <strong>\(mode(event.accessMode, l))</strong>") : "")</td>\
                <td>\(outcome(event, l))</td>\
                <td>\(event.emergencyReason ?? event.rule.map { PortalMessages.rule($0, l) } ?? "")</td></tr>
                """
        }
        let whoOptions: [(String, String)] = [
            ("others", l.t(.everyoneButYou)), ("all", l.t(.everyone)),
            ("professional", l.t(.healthProfessionals)), ("regulator", l.t(.centreRegulators)),
            ("patient", l.t(.youOrYourRepresentative)), ("agent", l.t(.healthInsurerAgents)),
            ("insurer", l.t(.healthInsurerFeed)),
        ]
        let selected = { (on: Bool) -> HTML in on ? " selected" : "" }
        let pages = max(1, (total + pageSize - 1) / pageSize)
        func field(_ name: String, _ label: String, _ input: HTML) -> HTML {
            """
            <label for="history-\(name)">\(label)</label>
            \(input)
            <div id="history-\(name)-error">\(PortalPage.notice(filters.errors[name], error: true))</div>
            """
        }
        func invalid(_ name: String) -> HTML { filters.errors[name] == nil ? "" : " aria-invalid=\"true\"" }
        let navigation: HTML = pages <= 1 ? "" : """
            <p>\(l.t(.page)) \(filters.page) / \(pages)
            \(filters.page > 1 ? html("<button type=\"submit\" class=\"secondary\" name=\"page\" value=\"\(filters.page - 1)\" form=\"history-filters\">\(l.t(.previousPage))</button>") : "")
            \(filters.page < pages ? html("<button type=\"submit\" class=\"secondary\" name=\"page\" value=\"\(filters.page + 1)\" form=\"history-filters\">\(l.t(.nextPage))</button>") : "")</p>
            """
        return """
            <form method="post" action="/portal/patient/history" class="card" id="history-filters" novalidate>\(PortalPage.csrf(csrf))
            <div class="grid">
            <div>\(field("from", l.t(.from), "<input type=\"date\" id=\"history-from\" name=\"from\" value=\"\(filters.from)\" aria-describedby=\"history-from-error\"\(invalid("from"))>"))</div>
            <div>\(field("until", l.t(.untilIncluded), "<input type=\"date\" id=\"history-until\" name=\"until\" value=\"\(filters.until)\" aria-describedby=\"history-until-error\"\(invalid("until"))>"))</div>
            <div>\(field("who", l.t(.who), "<select id=\"history-who\" name=\"who\">\(whoOptions.map { value, label -> HTML in "<option value=\"\(value)\"\(selected(filters.who == value))>\(label)</option>" })</select>"))</div>
            <div>\(field("rpps", l.t(.oneProfessionalRppsDigits), "<input type=\"text\" id=\"history-rpps\" name=\"rpps\" inputmode=\"numeric\" autocomplete=\"off\" value=\"\(filters.rpps)\" aria-describedby=\"history-rpps-error\"\(invalid("rpps"))>"))</div>
            <div>\(field("action", l.t(.action), "<select id=\"history-action\" name=\"action\"><option value=\"\">\(l.t(.all2))</option>\(Action.allCases.map { action -> HTML in "<option value=\"\(action.rawValue)\"\(selected(filters.action == action.rawValue))>\(PortalHistoryText.action(action, l))</option>" })</select>"))</div>
            </div>
            <label><input type="checkbox" name="emergency" value="yes"\(filters.emergencyOnly ? HTML.trusted(" checked") : "")> \(l.t(.emergencyAccessesOnly))</label>
            <button type="submit" name="page" value="1">\(l.t(.filter))</button>
            </form>
            <p>\(total) \(l.t(.eventS))</p>
            \(navigation)
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t(.tableScrollingSideways))"><table><thead><tr><th scope="col">\(l.t(.when))</th><th scope="col">\(l.t(.who))</th>\
            <th scope="col">\(l.t(.what))</th><th scope="col">\(l.t(.outcome))</th><th scope="col">\(l.t(.reasonOrRule))</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            \(navigation)
            """
    }

    /// Who acted: a professional by name, profession and town when the directory knows them.
    static func who(_ event: AuditEvent, _ names: ProfessionalNames, _ l: PortalLanguage) -> HTML {
        switch event.actorKind {
        case .patient: "\(l.t(.youOrYourRepresentative2))"
        case .professional: PortalPeople.professional(event.actorID, names, l)
        case .regulator: "\(l.t(.centreRegulator)) " + PortalPeople.professional(event.actorID, names, l)
        case .agent: "\(l.t(.healthInsurerAgent))"
        case .insurer: "\(l.t(.healthInsurerFeed2))"
        }
    }

    /// The outcome in words, as the event was: a consultation that returned nothing the actor could
    /// see says so ("aucun résultat") rather than "fait", which would read as a consultation (issue 16.2).
    static func outcome(_ event: AuditEvent, _ l: PortalLanguage) -> String {
        switch event.outcome {
        case .denied: l.t(.refused)
        case .failed: l.t(.failed)
        case .success where PatientNotification.consultingActions.contains(event.action) && !event.disclosesContent:
            l.t(.nothingFound)
        case .success: l.t(.done)
        }
    }

    static func mode(_ mode: AccessMode, _ l: PortalLanguage) -> String {
        mode == .centre15 ? l.t(.centreRegulation) : l.t(.emergency)
    }
}
