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
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/fhir/") {
            // No route: a path served with other methods is a 405 naming them (R4 http.html), not "no such resource".
            let allowed = FHIRNegotiationMiddleware.allowedMethods(on: request.uri.path)
            guard !allowed.isEmpty else { return FHIRResponse.make(Self.map(error).1, status: .notFound) }
            var response = FHIRResponse.make(OperationOutcome(code: "not-supported", diagnostics: "\(request.method.rawValue) is not supported here: use \(allowed.joined(separator: ", "))"),
                                             status: .methodNotAllowed)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
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
            if status == .serviceUnavailable {
                // A database failing over comes back within seconds.
                response.headers[.retryAfter] = "2"
                context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            }
            return response
        }
    }

    /// Maps an error to its status and outcome: the status, issue code and field from the one table
    /// both renderers read (``ErrorMeaning``), the words from the error.
    static func map(_ error: any Error) -> (HTTPResponse.Status, OperationOutcome) {
        switch error {
        case let error as FHIRInputError:
            return (ErrorMeaning.of(error)?.status ?? .badRequest, error.operationOutcome)
        case let error as DocumentContentError:
            return (.internalServerError, OperationOutcome(severity: "fatal", code: "exception", diagnostics: error.description))
        case let error as AuthenticationError:
            let code = error == .expired ? "expired" : error == .missing ? "login" : "security"
            return (.unauthorized, OperationOutcome(code: code, diagnostics: error.description))
        case RateLimited.retryAfter(let seconds):
            return (.tooManyRequests, OperationOutcome(code: "throttled", diagnostics: "too many requests: retry in \(seconds) s"))
        case let error as HTTPError:
            return (error.status, outcome(for: error))
        default:
            guard let meaning = ErrorMeaning.of(error) else {
                return (.internalServerError, OperationOutcome(severity: "fatal", code: "exception", diagnostics: "internal error; it has been logged"))
            }
            return (meaning.status, OperationOutcome(code: meaning.code, diagnostics: diagnostics(error), expression: meaning.expression))
        }
    }

    /// The words for a known error: its own description, but for the store's, said for a client.
    private static func diagnostics(_ error: any Error) -> String {
        switch error {
        case StoreError.versionConflict: "changed concurrently by another request: read it again and retry"
        case StoreError.closed: "the service is stopping; retry shortly"
        case StoreError.unavailable: "the database is unavailable for now; nothing was done that you can count on: retry shortly"
        // Never which document holds it: the service says so only to who may see it.
        case StoreError.duplicateDocument(let id): DocumentInputError.uniqueIDUnavailable(id).description
        case StoreError.duplicateSubmissionSet(let id): DocumentInputError.duplicateSubmissionSet(id).description
        default: "\(error)"
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
