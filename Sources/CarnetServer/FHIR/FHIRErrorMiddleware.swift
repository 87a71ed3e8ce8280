import CarnetCore
import CarnetFHIR
import CarnetService
import CarnetStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The single place where errors become HTTP responses: every 4xx and 5xx leaves as a FHIR
/// `OperationOutcome` (ARCHITECTURE.md, invariant 5).
///
/// Known error types carry a message meant for a person and are shown. Anything else is logged with
/// the request id and answered with a bare 500 whose body never includes the error's text, so no SQL,
/// path or stack detail reaches a client.
struct FHIRErrorMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, outcome) = Self.map(error)
            if status == .internalServerError {
                context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            }
            var response = FHIRResponse.make(outcome, status: status)
            if status == .unauthorized {
                response.headers[.wwwAuthenticate] = "Bearer realm=\"carnet\""
            }
            if case RateLimited.retryAfter(let seconds) = error {
                response.headers[.retryAfter] = String(seconds)
            }
            return response
        }
    }

    /// Maps an error to its status and outcome.
    static func map(_ error: any Error) -> (HTTPResponse.Status, OperationOutcome) {
        switch error {
        case let error as FHIRInputError:
            let status: HTTPResponse.Status = switch error.code {
            case "too-costly": .contentTooLarge
            case "not-found": .notFound
            default: .badRequest
            }
            return (status, error.operationOutcome)
        case let error as DocumentInputError:
            switch error {
            case .duplicateUniqueID, .duplicateSubmissionSet, .uniqueIDUnavailable: return (.conflict, OperationOutcome(code: "duplicate", diagnostics: error.description))
            case .replacedDocumentNotFound: return (.unprocessableContent, OperationOutcome(code: "not-found", diagnostics: error.description))
            case .ambiguousUniqueID: return (.preconditionFailed, OperationOutcome(code: "multiple-matches", diagnostics: error.description))
            }
        case let error as DocumentLabelError:
            return (.unprocessableContent, OperationOutcome(code: "invalid", diagnostics: error.description, expression: "DocumentReference.securityLabel"))
        case let error as AccessChangeError:
            return (.conflict, OperationOutcome(code: "business-rule", diagnostics: error.description))
        case let error as DocumentError:
            return (.conflict, OperationOutcome(code: "business-rule", diagnostics: error.description))
        case let error as DocumentContentError:
            return (.internalServerError, OperationOutcome(severity: "fatal", code: "exception", diagnostics: error.description))
        case let error as SummaryItemError:
            switch error {
            case .deleted: return (.gone, OperationOutcome(code: "deleted", diagnostics: error.description))
            case .kindChanged, .patientChanged: return (.badRequest, OperationOutcome(code: "invalid", diagnostics: error.description))
            case .versionMismatch: return (.preconditionFailed, OperationOutcome(code: "conflict", diagnostics: error.description))
            }
        case StoreError.versionConflict:
            return (.conflict, OperationOutcome(code: "conflict", diagnostics: "changed concurrently by another request: read it again and retry"))
        case let error as AuthenticationError:
            let code = error == .expired ? "expired" : error == .missing ? "login" : "security"
            return (.unauthorized, OperationOutcome(code: code, diagnostics: error.description))
        case let error as AccessError:
            switch error {
            case .notFound: return (.notFound, OperationOutcome(code: "not-found", diagnostics: error.description))
            case .denied: return (.forbidden, OperationOutcome(code: "forbidden", diagnostics: error.description))
            }
        case let error as RecordError:
            switch error {
            case .notFound: return (.notFound, OperationOutcome(code: "not-found", diagnostics: error.description))
            case .illegalTransition: return (.conflict, OperationOutcome(code: "business-rule", diagnostics: error.description))
            case .versionConflict: return (.conflict, OperationOutcome(code: "conflict", diagnostics: error.description))
            }
        case StoreError.closed:
            return (.serviceUnavailable, OperationOutcome(code: "transient", diagnostics: "the service is stopping; retry shortly"))
        case RateLimited.retryAfter(let seconds):
            return (.tooManyRequests, OperationOutcome(code: "throttled", diagnostics: "too many requests: retry in \(seconds) s"))
        case let error as HTTPError:
            return (error.status, outcome(for: error))
        default:
            return (.internalServerError, OperationOutcome(severity: "fatal", code: "exception",
                                                           diagnostics: "internal error; it has been logged"))
        }
    }

    private static func outcome(for error: HTTPError) -> OperationOutcome {
        switch error.status {
        case .notFound:
            OperationOutcome(code: "not-found", diagnostics: "no such route or resource type")
        case .contentTooLarge:
            OperationOutcome(code: "too-costly", diagnostics: "the request body is larger than this server accepts")
        case .methodNotAllowed:
            OperationOutcome(code: "not-supported", diagnostics: "this method is not supported here")
        default:
            OperationOutcome(code: error.status.code < 500 ? "invalid" : "exception",
                             diagnostics: error.body ?? error.status.reasonPhrase)
        }
    }
}
