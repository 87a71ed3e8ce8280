import CarnetCore
import CarnetFHIR
import CarnetService
import CarnetStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `Patient`: create a record for an INS, read it, find it by INS (TD0.2), close and reopen it.
///
/// Thin by design: each handler decodes, calls one ``RecordService`` method with the authenticated
/// actor, and encodes. Access decisions happen behind the service, never here.
struct PatientRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.post("Patient", use: create)
        group.get("Patient", use: search)
        group.post("Patient/_search", use: search)
        group.get("Patient/:id", use: read)
        group.post("Patient/:id/$close") { request, context in try await transition(.closeRecord, request, context) }
        group.post("Patient/:id/$reopen") { request, context in try await transition(.reopenRecord, request, context) }
        group.post("Patient/:id/$contact", use: contact)
    }

    /// `POST /fhir/Patient/{id}/$contact` with `Parameters` `email` (valueString): the holder (or an agent)
    /// sets the address sign-in codes and notifications go to. Who may is the door's decision.
    @Sendable func contact(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        let parameters = try FHIRJSON.decode(ParametersResource.self, from: data, resourceName: "Parameters")
        guard parameters.resourceType == "Parameters" else {
            throw FHIRInputError("is '\(parameters.resourceType)', expected 'Parameters'", at: "resourceType")
        }
        guard let text = parameters.string("email") else {
            throw FHIRInputError("is required: parameter 'email' (valueString, an e-mail address)", at: "Parameters.parameter", code: "required")
        }
        let email = try PatientResource.checkedEmail(text, at: "Parameters.parameter.valueString")
        let record = try await service.changeContact(of: try recordID(context), email: email, by: actor)
        return FHIRResponse.make(PatientResource(record, contact: AccessPolicy.readsContact(actor)),
                                 headers: FHIRResponse.version(record.version, updated: record.stateChangedAt))
    }

    @Sendable func create(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try FHIRCreateQuery.refuseCriteria(request, type: "Patient")
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        let patient = try FHIRJSON.decode(PatientResource.self, from: data, resourceName: "Patient")
        let input = try patient.input(keyChecking: configuration.insKeyChecking)
        let creation = try await service.createRecord(ins: input.ins, identity: input.identity, by: actor)
        let location = "\(configuration.baseURL)/fhir/Patient/\(creation.record.id)"
        switch creation {
        case .created(let record):
            return FHIRResponse.make(PatientResource(record, contact: AccessPolicy.readsContact(actor)), status: .created,
                                     headers: [.location: "\(location)/_history/\(record.version)", .eTag: "W/\"\(record.version)\""])
        case .existing(let record):
            return FHIRResponse.make(PatientResource(record, contact: AccessPolicy.readsContact(actor)), status: .ok,
                                     headers: [.contentLocation: location, .eTag: "W/\"\(record.version)\""])
        }
    }

    @Sendable func read(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let record = try await service.readRecord(try recordID(context), by: actor)
        return FHIRResponse.make(PatientResource(record, contact: AccessPolicy.readsContact(actor)),
                                 headers: FHIRResponse.version(record.version, updated: record.stateChangedAt))
    }

    /// `GET /fhir/Patient?identifier=system|value` (or `_id`). A search must name one patient: there is
    /// no way to list records, and unknown parameters are refused rather than ignored, so a typo never
    /// widens a search.
    @Sendable func search(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = try PatientSearch(request.uri.queryParameters, keyChecking: configuration.insKeyChecking)
        var found: [PatientResource] = []
        switch query {
        case .identifier(let ins):
            // TD0.2: the record's status and, for a professional, their own standing on it.
            if let check = try await service.checkExistence(ins: ins, by: actor) {
                found.append(PatientResource(check.record, contact: AccessPolicy.readsContact(actor), accessStatus: check.access?.rawValue,
                                             treatingPhysician: check.access == nil ? nil : check.isTreatingPhysician))
            }
        case .ids(let ids):
            var seen: Set<RecordID> = []
            for id in ids where seen.insert(id).inserted {
                do { found.append(PatientResource(try await service.readRecord(id, by: actor), contact: AccessPolicy.readsContact(actor))) } catch AccessError.notFound {}
            }
        }
        let base = "\(configuration.baseURL)/fhir"
        let bundle = SearchBundle(selfURL: "\(base)/Patient?\(query.canonicalQuery)",
                                  entries: found.map { (fullUrl: "\(base)/Patient/\($0.id ?? "")", resource: $0) })
        return FHIRResponse.make(bundle)
    }

    func transition(_ action: Action, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try recordID(context)
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        var reason: String?
        if !data.isEmpty {
            let parameters = try FHIRJSON.decode(ParametersResource.self, from: data, resourceName: "Parameters")
            guard parameters.resourceType == "Parameters" else {
                throw FHIRInputError("is '\(parameters.resourceType)', expected 'Parameters'", at: "resourceType")
            }
            reason = parameters.string("reason")
        }
        let record = try await service.transition(id, action, reason: reason, by: actor)
        return FHIRResponse.make(PatientResource(record, contact: AccessPolicy.readsContact(actor)),
                                 headers: FHIRResponse.version(record.version, updated: record.stateChangedAt))
    }

    private func recordID(_ context: CarnetRequestContext) throws -> RecordID {
        try context.pathID()
    }
}
