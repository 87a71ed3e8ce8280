import CarnetPortal
import Foundation
import Hummingbird

/// `GET /` for a person: a browser asking for a page (`Accept: text/html`) is sent on to the portal
/// (303), so typing the server's address opens it. Any other client — FHIR software asks for JSON —
/// keeps the answer it had: no route here, a 404 `OperationOutcome` (``FHIRErrorMiddleware``).
enum PortalRootRedirect {
    static func register(on router: Router<CarnetRequestContext>) {
        router.get("/") { request, _ -> Response in
            guard asksForHTML(request) else { throw HTTPError(.notFound) }
            return PortalPage.redirect("/portal")
        }
    }

    /// Whether the `Accept` header names `text/html` with a weight above zero (browsers put it first; a
    /// bare `*/*` does not count, so curl and API clients are answered as before).
    static func asksForHTML(_ request: Request) -> Bool {
        request.headers[values: .accept].flatMap { $0.split(separator: ",") }.contains { range in
            let pieces = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let weight = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return pieces.first == "text/html" && weight > 0
        }
    }
}
