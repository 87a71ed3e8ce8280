package import CarnetCore
package import CarnetService
package import Foundation

/// The itemised care history of the last 24 months (what the insurer reimbursed), newest care first,
/// a page at a time: the chart per month, the count, and one page of the table with its navigation.
/// Only the page number travels in the URL, never health data.
package struct PortalCareHistoryPage {
    package static let claimsPerPage = 25

    /// Every claim, newest care first.
    package var claims: [Claim]
    /// The page shown, within 1…``pages``.
    package var page: Int
    package var now: Date

    /// - Parameter requested: the page the URL asks for, clamped to those there are.
    package init(claims: [Claim], requested: Int?, now: Date) {
        self.claims = claims.sorted { $0.serviceDate > $1.serviceDate }
        self.now = now
        page = 1
        page = max(1, min(requested ?? 1, pages))
    }

    package var pages: Int { max(1, (claims.count + Self.claimsPerPage - 1) / Self.claimsPerPage) }

    /// The claims of the page shown.
    package var shown: ArraySlice<Claim> { claims.dropFirst((page - 1) * Self.claimsPerPage).prefix(Self.claimsPerPage) }

    /// - Parameter names: the directory's entries for the prescribers of the page shown.
    package func render(names: ProfessionalNames, _ l: PortalLanguage) -> HTML {
        func euros(_ cents: Int?) -> String {
            guard let cents else { return "—" }
            return l == .fr ? "\(cents / 100),\(String(format: "%02d", cents % 100)) €" : "€\(cents / 100).\(String(format: "%02d", cents % 100))"
        }
        let rows = shown.map { claim -> HTML in
            """
            <tr><td>\(claim.serviceDate.description)</td><td>\(claim.label) <span class="hint">\(claim.code.code)</span></td>\
            <td>\(claim.prescriberRPPS.map { PortalPeople.professional($0, names, l) } ?? "—")</td><td>\(claim.performer ?? "—")</td>\
            <td>\(euros(claim.chargedCents))</td><td>\(euros(claim.reimbursedCents))</td></tr>
            """
        }
        let navigation: HTML = pages <= 1 ? "" : """
            <p>\(l.t(.page)) \(page) / \(pages) \
            \(page > 1 ? html("<a href=\"/portal/patient/care-history?page=\(page - 1)\">\(l.t(.previousPage))</a>") : "") \
            \(page < pages ? html("<a href=\"/portal/patient/care-history?page=\(page + 1)\">\(l.t(.nextPage))</a>") : "")</p>
            """
        return """
            <p>\(l.t(.theCareTheHealthInsurerReimbursed))</p>
            \(PortalChart.claimsPerMonth(claims, language: l, now: now))
            <p>\(claims.count) \(l.t(.reimbursedCareItemS))</p>
            \(navigation)
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t(.reimbursedCareTheTableScrolls))">
            <table><thead><tr><th scope="col">\(l.t(.dateOfCare))</th><th scope="col">\(l.t(.actOrMedicine))</th>\
            <th scope="col">\(l.t(.prescriber))</th><th scope="col">\(l.t(.performedBy))</th>\
            <th scope="col">\(l.t(.charged))</th><th scope="col">\(l.t(.reimbursed))</th></tr></thead>
            <tbody>\(rows.isEmpty ? [html("<tr><td colspan=\"6\">\(l.t(.noReimbursedCareInThePeriod))</td></tr>")] : rows)</tbody></table></div>
            \(navigation)
            """
    }
}
