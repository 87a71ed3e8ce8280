import CarnetCore
import CarnetFHIR
import CarnetService
import CarnetStore

/// What a refusal of the service means in XDS terms: the same errors the FHIR door maps to an
/// `OperationOutcome` (``ErrorMeaning``), here mapped to an XDS error code, with the same words — so
/// the two doors refuse the same things for the same reasons, and conceal the same things alike.
enum XDSErrorMapping {
    /// The transaction a refusal is answered in, which decides what "not found" is called.
    enum Transaction { case provideAndRegister, retrieve, query, update }

    /// The failure for a known error; `nil` for anything else (an internal fault, logged and answered as a fault).
    static func failure(for error: any Error, in transaction: Transaction) -> XDSFailure? {
        let codes = XDSVocabulary.ErrorCode.self
        switch error {
        case let failure as XDSFailure:
            return failure
        case let error as AccessError:
            switch error {
            case .notFound:
                // The record or document is missing, or the actor may not know it exists: one answer for both.
                switch transaction {
                case .provideAndRegister: return XDSFailure(codes.unknownPatientID, error.description)
                case .retrieve, .query: return XDSFailure(codes.documentUniqueIDError, error.description)
                case .update: return XDSFailure(codes.unresolvedReference, error.description)
                }
            case .denied: return XDSFailure(codes.registryError, "access denied: \(error.description)")
            }
        case let error as RecordError:
            switch error {
            case .notFound: return XDSFailure(codes.unknownPatientID, error.description)
            default: return XDSFailure(codes.registryError, "\(error)")
            }
        case let error as DocumentInputError:
            switch error {
            case .duplicateUniqueID, .uniqueIDUnavailable: return XDSFailure(codes.documentUniqueIDError, error.description)
            case .duplicateSubmissionSet: return XDSFailure(codes.duplicateUniqueIDInRegistry, error.description)
            case .replacedDocumentNotFound, .relatedDocumentNotFound: return XDSFailure(codes.unresolvedReference, error.description)
            case .ambiguousUniqueID, .versionMismatch:
                return XDSFailure(transaction == .update ? codes.metadataVersionError : codes.registryError, error.description)
            }
        case let error as CDAHeaderMismatch:
            switch error {
            case .patient: return XDSFailure(codes.patientIDDoesNotMatch, error.description)
            case .type: return XDSFailure(codes.repositoryMetadataError, error.description)
            }
        case let error as DocumentLabelError:
            return XDSFailure(transaction == .update ? codes.metadataUpdateError : codes.repositoryMetadataError, error.description)
        case let error as DocumentError:
            return XDSFailure(transaction == .update ? codes.metadataUpdateError : codes.registryError, error.description)
        case let error as DocumentChangesError:
            switch error {
            case .patientMismatch: return XDSFailure(codes.patientIDDoesNotMatch, error.description)
            case .namedTwice: return XDSFailure(codes.metadataUpdateError, error.description)
            }
        case let error as AccessChangeError:
            return XDSFailure(codes.metadataUpdateError, error.description)
        case let error as FHIRInputError:
            return XDSFailure(codes.repositoryMetadataError, error.description)
        case let error as StoreError:
            switch error {
            case .duplicateDocument(let id): return XDSFailure(codes.documentUniqueIDError, DocumentInputError.uniqueIDUnavailable(id).description)
            case .duplicateSubmissionSet(let id): return XDSFailure(codes.duplicateUniqueIDInRegistry, DocumentInputError.duplicateSubmissionSet(id).description)
            case .versionConflict: return XDSFailure(codes.registryError, "changed concurrently by another request: retry")
            case .closed, .unavailable: return XDSFailure(codes.registryError, "the database is unavailable for now; nothing was done that you can count on: retry shortly")
            default: return nil
            }
        default:
            return nil
        }
    }
}
