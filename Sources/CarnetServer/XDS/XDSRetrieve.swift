import CarnetCore
import CarnetService
import Foundation

/// ITI-43 Retrieve Document Set: each requested document read through the same
/// ``RecordService/documentContent(_:in:by:)`` as ITI-68 (same policy, same audit event), found by its
/// `DocumentUniqueId` among the documents the actor may see.
///
/// A document the actor may not see is answered as a missing one (`XDSDocumentUniqueIdError`); some
/// found and some not is a PartialSuccess, as ITI TF-2b §3.43.4.2.3 says.
struct XDSRetrieve {
    let service: RecordService

    /// Most documents one request may ask for.
    static let maximumDocuments = 100

    func answer(_ envelope: SOAPEnvelope, by actor: Actor) async throws -> (body: String, documents: [Data]) {
        let xdsb = XDSVocabulary.Namespace.xdsb
        guard envelope.request.name == "RetrieveDocumentSetRequest", envelope.request.namespace == xdsb else {
            throw XDSFailure(XDSVocabulary.ErrorCode.repositoryError, "the body is not a RetrieveDocumentSetRequest")
        }
        let requests = envelope.request.children("DocumentRequest", xdsb)
        guard !requests.isEmpty else { throw XDSFailure(XDSVocabulary.ErrorCode.repositoryError, "the request names no DocumentRequest") }
        guard requests.count <= Self.maximumDocuments else {
            throw XDSFailure(XDSVocabulary.ErrorCode.repositoryError, "the request names more than \(Self.maximumDocuments) documents: split it")
        }
        var found: [(uniqueID: String, mimeType: String, content: Data)] = []
        var errors: [XDSFailure.Entry] = []
        for request in requests {
            let uniqueID = request.child("DocumentUniqueId", xdsb)?.trimmedText ?? ""
            let repository = request.child("RepositoryUniqueId", xdsb)?.trimmedText ?? ""
            guard repository == XDSRoutes.repositoryUniqueID else {
                errors.append(.init(code: XDSVocabulary.ErrorCode.unknownRepositoryID,
                                    message: "repository '\(repository.prefix(100))' is not this one (\(XDSRoutes.repositoryUniqueID))", location: uniqueID))
                continue
            }
            guard !uniqueID.isEmpty else {
                errors.append(.init(code: XDSVocabulary.ErrorCode.documentUniqueIDError, message: "a DocumentRequest has no DocumentUniqueId"))
                continue
            }
            do {
                let id = try await service.documentID(uniqueID: uniqueID, by: actor)
                let (entry, content) = try await service.documentContent(id, by: actor)
                found.append((entry.uniqueID, DocumentDraft.mediaType(of: entry.content.contentType), content))
            } catch {
                guard let failure = XDSErrorMapping.failure(for: error, in: .retrieve) else { throw error }
                errors += failure.errors.map { var entry = $0; entry.location = entry.location ?? uniqueID; return entry }
            }
        }
        let status = errors.isEmpty ? XDSVocabulary.ResponseStatus.success
            : found.isEmpty ? XDSVocabulary.ResponseStatus.failure : XDSVocabulary.ResponseStatus.partialSuccess
        let responses = found.enumerated().map { index, document in
            "<xdsb:DocumentResponse><xdsb:RepositoryUniqueId>\(XDSRoutes.repositoryUniqueID)</xdsb:RepositoryUniqueId>"
                + "<xdsb:DocumentUniqueId>\(SOAPWriter.escape(document.uniqueID))</xdsb:DocumentUniqueId>"
                + "<xdsb:mimeType>\(SOAPWriter.escape(document.mimeType))</xdsb:mimeType>"
                + "<xdsb:Document>\(SOAPResponse.documentMarker(index))</xdsb:Document></xdsb:DocumentResponse>"
        }.joined()
        return (Self.body(status: status, errors: errors, responses: responses), found.map(\.content))
    }

    static func body(status: String, errors: [XDSFailure.Entry], responses: String) -> String {
        "<xdsb:RetrieveDocumentSetResponse xmlns:xdsb=\"\(XDSVocabulary.Namespace.xdsb)\" xmlns:rs=\"\(XDSVocabulary.Namespace.rs)\">"
            + "<rs:RegistryResponse status=\"\(status)\">"
            + (errors.isEmpty ? "" : SOAPWriter.errorList(XDSFailure(errors: errors))) + "</rs:RegistryResponse>"
            + responses + "</xdsb:RetrieveDocumentSetResponse>"
    }

    static func failureBody(_ failure: XDSFailure) -> String {
        body(status: XDSVocabulary.ResponseStatus.failure, errors: failure.errors, responses: "")
    }
}
