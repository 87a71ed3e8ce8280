import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// `GET /fhir/ExplanationOfBenefit?patient=<id>`: the care history of the last 24 months, newest
/// care first, with `service-date` filters and paging; `GET /fhir/ExplanationOfBenefit/{id}`: one
/// claim of it (what a search entry's `fullUrl` names). Both decided as the DMP's `REMB` document.
struct CareHistoryRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("ExplanationOfBenefit", use: search)
        group.post("ExplanationOfBenefit/_search", use: search)
        group.get("ExplanationOfBenefit/:id", use: read)
    }

    @Sendable func search(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let search = try PatientPagedSearch(request.uri.queryParameters, resource: "ExplanationOfBenefit", dateNames: ["service-date", "created"])
        let claims: [Claim]
        do {
            claims = try await service.careHistory(of: search.patient, dates: search.dates, by: actor)
        } catch AccessError.notFound {
            claims = []
        }
        let page = claims.dropFirst(search.offset).prefix(search.count)
        let base = "\(configuration.baseURL)/fhir"
        let entries = page.map { claim in
            let resource = ExplanationOfBenefitResource(claim, recordID: search.patient)
            return (fullUrl: "\(base)/ExplanationOfBenefit/\(resource.id)", resource: resource)
        }
        return FHIRResponse.make(SearchBundle(selfURL: "\(base)/ExplanationOfBenefit?\(request.uri.query ?? "")", entries: entries, total: claims.count,
                                              nextURL: SearchPaging.nextURL(request, path: "\(base)/ExplanationOfBenefit", offset: search.offset,
                                                                            count: search.count, total: claims.count)))
    }

    @Sendable func read(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try SummaryRoutes.refuseParameters(request, operation: "ExplanationOfBenefit read")
        // An id this server never gives names nothing: 404, as any unknown id.
        guard let id = context.parameters.get("id"), let parsed = ExplanationOfBenefitResource.parse(id) else { throw AccessError.notFound }
        let claim = try await service.careHistoryClaim(of: parsed.recordID, reference: "ExplanationOfBenefit/\(id)", matching: parsed.matches, by: actor)
        return FHIRResponse.make(ExplanationOfBenefitResource(claim, recordID: parsed.recordID))
    }
}
