import CarnetPortal
import CarnetCore
import CarnetService
import CarnetStore
import Foundation

/// The patient's access history: filters (dates, who, one professional's RPPS, action, emergencies
/// only) sent in a form body — never in the URL — and decided by the database, a page at a time,
/// emergency accesses highlighted with their reason.
enum PortalHistoryPage {
    static let pageSize = 50

    /// The filters as typed, kept to show them again, and what the database is asked.
    struct Filters {
        var from = ""
        var until = ""
        /// `others` (everyone but the patient's side: the default, so one's own page views do not
        /// hide professionals' accesses), `all`, or an actor kind.
        var who = "others"
        var rpps = ""
        var action = ""
        var emergencyOnly = false
        var page = 1
        /// Messages by field name, said beside the field.
        var errors: [String: String] = [:]

        init() {}

        init(_ form: PortalForm, _ l: PortalLanguage) {
            from = form["from"] ?? ""
            until = form["until"] ?? ""
            who = form["who"] ?? "others"
            rpps = form["rpps"] ?? ""
            action = form["action"] ?? ""
            emergencyOnly = form["emergency"] == "yes"
            page = max(1, min(Int(form["page"] ?? "") ?? 1, 100_000))
            let dateMessage = l.t("Date attendue au format AAAA-MM-JJ (par exemple 2026-03-31).", "Expected a date as YYYY-MM-DD (for example 2026-03-31).")
            if !from.isEmpty, Self.startOfDay(from) == nil { errors["from"] = dateMessage }
            if !until.isEmpty, Self.startOfDay(until) == nil { errors["until"] = dateMessage }
            if !rpps.isEmpty, (try? RPPS(rpps.filter { $0 != " " })) == nil {
                errors["rpps"] = l.t("Un numéro RPPS compte 11 chiffres.", "An RPPS number has 11 digits.")
            }
        }

        /// What the database is asked; `nil` while a field is wrong.
        var filter: AuditFilter? {
            guard errors.isEmpty else { return nil }
            var filter = AuditFilter(emergencyOnly: emergencyOnly)
            filter.from = Self.startOfDay(from)
            filter.until = Self.startOfDay(until).map { $0.addingTimeInterval(86_400) }
            switch who {
            case "all": break
            case "others": filter.actorKinds = Set(Actor.Kind.allCases).subtracting([.patient])
            default: filter.actorKinds = Actor.Kind(rawValue: who).map { [$0] } ?? Set(Actor.Kind.allCases).subtracting([.patient])
            }
            if !rpps.isEmpty { filter.actorID = rpps.filter { $0 != " " } }
            if let chosen = Action(rawValue: action) { filter.actions = [chosen] }
            return filter
        }

        /// Midnight in Paris of a typed `YYYY-MM-DD` day.
        static func startOfDay(_ text: String) -> Date? {
            guard let noon = FHIRDateValue.day(text) else { return nil }
            return noon.addingTimeInterval(-12 * 3_600)
        }
    }

