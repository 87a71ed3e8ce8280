package import CarnetCore
package import CarnetService
package import Foundation

/// The patient's home-page alerts: emergency accesses (with their reason) and professionals who
/// consulted the record for the first time, over the alert period, each with a way to the history.
///
/// One emergency is one alert (issue 16): a Centre 15 call reads the identity, the summary and the
/// documents — several audit events — but the patient was called on once; the events of the same
/// professional, mode and reason within an hour of each other are shown as one line.
package enum PortalHomeAlerts {
    /// The emergency accesses grouped per event, newest first.
    package struct Emergency {
        package var first: AuditEvent
        package var last: Date
        package var actions: [Action]
    }

    package static func grouped(_ events: [AuditEvent]) -> [Emergency] {
        var groups: [Emergency] = []
        for event in events.sorted(by: { $0.recordedAt > $1.recordedAt }) {
            if let index = groups.indices.last, groups[index].first.actorID == event.actorID, groups[index].first.accessMode == event.accessMode,
               groups[index].first.emergencyReason == event.emergencyReason, groups[index].first.recordedAt.timeIntervalSince(event.recordedAt) < 3_600 {
                groups[index].first = event
                if !groups[index].actions.contains(event.action) { groups[index].actions.insert(event.action, at: 0) }
            } else {
                groups.append(Emergency(first: event, last: event.recordedAt, actions: [event.action]))
            }
        }
        return groups
    }

    package static func render(_ alerts: RecordService.AccessAlerts, names: ProfessionalNames = .init(), csrf: String, _ l: PortalLanguage) -> HTML {
        let newcomers = alerts.newcomers.prefix(5).map { first -> HTML in
            let who = first.actorKind == .regulator ? l.t(.centreRegulator2) : l.t(.professional)
            return "<li>\(who) \(PortalPeople.professional(first.actorID, names, l)) — \(l.t(.firstAccessOn)) \(PortalPage.date(first.first, l))</li>"
        }
        let emergencies = grouped(alerts.emergencies).map { group -> HTML in
            let event = group.first
            let mode = event.accessMode == .centre15 ? l.t(.centreRegulationAccessBy)
                                                     : l.t(.emergencyAccessBy)
            let what = group.actions.map { PortalHistoryText.action($0, l) }.joined(separator: ", ")
            return """
                <li>\(PortalPage.dateTime(event.recordedAt, l)) — \(mode) \(PortalPeople.professional(event.actorID, names, l))\
                \(event.emergencyReason.map { " : « \($0) »" } ?? "") <span class="hint">(\(what))</span></li>
                """
        }
        let more: HTML = alerts.emergencyCount > alerts.emergencies.count
            ? "<p><a href=\"/portal/patient/history?emergency=1\">\(l.t(.seeEveryEmergencyAccessInThe))</a></p>"
            : ""
        return """
            \(newcomers.isEmpty ? "" : html("<section class=\"card\" aria-labelledby=\"newcomers\"><h2 id=\"newcomers\">\(l.t(.newProfessionals))</h2><ul>\(newcomers)</ul></section>"))
            \(emergencies.isEmpty ? "" : html("<section class=\"card\" aria-labelledby=\"alerts\"><h2 id=\"alerts\">\(l.t(.alerts))</h2><ul>\(emergencies)</ul>\(more)</section>"))
            """
    }
}
