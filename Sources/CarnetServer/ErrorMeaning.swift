import CarnetCore
import CarnetFHIR
import CarnetService
import CarnetStore
import HTTPTypes

/// What an error a client can cause means over HTTP — its status, FHIR issue code and the field it
/// concerns — in one table that both renderers read: the FHIR middleware turns it into an
/// `OperationOutcome`, the portal into a page in the reader's language. One table, so the API and the
/// portal can never answer the same error with two statuses (issue 15).
struct ErrorMeaning: Equatable {
    var status: HTTPResponse.Status
    /// The FHIR `issue.code` (http://hl7.org/fhir/valueset-issue-type.html).
    var code: String
    /// The element the error concerns, when the error itself does not say.
    var expression: String?

    /// The meaning of a known error; `nil` for anything else, which both renderers treat as an internal fault.
    static func of(_ error: any Error) -> ErrorMeaning? {
        switch error {
        case let error as FHIRInputError:
            switch error.code {
            case "too-costly": return ErrorMeaning(status: .contentTooLarge, code: error.code)
            case "not-found": return ErrorMeaning(status: .notFound, code: error.code)
            case "multiple-matches": return ErrorMeaning(status: .preconditionFailed, code: error.code)
            default: return ErrorMeaning(status: .badRequest, code: error.code)
            }
        case let error as DocumentInputError:
            switch error {
            case .duplicateUniqueID, .duplicateSubmissionSet, .uniqueIDUnavailable: return ErrorMeaning(status: .conflict, code: "duplicate")
            case .replacedDocumentNotFound: return ErrorMeaning(status: .unprocessableContent, code: "not-found")
            case .relatedDocumentNotFound(_, let path): return ErrorMeaning(status: .unprocessableContent, code: "not-found", expression: path)
            case .ambiguousUniqueID: return ErrorMeaning(status: .preconditionFailed, code: "multiple-matches")
            case .versionMismatch: return ErrorMeaning(status: .preconditionFailed, code: "conflict", expression: "If-Match")
            }
        case let error as CDAHeaderMismatch:
            // The content contradicts its metadata: a business rule (FHIR: 422), naming the metadata element.
            return ErrorMeaning(status: .unprocessableContent, code: "business-rule", expression: error.field)
        case is DocumentLabelError:
            return ErrorMeaning(status: .unprocessableContent, code: "invalid", expression: "DocumentReference.securityLabel")
        case is AccessChangeError, is DocumentError:
            return ErrorMeaning(status: .conflict, code: "business-rule")
        case let error as SummaryItemError:
            switch error {
            case .deleted: return ErrorMeaning(status: .gone, code: "deleted")
            case .kindChanged, .patientChanged: return ErrorMeaning(status: .badRequest, code: "invalid")
            case .versionMismatch: return ErrorMeaning(status: .preconditionFailed, code: "conflict")
            }
        case let error as StoreError:
            switch error {
            case .versionConflict: return ErrorMeaning(status: .conflict, code: "conflict")
            case .duplicateDocument, .duplicateSubmissionSet: return ErrorMeaning(status: .conflict, code: "duplicate")
            case .closed, .unavailable: return ErrorMeaning(status: .serviceUnavailable, code: "transient")
            default: return nil
            }
        case let error as AccessError:
            switch error {
            case .notFound: return ErrorMeaning(status: .notFound, code: "not-found")
            case .denied: return ErrorMeaning(status: .forbidden, code: "forbidden")
            }
        case let error as RecordError:
            switch error {
            case .notFound: return ErrorMeaning(status: .notFound, code: "not-found")
            case .illegalTransition: return ErrorMeaning(status: .conflict, code: "business-rule")
            case .versionConflict: return ErrorMeaning(status: .conflict, code: "conflict")
            }
        default:
            return nil
        }
    }
}
