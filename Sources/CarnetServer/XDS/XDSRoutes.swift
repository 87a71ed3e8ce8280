import CarnetCore
import CarnetService
import Foundation
import Hummingbird

/// IHE XDS.b over SOAP 1.2: a second front door onto the same ``RecordService`` as the FHIR routes —
/// never a second path to the data. `POST /xds/repository` serves ITI-41 (Provide and Register
/// Document Set-b) and ITI-43 (Retrieve Document Set); `POST /xds/registry` serves ITI-18 (Registry
/// Stored Query) and ITI-57 (Update Document Set). The action is the WS-Addressing `Action` header.
///
/// Thin, like the FHIR routes: read the message, one service call per document or query, write the
/// answer. A refusal is a `RegistryResponse` with status Failure and an XDS error code
/// (``XDSErrorMapping``); a message that cannot be read is a SOAP fault (``XDSErrorMiddleware``).
struct XDSRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration
    /// Who calls: a verified VIHF, else the token's or certificate's actor.
    let identity: XDSIdentity

    /// Carnet's repository's unique id (`repositoryUniqueId`), given in answers and expected in ITI-43 requests.
    /// A synthetic OID (the `999` arc the tests use) until the configuration names the operator's own.
    static let repositoryUniqueID = "1.2.250.1.999.21.1"

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.post("repository", use: repository)
        group.post("registry", use: registry)
    }

    @Sendable func repository(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let envelope = try await read(request)
        let actor = try await identity.actor(for: envelope, authenticated: context.actor, now: service.now())
        switch envelope.action {
        case XDSVocabulary.Action.provideAndRegister:
            return try await answer(envelope, .provideAndRegister, failure: { SOAPWriter.registryResponse($0) }) {
                try await provideAndRegister(envelope, by: actor)
            }
        case XDSVocabulary.Action.retrieve:
            return try await answer(envelope, .retrieve, failure: XDSRetrieve.failureBody) {
                try await XDSRetrieve(service: service).answer(envelope, by: actor)
            }
        default:
            throw SOAPFault.actionNotSupported(envelope.action)
        }
    }

    @Sendable func registry(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let envelope = try await read(request)
        let actor = try await identity.actor(for: envelope, authenticated: context.actor, now: service.now())
        switch envelope.action {
        case XDSVocabulary.Action.storedQuery:
            return try await answer(envelope, .query, failure: XDSStoredQuery.failureBody) {
                try await XDSStoredQuery(service: service, keyChecking: configuration.insKeyChecking).answer(envelope, by: actor)
            }
        case XDSVocabulary.Action.updateDocumentSet:
            return try await answer(envelope, .update, failure: { SOAPWriter.registryResponse($0) }) {
                try await XDSUpdateDocumentSet(service: service, keyChecking: configuration.insKeyChecking).answer(envelope, by: actor)
            }
        default:
            throw SOAPFault.actionNotSupported(envelope.action)
        }
    }

    /// The request's SOAP envelope, read within the body size limit.
    private func read(_ request: Request) async throws -> SOAPEnvelope {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > configuration.maxBodySize {
            throw HTTPError(.contentTooLarge)
        }
        let body = Data(try await request.body.collect(upTo: configuration.maxBodySize).readableBytesView)
        let message = try MTOMMessage.read(body, contentType: request.headers[.contentType])
        return try SOAPEnvelope.read(message, maximumText: configuration.maxBodySize)
    }

    /// Runs a transaction and answers it: its own body, or its refusal written by `failure`.
    private func answer(_ envelope: SOAPEnvelope, _ transaction: XDSErrorMapping.Transaction, failure: (XDSFailure) -> String,
                        _ work: () async throws -> (body: String, documents: [Data])) async throws -> Response {
        let action = XDSVocabulary.Action.response(to: envelope.action)
        do {
            let (body, documents) = try await work()
            return SOAPResponse(action: action, relatesTo: envelope.messageID, body: body, documents: documents).response(mtom: envelope.isMTOM)
        } catch {
            guard let refusal = XDSErrorMapping.failure(for: error, in: transaction) else { throw error }
            return SOAPResponse(action: action, relatesTo: envelope.messageID, body: failure(refusal)).response(mtom: envelope.isMTOM)
        }
    }

    /// ITI-41: the submission pushed through the same ``RecordService/publish(_:as:for:by:)`` as ITI-65, all or nothing.
    private func provideAndRegister(_ envelope: SOAPEnvelope, by actor: Actor) async throws -> (body: String, documents: [Data]) {
        let submission = try XDSSubmission.read(envelope, keyChecking: configuration.insKeyChecking, maxContentSize: configuration.maxContentSize)
        guard let set = submission.submissionSet else {
            throw XDSFailure(XDSVocabulary.ErrorCode.registryMetadataError,
                             "the submission has no SubmissionSet (a RegistryPackage classified \(XDSVocabulary.SubmissionSet.classificationNode))")
        }
        _ = try await service.publish(submission.documents, as: set, for: submission.subject, by: actor)
        return (SOAPWriter.registryResponse(nil), [])
    }
}
