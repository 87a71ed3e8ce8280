import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// `GET /fhir/AuditEvent?patient=<id>`: the patient's access history (and their legal
/// representatives'), newest first, with `date` filters (eq/ge/gt/le/lt) and paging, both done by
/// the database, so a long history pages as fast as a short one.
struct AuditEventRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("AuditEvent", use: search)
    }

    @Sendable func search(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var patient: RecordID?
        var dates: [DateCondition] = []
        var count = 50
        var offset = 0
        for (rawName, value) in request.uri.queryParameters {
            let name = String(rawName)
            switch name {
            case "patient", "entity":
                guard let id = RecordID(String(value.split(separator: "/").last ?? "")) else { throw FHIRInputError("'\(value)' is not a Patient id", at: name) }
                patient = id
            case "date": dates.append(try DocumentSearch.dateCondition(String(value), name))
            case "_count":
                guard let number = Int(value), number >= 0 else { throw FHIRInputError("must be a non-negative number", at: name) }
                count = min(number, DocumentQuery.maximumCount)
            case "_offset":
                guard let number = Int(value), number >= 0 else { throw FHIRInputError("must be a non-negative number", at: name) }
                offset = number
            case "_format", "_pretty": continue
            default: throw FHIRInputError("search parameter '\(name)' is not supported on AuditEvent", at: name, code: "not-supported")
            }
        }
        guard let patient else { throw FHIRInputError("an AuditEvent search must name the patient: patient=<id>", at: "patient", code: "required") }
        guard let bounds = DateCondition.bounds(dates) else {
            throw FHIRInputError("ne is not supported on AuditEvent: use ge/gt/le/lt", at: "date", code: "not-supported")
        }
        let (page, total) = try await service.auditTrailPage(of: patient, from: bounds.from, until: bounds.until, limit: count, offset: offset,
                                                             by: actor)
        let base = "\(configuration.baseURL)/fhir"
        let bundle = SearchBundle(selfURL: "\(base)/AuditEvent?\(request.uri.query ?? "")",
                                  entries: page.map { (fullUrl: "\(base)/AuditEvent/\($0.id.uuidString.lowercased())", resource: AuditEventResource($0)) },
                                  total: total,
                                  nextURL: offset + page.count < total
                                      ? "\(base)/AuditEvent?\(SearchPaging.nextQuery(request, offset: offset + count))" : nil)
        return FHIRResponse.make(bundle)
    }
}
