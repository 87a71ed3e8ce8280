public import CarnetCore
public import Hummingbird
import CarnetService
import NIOCore

/// Per-request state: the authenticated actor, set once by ``AuthenticationMiddleware``.
///
/// Routes read ``actor`` through ``requireActor()``, which fails closed: a route mounted without the
/// middleware cannot act for nobody.
public struct CarnetRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var actor: Actor?
    /// The portal session the actor comes from, on portal pages (its CSRF token, the opened record).
    var portalSession: PortalSessions.Session?

    /// The client's address, for per-client limits (sign-in attempts); never logged with health data.
    var remoteAddress: String?

    /// The connection, for the client certificate a professional's software presented (mutual TLS).
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The authenticated actor, or a 401.
    public func requireActor() throws(AuthenticationError) -> Actor {
        guard let actor else { throw .missing }
        return actor
    }
}

extension CarnetRequestContext {
    /// The `:id` of the route as an entity id; a malformed one answers as a missing one (404).
    func pathID<Entity>() throws -> EntityID<Entity> {
        guard let text = parameters.get("id"), let id = EntityID<Entity>(text) else { throw AccessError.notFound }
        return id
    }
}
