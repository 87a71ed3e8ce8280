import CarnetCore
import Foundation
import Hummingbird

/// Turns a bearer token, or a verified client certificate, into the request's ``Actor``, or refuses
/// the request with 401.
///
/// Mounted in front of every route that touches health data; public routes (`/health`, `/metrics`,
/// `/fhir/metadata`) are registered outside it. With mutual TLS (`--client-ca`), a professional's
/// software may authenticate by its certificate alone; when it also sends a token, the token speaks
/// (it may declare an emergency) but must name the same professional as the certificate.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext
    let authority: TokenAuthority
    /// The service's clock, against which tokens expire.
    let now: @Sendable () -> Date
    /// Whether client certificates identify professionals (mutual TLS configured).
    var acceptsClientCertificates = false
    /// Whether a request without a token or certificate goes on without an actor: on the XDS.b door,
    /// whose messages may carry the caller's identity themselves (a VIHF, ``XDSIdentity``), which the
    /// route then requires. Never on a door that cannot read one.
    var credentialsOptional = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let certified = acceptsClientCertificates ? try await ClientCertificateIdentity.actor(on: context.channel) : nil
        var context = context
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw AuthenticationError.missing }
            let actor = try await authority.verify(String(Self.withoutBlanks(parts[1])), now: now())
            if let certified, actor.professional?.rpps != certified.professional?.rpps {
                throw AuthenticationError.certificate("the token names another actor than the certificate")
            }
            context.actor = actor
        } else if let certified {
            context.actor = certified
        } else if !credentialsOptional {
            throw AuthenticationError.missing
        }
        return try await next(request, context)
    }

    /// The token without the spaces and tabs around it. A token is ASCII, so only these are trimmed:
    /// Foundation's `trimmingCharacters(in: .whitespaces)` bridged the ~1 KB token through NSString on
    /// every request, up to 8 % of a `$summary`'s instructions (issue 20).
    static func withoutBlanks(_ text: Substring) -> Substring {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = text.utf8.firstIndex(where: { !isBlank($0) }), let last = text.utf8.lastIndex(where: { !isBlank($0) }) else { return "" }
        // Both ends are next to ASCII bytes (or the ends of the text), so they are character boundaries.
        return text[first..<text.utf8.index(after: last)]
    }
}