    static func render(_ events: [AuditEvent], total: Int, _ filters: Filters, csrf: String, names: ProfessionalNames = .init(),
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
            ("others", l.t("Tout le monde sauf vous", "Everyone but you")), ("all", l.t("Tout le monde", "Everyone")),
            ("professional", l.t("Professionnels de santé", "Health professionals")), ("regulator", l.t("Régulateurs du Centre 15", "Centre 15 regulators")),
            ("patient", l.t("Vous (ou votre représentant)", "You (or your representative)")), ("agent", l.t("Agents de l'Assurance Maladie", "Health-insurer agents")),
            ("insurer", l.t("Flux de l'Assurance Maladie", "Health-insurer feed")),
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
            <p>\(l.t("Page", "Page")) \(filters.page) / \(pages)
            \(filters.page > 1 ? html("<button type=\"submit\" class=\"secondary\" name=\"page\" value=\"\(filters.page - 1)\" form=\"history-filters\">\(l.t("Page précédente", "Previous page"))</button>") : "")
            \(filters.page < pages ? html("<button type=\"submit\" class=\"secondary\" name=\"page\" value=\"\(filters.page + 1)\" form=\"history-filters\">\(l.t("Page suivante", "Next page"))</button>") : "")</p>
            """
        return """
            <form method="post" action="/portal/patient/history" class="card" id="history-filters" novalidate>\(PortalPage.csrf(csrf))
            <div class="grid">
            <div>\(field("from", l.t("Du", "From"), "<input type=\"date\" id=\"history-from\" name=\"from\" value=\"\(filters.from)\" aria-describedby=\"history-from-error\"\(invalid("from"))>"))</div>
            <div>\(field("until", l.t("Au (inclus)", "Until (included)"), "<input type=\"date\" id=\"history-until\" name=\"until\" value=\"\(filters.until)\" aria-describedby=\"history-until-error\"\(invalid("until"))>"))</div>
            <div>\(field("who", l.t("Qui", "Who"), "<select id=\"history-who\" name=\"who\">\(whoOptions.map { value, label -> HTML in "<option value=\"\(value)\"\(selected(filters.who == value))>\(label)</option>" })</select>"))</div>
            <div>\(field("rpps", l.t("Un professionnel (RPPS, 11 chiffres)", "One professional (RPPS, 11 digits)"), "<input type=\"text\" id=\"history-rpps\" name=\"rpps\" inputmode=\"numeric\" autocomplete=\"off\" value=\"\(filters.rpps)\" aria-describedby=\"history-rpps-error\"\(invalid("rpps"))>"))</div>
            <div>\(field("action", l.t("Action", "Action"), "<select id=\"history-action\" name=\"action\"><option value=\"\">\(l.t("Toutes", "All"))</option>\(Action.allCases.map { action -> HTML in "<option value=\"\(action.rawValue)\"\(selected(filters.action == action.rawValue))>\(PortalHistoryText.action(action, l))</option>" })</select>"))</div>
            </div>
            <label><input type="checkbox" name="emergency" value="yes"\(filters.emergencyOnly ? HTML.trusted(" checked") : "")> \(l.t("Accès en urgence seulement", "Emergency accesses only"))</label>
            <button type="submit" name="page" value="1">\(l.t("Filtrer", "Filter"))</button>
            </form>
            <p>\(total) \(l.t("événement(s)", "event(s)"))</p>
            \(navigation)
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t("Tableau, défilant horizontalement", "Table, scrolling sideways"))"><table><thead><tr><th scope="col">\(l.t("Quand", "When"))</th><th scope="col">\(l.t("Qui", "Who"))</th>\
            <th scope="col">\(l.t("Quoi", "What"))</th><th scope="col">\(l.t("Résultat", "Outcome"))</th><th scope="col">\(l.t("Motif ou règle", "Reason or rule"))</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            \(navigation)
            """
    }

    /// Who acted: a professional by name, profession and town when the directory knows them.
    static func who(_ event: AuditEvent, _ names: ProfessionalNames, _ l: PortalLanguage) -> HTML {
        switch event.actorKind {
        case .patient: "\(l.t("vous (ou votre représentant)", "you (or your representative)"))"
        case .professional: PortalPeople.professional(event.actorID, names, l)
        case .regulator: "\(l.t("régulateur Centre 15", "Centre 15 regulator")) " + PortalPeople.professional(event.actorID, names, l)
        case .agent: "\(l.t("agent de l'Assurance Maladie", "health-insurer agent"))"
        case .insurer: "\(l.t("flux de l'Assurance Maladie", "health-insurer feed"))"
        }
    }

    /// The outcome in words, as the event was: a consultation that returned nothing the actor could
    /// see says so ("aucun résultat") rather than "fait", which would read as a consultation (issue 16.2).
    static func outcome(_ event: AuditEvent, _ l: PortalLanguage) -> String {
        switch event.outcome {
        case .denied: l.t("refusé", "refused")
        case .failed: l.t("échec", "failed")
        case .success where PatientNotification.consultingActions.contains(event.action) && !event.disclosesContent:
            l.t("aucun résultat", "nothing found")
        case .success: l.t("fait", "done")
        }
    }

    static func mode(_ mode: AccessMode, _ l: PortalLanguage) -> String {
        mode == .centre15 ? l.t("(régulation Centre 15)", "(Centre 15 regulation)") : l.t("(urgence)", "(emergency)")
    }
}
