import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird

/// The structured summary over FHIR R4: for each of `AllergyIntolerance`, `Condition`,
/// `MedicationStatement`, `Immunization`, `Observation`, `RelatedPerson` and `Consent` (advance
/// directives, organ donation) create, read, `vread`, `_history`, update (`PUT`, with `If-Match`),
/// delete and search by patient; and `Patient/{id}/$summary` (an IPS-style document) and
/// `Patient/{id}/$everything`. Thin: the FHIR layer reads the resource, the service decides.
struct SummaryRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    var fhirBase: String { "\(configuration.baseURL)/fhir" }

    func register(on group: RouterGroup<CarnetRequestContext>) {
        for type in SummaryResource.resourceTypes {
            group.post(RouterPath(type)) { request, context in try await create(type, request, context) }
            group.get(RouterPath(type)) { request, context in try await search(type, request, context) }
            group.post(RouterPath("\(type)/_search")) { request, context in try await search(type, request, context) }
            group.get(RouterPath("\(type)/:id")) { request, context in try await read(type, request, context) }
            group.get(RouterPath("\(type)/:id/_history")) { request, context in try await history(type, request, context) }
            group.get(RouterPath("\(type)/:id/_history/:version")) { request, context in try await read(type, request, context) }
            group.put(RouterPath("\(type)/:id")) { request, context in try await update(type, request, context) }
            group.delete(RouterPath("\(type)/:id")) { request, context in try await delete(type, request, context) }
        }
        group.get("Patient/:id/$summary", use: summary)
        group.get("Patient/:id/$everything", use: everything)
    }

    func create(_ type: String, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try FHIRCreateQuery.refuseCriteria(request, type: type)
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        let item = try SummaryResource.item(from: data, resourceType: type)
        if let existing = try await conditionalMatch(type, request, patient: item.recordID, by: actor) {
            // R4 conditional create: one match is answered as it stands, nothing is created.
            return FHIRResponse.make(SummaryResource.resource(existing), status: .ok,
                                     headers: [.contentLocation: "\(fhirBase)/\(type)/\(existing.id)/_history/\(existing.version)", .eTag: etag(existing)])
        }
        let entry = try await service.addSummaryItem(item, by: actor)
        return FHIRResponse.make(SummaryResource.resource(entry), status: .created,
                                 headers: [.location: "\(fhirBase)/\(type)/\(entry.id)/_history/\(entry.version)", .eTag: etag(entry)])
    }

    /// `If-None-Exist` (R4 http.html#ccreate): the criteria searched as a search of this type in the
    /// item's record (its patient added when the criteria do not name one), through the door and with
    /// its decisions; `nil` when nothing matches, the item when one does, 412 when several do.
    func conditionalMatch(_ type: String, _ request: Request, patient: RecordID, by actor: Actor) async throws -> SummaryEntry? {
        guard let criteria = request.headers[.ifNoneExist], !criteria.isEmpty else { return nil }
        var parameters = FHIRSearchControlsMiddleware.pairs(criteria).map { (key: Substring($0.name), value: Substring($0.value)) }
        if !parameters.contains(where: { ["patient", "subject"].contains($0.key) }) {
            parameters.append((key: "patient", value: Substring(patient.description)))
        }
        let search: SummarySearch
        do {
            search = try SummarySearch(parameters, resourceType: type)
        } catch {
            throw FHIRInputError("\(error.message) (in If-None-Exist)", at: "If-None-Exist", code: error.code)
        }
        guard search.patient == patient else {
            throw FHIRInputError("names another patient than the resource's", at: "If-None-Exist")
        }
        let matches = try await service.searchSummary(of: search.patient, search.query, by: actor)
            .filter { entry in search.ids.map { $0.contains(entry.id.description) } ?? true }
        guard matches.count <= 1 else {
            throw FHIRInputError("\(matches.count) \(type) resources match If-None-Exist: make the criteria select one", at: "If-None-Exist",
                                 code: "multiple-matches")
        }
        return matches.first
    }

    func read(_ type: String, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var version: Int?
        if let text = context.parameters.get("version") {
            guard let number = Int(text), number >= 1 else { throw FHIRInputError("'\(text)' is not a version number", at: "_history", code: "not-found") }
            version = number
        }
        let entry = try await service.readSummaryItem(try itemID(context), as: type, version: version, by: actor)
        return FHIRResponse.make(SummaryResource.resource(entry), headers: FHIRResponse.version(entry.version, updated: entry.recordedAt))
    }

    func history(_ type: String, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let versions = try await service.summaryItemHistory(try itemID(context), as: type, by: actor)
        return FHIRResponse.make(HistoryBundle(entries: versions.map { version in
            let method = version.version == 1 ? "POST" : version.deleted ? "DELETE" : "PUT"
            return HistoryBundle.Entry(fullUrl: "\(fhirBase)/\(type)/\(version.id)", resource: SummaryResource.resource(version), method: method,
                                       url: version.version == 1 ? type : "\(type)/\(version.id)",
                                       status: version.version == 1 ? "201 Created" : version.deleted ? "204 No Content" : "200 OK")
        }))
    }

    func update(_ type: String, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try itemID(context)
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        let item = try SummaryResource.item(from: data, resourceType: type, id: id)
        let entry = try await service.updateSummaryItem(id, item, expectedVersion: try expectedVersion(request), by: actor)
        return FHIRResponse.make(SummaryResource.resource(entry), headers: FHIRResponse.version(entry.version, updated: entry.recordedAt))
    }

    func delete(_ type: String, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        _ = try await service.deleteSummaryItem(try itemID(context), as: type, expectedVersion: try expectedVersion(request), by: actor)
        return Response(status: .noContent)
    }

    func search(_ type: String, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let search = try SummarySearch(request.uri.queryParameters, resourceType: type)
        var entries: [(fullUrl: String, resource: JSONValue)] = []
        if type == "Consent" && search.includesPrivacyConsents {
            // The access decisions are the patient's own view (a professional is refused, as before).
            let (record, controls) = try await service.accessControls(of: search.patient, by: actor)
            entries = try ConsentResource.all(controls, recordID: record.id).map { (fullUrl: "\(fhirBase)/Consent/\($0.id)", resource: try JSONValue(encoding: $0)) }
        }
        if !search.query.kinds.isEmpty {
            entries += search.sorted(try await service.searchSummary(of: search.patient, search.query, by: actor))
                .map { (fullUrl: "\(fhirBase)/\(type)/\($0.id)", resource: SummaryResource.resource($0)) }
        }
        if let ids = search.ids { entries = entries.filter { ids.contains($0.resource["id"]?.string ?? "") } }
        let count = search.count ?? entries.count
        return FHIRResponse.make(SearchBundle(selfURL: "\(fhirBase)/\(type)?\(request.uri.query ?? "")",
                                              entries: Array(entries.dropFirst(search.offset).prefix(count)), total: entries.count,
                                              nextURL: SearchPaging.nextURL(request, path: "\(fhirBase)/\(type)", offset: search.offset, count: count,
                                                                            total: entries.count)))
    }

    /// `GET Patient/{id}/$summary`: the IPS-style document of what the reader may see.
    @Sendable func summary(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try Self.refuseParameters(request, operation: "$summary")
        let summary = try await service.patientSummary(of: try patientID(context), by: actor)
        return FHIRResponse.make(try PatientSummaryDocument.bundle(patient: PatientResource(summary.record), recordID: summary.record.id,
                                                                   items: summary.items, directiveDocuments: summary.directiveDocuments,
                                                                   builtAt: summary.builtAt, baseURL: fhirBase,
                                                                   markedNew: Set(summary.items.filter { summary.lastAccess.isNew($0.recordedAt) }
                                                                                      .map { "\(fhirBase)/\($0.kind.resourceType)/\($0.id)" }
                                                                                  + summary.directiveDocuments.filter { summary.lastAccess.isNew($0.recordedAt) }
                                                                                      .map { "\(fhirBase)/DocumentReference/\($0.id)" })))
    }

    /// `GET Patient/{id}/$everything`: the patient, documents, summary items and claims the reader may see, paged.
    @Sendable func everything(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var count = 50
        var offset = 0
        for (name, value) in request.uri.queryParameters {
            switch String(name) {
            case "_count": count = try PatientPagedSearch.count(String(value), "_count")
            case "_offset": offset = try PatientPagedSearch.offset(String(value), "_offset")
            case "_format", "_pretty": continue
            case let other: throw FHIRInputError("parameter '\(other)' is not supported on $everything", at: other, code: "not-supported")
            }
        }
        let all = try await service.everything(of: try patientID(context), by: actor)
        let recordID = all.record.id
        var resources: [(fullUrl: String, resource: JSONValue)] = [(fullUrl: "\(fhirBase)/Patient/\(recordID)", resource: try JSONValue(encoding: PatientResource(all.record)))]
        resources += try all.documents.map { (fullUrl: "\(fhirBase)/DocumentReference/\($0.id)", resource: try JSONValue(encoding: DocumentReferenceResource($0, baseURL: fhirBase))) }
        resources += all.items.map { (fullUrl: "\(fhirBase)/\($0.kind.resourceType)/\($0.id)", resource: SummaryResource.resource($0)) }
        resources += try all.claims.map { claim in
            let resource = ExplanationOfBenefitResource(claim, recordID: recordID)
            return (fullUrl: "\(fhirBase)/ExplanationOfBenefit/\(resource.id)", resource: try JSONValue(encoding: resource))
        }
        let page = Array(resources.dropFirst(offset).prefix(count))
        let path = "\(fhirBase)/Patient/\(recordID)/$everything"
        let markedNew = Set(all.documents.filter { all.lastAccess.isNew($0.recordedAt) }.map { "\(fhirBase)/DocumentReference/\($0.id)" }
                            + all.items.filter { all.lastAccess.isNew($0.recordedAt) }.map { "\(fhirBase)/\($0.kind.resourceType)/\($0.id)" })
        return FHIRResponse.make(SearchBundle(selfURL: "\(path)?\(request.uri.query ?? "")", entries: page, total: resources.count,
                                              nextURL: SearchPaging.nextURL(request, path: path, offset: offset, count: count, total: resources.count),
                                              markedNew: markedNew))
    }

    // MARK: - Steps

    static func refuseParameters(_ request: Request, operation: String) throws {
        for (name, _) in request.uri.queryParameters where !["_format", "_pretty"].contains(String(name)) {
            throw FHIRInputError("parameter '\(name)' is not supported on \(operation)", at: String(name), code: "not-supported")
        }
    }

    /// `If-Match: W/"3"` (or `"3"`): the version the client last read.
    func expectedVersion(_ request: Request) throws -> Int? {
        try DocumentRoutes.expectedVersion(request)
    }

    func etag(_ entry: SummaryEntry) -> String { "W/\"\(entry.version)\"" }

    func itemID(_ context: CarnetRequestContext) throws -> SummaryEntryID {
        try context.pathID()
    }

    func patientID(_ context: CarnetRequestContext) throws -> RecordID {
        try context.pathID()
    }
}
