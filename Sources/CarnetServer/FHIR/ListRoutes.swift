import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// MHD ITI-66: `GET /fhir/List?patient=…&code=submissionset` finds a patient's submission sets,
/// each listing only the documents the caller may see.
struct ListRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    var fhirBase: String { "\(configuration.baseURL)/fhir" }

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("List", use: search)
        group.post("List/_search", use: search)
    }

    @Sendable func search(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let search = try SubmissionSetSearch(request.uri.queryParameters, keyChecking: configuration.insKeyChecking)
        let result = try await service.searchSubmissionSets(of: search.subject.serviceSubject, search.query, by: actor)
        let bundle = SearchBundle(selfURL: "\(fhirBase)/List?\(request.uri.query ?? "")",
                                  entries: result.page.map { (fullUrl: "\(fhirBase)/List/\($0.id)", resource: SubmissionSetList($0)) },
                                  total: result.total,
                                  nextURL: SearchPaging.nextURL(request, path: "\(fhirBase)/List", offset: search.query.offset,
                                                                count: search.query.count, total: result.total))
        return FHIRResponse.make(bundle)
    }
}
