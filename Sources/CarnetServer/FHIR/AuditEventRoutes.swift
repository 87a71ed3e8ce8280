import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import CarnetJSON
import Hummingbird

/// `GET /fhir/AuditEvent?patient=<id>`: the patient's access history (and their legal
/// representatives'), newest first, with `date` filters (eq/ge/gt/le/lt) and paging, both done by
/// the database, so a long history pages as fast as a short one.
struct AuditEventRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("AuditEvent", use: search)
        group.post("AuditEvent/_search", use: search)
    }

    @Sendable func search(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let search = try PatientPagedSearch(request.uri.queryParameters, resource: "AuditEvent", patientNames: ["patient", "entity"],
                                            dateNames: ["date"])
        guard let bounds = DateCondition.bounds(search.dates) else {
            throw FHIRInputError("ne is not supported on AuditEvent: use ge/gt/le/lt", at: "date", code: "not-supported")
        }
        let (page, total) = try await service.auditTrailPage(of: search.patient, from: bounds.from, until: bounds.until, limit: search.count, offset: search.offset,
                                                             by: actor)
        let base = "\(configuration.baseURL)/fhir"
        let bundle = SearchBundle(selfURL: "\(base)/AuditEvent?\(request.uri.query ?? "")",
                                  entries: page.map { (fullUrl: "\(base)/AuditEvent/\($0.id.lowercasedText)", resource: AuditEventResource($0)) },
                                  total: total,
                                  nextURL: SearchPaging.nextURL(request, path: "\(base)/AuditEvent", offset: search.offset, count: search.count, total: total))
        return FHIRResponse.make(bundle)
    }
}
