import CarnetCore
import CarnetService
import CarnetStore

/// The patient's home-page alerts: emergency accesses (with their reason) and professionals who
/// consulted the record for the first time, over the alert period, each with a way to the history.
enum PortalHomeAlerts {
    static func render(_ alerts: RecordService.AccessAlerts, csrf: String, _ l: PortalLanguage) -> HTML {
        let newcomers = alerts.newcomers.prefix(5).map { first -> HTML in
            let who = first.actorKind == .regulator ? l.t("Régulateur du Centre 15", "Centre 15 regulator") : l.t("Professionnel", "Professional")
            return "<li>\(who) RPPS \(first.actorID) — \(l.t("premier accès le", "first access on")) \(PortalPage.date(first.first, l))</li>"
        }
        let emergencies = alerts.emergencies.map { event -> HTML in
            let mode = event.accessMode == .centre15 ? l.t("accès en régulation (Centre 15) par", "Centre 15 regulation access by")
                                                     : l.t("accès en urgence par", "emergency access by")
            return "<li>\(PortalPage.dateTime(event.recordedAt, l)) — \(mode) RPPS \(event.actorID)\(event.emergencyReason.map { " : \($0)" } ?? "")</li>"
        }
        let more: HTML = alerts.emergencyCount > alerts.emergencies.count
            ? "<p><a href=\"/portal/patient/history?emergency=1\">\(l.t("Voir les \(alerts.emergencyCount) accès en urgence", "See all \(alerts.emergencyCount) emergency accesses"))</a></p>"
            : ""
        return """
            \(newcomers.isEmpty ? "" : html("<section class=\"card\" aria-labelledby=\"newcomers\"><h2 id=\"newcomers\">\(l.t("Nouveaux professionnels", "New professionals"))</h2><ul>\(newcomers)</ul></section>"))
            \(emergencies.isEmpty ? "" : html("<section class=\"card\" aria-labelledby=\"alerts\"><h2 id=\"alerts\">\(l.t("Alertes", "Alerts"))</h2><ul>\(emergencies)</ul>\(more)</section>"))
            """
    }
}
