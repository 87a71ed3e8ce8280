public import CarnetCore
public import Hummingbird

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

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The authenticated actor, or a 401.
    public func requireActor() throws(AuthenticationError) -> Actor {
        guard let actor else { throw .missing }
        return actor
    }
}
