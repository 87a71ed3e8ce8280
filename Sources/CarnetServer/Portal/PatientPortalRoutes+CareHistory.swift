import CarnetPortal
import CarnetCore
import CarnetService
import Foundation
import Hummingbird

/// The itemised care history of the last 24 months (what the insurer reimbursed), newest care first,
/// a page at a time (``PortalCareHistoryPage``) — read through ``RecordService/careHistory(of:dates:by:)`` like the API's
/// `ExplanationOfBenefit` search. Only the page number travels in the URL, never health data.
extension PatientPortalRoutes {
    @Sendable func careHistoryPage(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let (session, recordID) = try signedIn(context)
        let l = PortalLanguage.from(request)
        let view = PortalCareHistoryPage(claims: try await service.careHistory(of: recordID, by: session.actor),
                                         requested: request.uri.queryParameters["page"].flatMap { Int($0) }, now: service.now())
        let names = try await service.professionals(view.shown.compactMap(\.prescriberRPPS))
        return self.page(request, context, .myReimbursedCare, path: "/portal/patient/care-history", view.render(names: names, l))
    }
}
