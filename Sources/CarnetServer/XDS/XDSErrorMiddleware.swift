import CarnetCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Every error on the XDS.b door leaves as a SOAP 1.2 fault, never as a FHIR `OperationOutcome` nor a
/// bare 500 for anything a client can send: a message that cannot be read (400), a missing or bad
/// token (401, `wsse:FailedAuthentication`), too many requests (429), a body over the limit (413).
///
/// Mounted in front of authentication on `/xds`, so even its refusals speak SOAP. Refusals of the
/// transactions themselves are not faults but `RegistryResponse`s with XDS error codes (``XDSRoutes``).
struct XDSErrorMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let fault as SOAPFault {
            return SOAPResponse.fault(fault)
        } catch let error as AuthenticationError {
            var response = SOAPResponse.fault(SOAPFault(subcode: "wsse:FailedAuthentication", reason: error.description, httpStatus: 401))
            response.headers[.wwwAuthenticate] = "Bearer realm=\"carnet\""
            return response
        } catch RateLimited.retryAfter(let seconds) {
            var response = SOAPResponse.fault(SOAPFault(isSender: false, subcode: "env:Receiver",
                                                        reason: "too many requests: retry in \(seconds) s", httpStatus: 429))
            response.headers[.retryAfter] = String(seconds)
            return response
        } catch let error as HTTPError {
            let reason = error.status == .contentTooLarge ? "the request body is larger than this server accepts" : error.body ?? error.status.reasonPhrase
            return SOAPResponse.fault(SOAPFault(isSender: error.status.code < 500, reason: reason, httpStatus: error.status.code))
        } catch {
            context.logger.error("XDS request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            return SOAPResponse.fault(SOAPFault(isSender: false, reason: "internal error; it has been logged", httpStatus: 500))
        }
    }
}
