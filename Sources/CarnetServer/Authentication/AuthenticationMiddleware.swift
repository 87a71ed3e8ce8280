import CarnetCore
import Foundation
import Hummingbird

/// Turns a bearer token into the request's ``Actor``, or refuses the request with 401.
///
/// Mounted in front of every route that touches health data; public routes (`/health`, `/metrics`,
/// `/fhir/metadata`) are registered outside it.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext
    let authority: TokenAuthority

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw AuthenticationError.missing }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw AuthenticationError.missing }
        var context = context
        context.actor = try await authority.verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}
