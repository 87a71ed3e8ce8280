package import CarnetCore
package import CarnetService
package import Foundation

/// The patient's home page: who the record is and whether it is open, the minors they represent, the
/// alerts, the latest documents, the key items of the summary, and the reimbursed care per month.
/// A model because the page gathers several answers of the service; the route only asks for them.
package struct PortalHomePage {
    package var record: HealthRecord
    package var latest: [DocumentEntry]
    package var summary: [SummaryEntry]
    /// Who reads the summary, and the names of the professionals it and the alerts mention.
    package var reader: PortalSummaryText.Reader
    package var minors: [HealthRecord]
    /// Whether the signed-in person acts as a minor's legal representative.
    package var representing: Bool
    package var alerts: RecordService.AccessAlerts
    package var claims: [Claim]
    package var now: Date
    package var csrf: String

    package init(record: HealthRecord, latest: [DocumentEntry], summary: [SummaryEntry], reader: PortalSummaryText.Reader, minors: [HealthRecord],
                 representing: Bool, alerts: RecordService.AccessAlerts, claims: [Claim], now: Date, csrf: String) {
        self.record = record
        self.latest = latest
        self.summary = summary
        self.reader = reader
        self.minors = minors
        self.representing = representing
        self.alerts = alerts
        self.claims = claims
        self.now = now
        self.csrf = csrf
    }

    package func render(_ l: PortalLanguage) -> HTML {
        let items = { (kind: SummaryKind) -> [HTML] in
            summary.filter { $0.kind == kind }.map { "<li>\(PortalSummaryText.describe($0, for: reader, l))</li>" }
        }
        let none: HTML = "<li>\(l.t(.nothingRecorded))</li>"
        return """
            <p>\(record.identity.givenNames.first ?? "") \(record.identity.birthFamilyName) — \
            \(record.state == .active ? l.t(.recordOpen) : l.t(.recordClosed2))</p>
            \(PortalRepresentedRecords.render(minors, open: record.id, representing: representing, csrf: csrf, l))
            \(PortalHomeAlerts.render(alerts, names: reader.names, csrf: csrf, l))
            <div class="grid">
            <section class="card"><h2>\(l.t(.latestDocuments))</h2><ul>\(latest.isEmpty ? none : HTML.join(latest.map { entry -> HTML in
                "<li><a href=\"/portal/patient/documents/\(entry.id.description)\">\(entry.title ?? PortalDocumentTypes.label(entry.type.code, l))</a> — \(PortalPage.date(entry.date, l))</li>" }))</ul></section>
            <section class="card"><h2>\(l.t(.allergies))</h2><ul>\(items(.allergy).isEmpty ? [none] : items(.allergy))</ul></section>
            <section class="card"><h2>\(l.t(.currentTreatments))</h2><ul>\(items(.medication).isEmpty ? [none] : items(.medication))</ul></section>
            <section class="card"><h2>\(l.t(.bloodGroup))</h2><ul>\(items(.observation).isEmpty ? [none] : items(.observation))</ul></section>
            </div>
            <h2>\(l.t(.reimbursedCareOverTheLastMonths))</h2>
            \(PortalChart.claimsPerMonth(claims, language: l, now: now))
            """
    }
}
