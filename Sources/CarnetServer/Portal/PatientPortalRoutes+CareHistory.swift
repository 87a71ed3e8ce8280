import CarnetPortal
import CarnetCore
import CarnetService
import Foundation
import Hummingbird

/// The itemised care history of the last 24 months (what the insurer reimbursed), newest care first,
/// a page at a time — read through ``RecordService/careHistory(of:dates:by:)`` like the API's
/// `ExplanationOfBenefit` search. Only the page number travels in the URL, never health data.
extension PatientPortalRoutes {
    static let claimsPerPage = 25

    @Sendable func careHistoryPage(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let claims = try await service.careHistory(of: recordID, by: session.actor).sorted { $0.serviceDate > $1.serviceDate }
        let pages = max(1, (claims.count + Self.claimsPerPage - 1) / Self.claimsPerPage)
        let page = max(1, min(request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1, pages))
        let shown = claims.dropFirst((page - 1) * Self.claimsPerPage).prefix(Self.claimsPerPage)
        func euros(_ cents: Int?) -> String {
            guard let cents else { return "—" }
            return l == .fr ? "\(cents / 100),\(String(format: "%02d", cents % 100)) €" : "€\(cents / 100).\(String(format: "%02d", cents % 100))"
        }
        let names = try await service.professionals(shown.compactMap(\.prescriberRPPS))
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
        let body: HTML = """
            <p>\(l.t(.theCareTheHealthInsurerReimbursed))</p>
            \(PortalChart.claimsPerMonth(claims, language: l, now: service.now()))
            <p>\(claims.count) \(l.t(.reimbursedCareItemS))</p>
            \(navigation)
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t(.reimbursedCareTheTableScrolls))">
            <table><thead><tr><th scope="col">\(l.t(.dateOfCare))</th><th scope="col">\(l.t(.actOrMedicine))</th>\
            <th scope="col">\(l.t(.prescriber))</th><th scope="col">\(l.t(.performedBy))</th>\
            <th scope="col">\(l.t(.charged))</th><th scope="col">\(l.t(.reimbursed))</th></tr></thead>
            <tbody>\(rows.isEmpty ? [html("<tr><td colspan=\"6\">\(l.t(.noReimbursedCareInThePeriod))</td></tr>")] : rows)</tbody></table></div>
            \(navigation)
            """
        return self.page(request, context, .myReimbursedCare, path: "/portal/patient/care-history", body)
    }
}
