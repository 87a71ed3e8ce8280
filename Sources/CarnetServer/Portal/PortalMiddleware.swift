import CarnetPortal
import CarnetCore
import CarnetFHIR
import CarnetService
import CarnetStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// In front of every portal page: the session from its cookie (the actor the service will see),
/// errors turned into pages a person can act on, and the security headers — a strict
/// Content-Security-Policy (only Carnet's own style sheet, script and web app manifest), no framing, no referrer.
struct PortalMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext
    let sessions: PortalSessions
    /// The service's clock (``RecordService/now()``), against which sessions idle out and end.
    let now: @Sendable () -> Date

    static let sessionCookie = "carnet_session"
    static let frameOptions = HTTPField.Name("X-Frame-Options")!  // safe: a valid constant header name
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!  // safe: a valid constant header name
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!  // safe: a valid constant header name

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let id = PortalCookies.value(Self.sessionCookie, in: request), let session = try await sessions.session(id, now: now()) {
            context.actor = session.actor
            context.portalSession = session
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.page(for: error, request, context)
        }
        if response.headers[.contentSecurityPolicy] == nil {
            // Documents pages frame a PDF served by Carnet itself; no other page frames anything.
            let frames = request.uri.path.contains("/documents/") ? "frame-src 'self'; " : ""
            response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; manifest-src 'self'; "
                + frames + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // Nothing is framed, except a PDF by Carnet's own page (its route says SAMEORIGIN).
        if response.headers[Self.frameOptions] == nil { response.headers[Self.frameOptions] = "DENY" }
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[Self.permissionsPolicy] = "camera=(), microphone=(), geolocation=()"
        return response
    }

    /// The page an error becomes: the rule in plain words for a refusal, the faulty field for bad input.
    static func page(for error: any Error, _ request: Request, _ context: Context) -> Response {
        let l = PortalLanguage.from(request)
        let path = request.uri.path
        let professional = path.hasPrefix("/portal/pro")
        let (status, message): (HTTPResponse.Status, String)
        switch error {
        case PortalError.signedOut(let isProfessional):
            return PortalPage.redirect(isProfessional ? "/portal/pro/sign-in" : "/portal/patient/sign-in")
        case PortalError.noPatientOpened:
            return PortalPage.redirect("/portal/pro")
        case PortalError.forgedForm:
            (status, message) = (.forbidden, l.t(.thisFormHasExpiredOrDid))
        case PortalError.malformedForm:
            (status, message) = (.badRequest, l.t(.theFormArrivedIncomplete))
        case PortalError.tooLarge(let limit):
            (status, message) = (.contentTooLarge, l.t(.thisFileIsTooLargeThe(limit / 1_048_576)))
        case AuthenticationError.missing, AuthenticationError.expired:
            return PortalPage.redirect(professional ? "/portal/pro/sign-in" : "/portal/patient/sign-in")
        case let error as AccessError:
            switch error {
            case .notFound: (status, message) = (.notFound, l.t(.notFoundThisDoesNotExist))
            case .denied(let rule): (status, message) = (.forbidden, l.t(.refused2) + " — " + PortalMessages.rule(rule, l))
            }
        // Bad input and conflicts a page did not answer in place: still in the page's language, saying what
        // to do, with the status the API gives the same error (one table, ``ErrorMeaning``).
        case let error as FHIRInputError:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .badRequest, PortalProblemMessages.fhirInput(error, l))
        case let error as RecordError:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .conflict, PortalProblemMessages.record(error, l))
        case let error as AccessChangeError:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .conflict, PortalMessages.accessChange(error, l))
        case let error as DocumentError:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .conflict, PortalProblemMessages.document(error, l))
        case let error as DocumentInputError:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .conflict, PortalProblemMessages.documentInput(error, l))
        case let error as DocumentLabelError:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .badRequest, PortalProblemMessages.label(error, l))
        case let error as CDAHeaderMismatch:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .unprocessableContent, PortalProblemMessages.cdaHeader(error, l))
        case let error as SummaryItemError:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .conflict, PortalProblemMessages.summaryItem(error, l))
        case let error as StoreError where PortalProblemMessages.store(error, l) != nil:
            (status, message) = (ErrorMeaning.of(error)?.status ?? .conflict, PortalProblemMessages.store(error, l) ?? "")
        default:
            context.logger.error("portal request failed", metadata: ["error.type": "\(type(of: error))"])
            (status, message) = (.internalServerError, l.t(.anInternalErrorOccurredItHas))
        }
        let body = PortalErrorPage.render(message, professional: professional, l)
        return PortalPage(title: l.t(.cannotDoThis), language: l, session: context.portalSession, path: path, body: body).response(status: status)
    }
}
