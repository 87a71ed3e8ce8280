import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// `GET /fhir/ExplanationOfBenefit?patient=<id>`: the care history of the last 24 months, newest
/// care first, with `service-date` filters and paging; decided as the DMP's `REMB` document.
struct CareHistoryRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("ExplanationOfBenefit", use: search)
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
            case "patient":
                guard let id = RecordID(String(value.split(separator: "/").last ?? "")) else { throw FHIRInputError("'\(value)' is not a Patient id", at: name) }
                patient = id
            case "service-date", "created": dates.append(try DocumentSearch.dateCondition(String(value), name))
            case "_count":
                guard let number = Int(value), number >= 0 else { throw FHIRInputError("must be a non-negative number", at: name) }
                count = min(number, DocumentQuery.maximumCount)
            case "_offset":
                guard let number = Int(value), number >= 0 else { throw FHIRInputError("must be a non-negative number", at: name) }
                offset = number
            case "_format", "_pretty": continue
            default: throw FHIRInputError("search parameter '\(name)' is not supported on ExplanationOfBenefit", at: name, code: "not-supported")
            }
        }
        guard let patient else {
            throw FHIRInputError("an ExplanationOfBenefit search must name the patient: patient=<id>", at: "patient", code: "required")
        }
        let claims: [Claim]
        do {
            claims = try await service.careHistory(of: patient, dates: dates, by: actor)
        } catch AccessError.notFound {
            claims = []
        }
        let page = claims.dropFirst(offset).prefix(count)
        let base = "\(configuration.baseURL)/fhir"
        let entries = page.map { claim in
            let resource = ExplanationOfBenefitResource(claim, recordID: patient)
            return (fullUrl: "\(base)/ExplanationOfBenefit/\(resource.id)", resource: resource)
        }
        return FHIRResponse.make(SearchBundle(selfURL: "\(base)/ExplanationOfBenefit?\(request.uri.query ?? "")", entries: entries, total: claims.count,
                                              nextURL: offset + page.count < claims.count
                                                  ? "\(base)/ExplanationOfBenefit?\(SearchPaging.nextQuery(request, offset: offset + count))" : nil))
    }
}
