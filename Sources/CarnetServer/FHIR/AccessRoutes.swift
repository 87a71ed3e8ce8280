import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// The patient decides, over FHIR: the `$` operations that change who may access a record or see a
/// document, and `GET Consent?patient=…` that lists the decisions. Thin: decode the `Parameters`,
/// call one ``RecordService`` method, answer with an `OperationOutcome` saying what was recorded.
struct AccessRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.post("Patient/:id/$authorize", use: authorize)
        group.post("Patient/:id/$revoke") { request, context in
            try await change(request, context) { input in .revoke(try input.requiredProfessional()) }
        }
        group.post("Patient/:id/$block") { request, context in
            try await change(request, context) { input in .block(try input.requiredProfessional()) }
        }
        group.post("Patient/:id/$unblock") { request, context in
            try await change(request, context) { input in .unblock(try input.requiredProfessional()) }
        }
        group.post("Patient/:id/$treating-physician") { request, context in
            try await change(request, context) { input in .setTreatingPhysician(try input.professional()) }
        }
        group.post("Patient/:id/$emergency-access") { request, context in
            try await change(request, context) { input in
                let glass = try input.boolean("breakTheGlass")
                let regulation = try input.boolean("regulation")
                guard glass != nil || regulation != nil else {
                    throw FHIRInputError("is required: breakTheGlass and/or regulation (valueBoolean; false opposes the mode)",
                                         at: "Parameters.parameter", code: "required")
                }
                return .setEmergencyAccess(breakTheGlass: glass, regulation: regulation)
            }
        }
        group.post("Patient/:id/$hide-documents") { request, context in
            try await change(request, context) { input in
                guard let hidden = try input.boolean("hidden") else {
                    throw FHIRInputError("is required: parameter 'hidden' (valueBoolean)", at: "Parameters.parameter", code: "required")
                }
                return .hideDocumentsFromProfessionals(hidden)
            }
        }
        group.post("Patient/:id/$feeding") { request, context in
            try await change(request, context) { input in
                guard let allowed = try input.boolean("allowed") else {
                    throw FHIRInputError("is required: parameter 'allowed' (valueBoolean; false opposes feeding)", at: "Parameters.parameter",
                                         code: "required")
                }
                return .allowFeeding(allowed)
            }
        }
        group.post("Patient/:id/$notification-preferences") { request, context in
            try await change(request, context) { input in
                guard let wanted = try input.boolean("newDocuments") else {
                    throw FHIRInputError("is required: parameter 'newDocuments' (valueBoolean)", at: "Parameters.parameter", code: "required")
                }
                return .notifyNewDocuments(wanted)
            }
        }
        group.post("Patient/:id/$legal-representative", use: legalRepresentative)
        group.post("DocumentReference/:id/$mask") { request, context in try await visibility(.mask, request, context) }
        group.post("DocumentReference/:id/$unmask") { request, context in try await visibility(.unmask, request, context) }
        group.post("DocumentReference/:id/$show-to-patient") { request, context in try await visibility(.revealToPatient, request, context) }
    }

    /// By the patient: authorise the named professional. By a professional, without the parameter:
    /// declare the patient's consent given in consultation (or, with `careTeam`, care-team membership).
    @Sendable func authorize(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let input = try await operationInput(request)
        if let own = actor.professional {
            // Only the patient authorises someone else; a professional declares consent for themselves.
            if let named = try input.professional(), named != own.rpps { throw AccessError.denied(.roleNotAllowed) }
            let careTeam = try input.boolean("careTeam") ?? false
            _ = try await service.declareConsent(on: try recordID(context), careTeam: careTeam, by: actor)
            return done(careTeam ? "care-team membership recorded" : "the patient's consent given in consultation is recorded")
        }
        let rpps = try input.requiredProfessional()
        _ = try await service.changeAccess(of: try recordID(context), .authorize(rpps), by: actor)
        return done("professional \(rpps.value) is authorised")
    }

    @Sendable func legalRepresentative(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let input = try await operationInput(request)
        let representative = try input.representative(keyChecking: configuration.insKeyChecking)
        let add = try input.representativeAction()
        _ = try await service.changeLegalRepresentative(of: try recordID(context), representative, add: add, by: actor)
        return done(add ? "legal representative added" : "legal representative removed")
    }

    func change(_ request: Request, _ context: CarnetRequestContext,
                _ make: (AccessOperationInput) throws -> RecordService.AccessChange) async throws -> Response {
        let actor = try context.requireActor()
        let change = try make(try await operationInput(request))
        _ = try await service.changeAccess(of: try recordID(context), change, by: actor)
        return done("recorded")
    }

    func visibility(_ change: RecordService.VisibilityChange, _ request: Request, _ context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id: DocumentID = try context.pathID()
        _ = try await operationInput(request)
        let entry = try await service.changeVisibility(of: id, change, by: actor)
        return FHIRResponse.make(DocumentReferenceResource(entry, baseURL: "\(configuration.baseURL)/fhir"),
                                 headers: [.eTag: "W/\"\(entry.metadataVersion)\""])
    }

    private func operationInput(_ request: Request) async throws -> AccessOperationInput {
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        return try AccessOperationInput(data.isEmpty ? nil : try FHIRJSON.decode(ParametersResource.self, from: data, resourceName: "Parameters"))
    }

    private func done(_ message: String) -> Response {
        FHIRResponse.make(OperationOutcome(severity: "information", code: "informational", diagnostics: message))
    }

    private func recordID(_ context: CarnetRequestContext) throws -> RecordID {
        try context.pathID()
    }
}
