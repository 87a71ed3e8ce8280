public import CarnetCore
public import CarnetService
public import CarnetStore
public import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import NIOCore
public import Logging
import ServiceLifecycle

/// Builds the whole HTTP application: the one function `carnet serve` and every test call.
///
/// Wiring, in order: request metrics (outermost, to see final statuses), the FHIR error mapping,
/// then public routes (`/health`, `/metrics`, `/fhir/metadata`) and, behind authentication, the FHIR
/// routes that reach health data through ``RecordService``; the web portals under `/portal`, behind
/// their session middleware.
///
/// - Parameters:
///   - store: an opened store; the application shuts it down when it stops.
///   - blobs: where document content is kept.
///   - matrix: the habilitation matrix loaded at start-up (``HabilitationMatrix/bundled()``).
///   - clock: the source of "now" for the whole application (the service, tokens, sessions, limits);
///     tests pass one they move instead of waiting for time to pass.
///   - onServerRunning: called with the listening channel once the server accepts connections (tests learn the port).
/// - Throws: ``TLSSettings/LoadError`` when the TLS files cannot be read.
public func buildApplication(_ configuration: CarnetConfiguration, store: any RecordStore, blobs: any BlobStore,
                             tokens: TokenAuthority, matrix: HabilitationMatrix, logger: Logger,
                             clock: @escaping @Sendable () -> Date = Date.init,
                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) throws -> some ApplicationProtocol {
    let service = RecordService(store: store, blobs: blobs, matrix: matrix, logger: logger, clock: clock)
    let imports = ClaimImportQueue()
    let router = buildRouter(configuration, service: service, tokens: tokens, imports: imports, logger: logger)
    let requestTimeout = TimeAmount.seconds(Int64(configuration.requestTimeoutSeconds))
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [RequestDeadlineHandler(deadline: requestTimeout)],
        idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)),
        httpDecoderConfiguration: .init(maxHeaderFieldSize: configuration.maxHeaderSize, maxHeaderListSize: configuration.maxHeaderSize,
                                        maxHeaderFieldCount: 200))
    let server: HTTPServerBuilder = if let tls = configuration.tls {
        try .tls(.http1(configuration: http1), tlsConfiguration: tls.serverConfiguration())
    } else {
        .http1(configuration: http1)
    }
    var app = Application(router: router, server: server,
                          configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Carnet",
                                               availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
                          onServerRunning: onServerRunning, logger: logger)
    let sender: any NotificationSender = configuration.smtp.map { SMTPNotificationSender(host: $0.host, port: $0.port, from: $0.from) }
        ?? LogNotificationSender(logger: logger)
    // Services stop in reverse order: the purge and the dispatcher first, the store last (nothing may use a closed store).
    app.addServices(StoreShutdownService(store: store),
                    NotificationDispatcher(service: service, sender: sender, logger: logger, interval: configuration.notificationInterval))
    app.addServices(ClaimImportService(service: service, queue: imports, spoolDirectory: ClaimImportRoutes.spoolDirectory(configuration),
                                       keyChecking: configuration.insKeyChecking, logger: logger))
    if configuration.careHistoryPurgeInterval > .zero {
        app.addServices(CareHistoryPurgeService(service: service, interval: configuration.careHistoryPurgeInterval, logger: logger))
    }
    return app
}

/// The router alone, for tests that need no server (feeds posted to it are queued, and run by
/// whichever ``ClaimImportService`` is given `imports`: none, when the router is built alone).
public func buildRouter(_ configuration: CarnetConfiguration, service: RecordService,
                        tokens: TokenAuthority, logger: Logger = Logger(label: "carnet")) -> Router<CarnetRequestContext> {
    buildRouter(configuration, service: service, tokens: tokens, imports: ClaimImportQueue(), logger: logger)
}

func buildRouter(_ configuration: CarnetConfiguration, service: RecordService, tokens: TokenAuthority, imports: ClaimImportQueue,
                 logger: Logger) -> Router<CarnetRequestContext> {
    let router = Router(context: CarnetRequestContext.self)
    let metrics = RequestMetrics()
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: FHIRErrorMiddleware())
    HealthRoutes(service: service).register(on: router)
    metrics.register(on: router, service: service)
    OpenAPIDescription.register(on: router, serverURL: configuration.baseURL)
    let fhir = router.group("fhir").add(middleware: FHIRNegotiationMiddleware()).add(middleware: FHIRSearchControlsMiddleware())
        .add(middleware: FHIRPreferReturnMiddleware())
    MetadataRoutes(configuration: configuration).register(on: fhir)
    let authentication = AuthenticationMiddleware(authority: tokens, now: service.now, acceptsClientCertificates: configuration.tls?.clientCAPath != nil)
    // One budget per actor, whichever door (FHIR or XDS.b) the requests come through.
    let actorLimit = ActorRateLimitMiddleware(limiter: RateLimiter(perMinute: configuration.requestsPerMinutePerActor), now: service.now)
    let authenticated = fhir.group().add(middleware: authentication).add(middleware: actorLimit)
    PatientRoutes(service: service, configuration: configuration).register(on: authenticated)
    DocumentRoutes(service: service, configuration: configuration).register(on: authenticated)
    ListRoutes(service: service, configuration: configuration).register(on: authenticated)
    AccessRoutes(service: service, configuration: configuration).register(on: authenticated)
    AuditEventRoutes(service: service, configuration: configuration).register(on: authenticated)
    CareHistoryRoutes(service: service, configuration: configuration).register(on: authenticated)
    SummaryRoutes(service: service, configuration: configuration).register(on: authenticated)
    ClaimImportRoutes(service: service, configuration: configuration, queue: imports, logger: logger).register(on: authenticated)
    TransactionRoutes(service: service, configuration: configuration).register(on: authenticated)

    // IHE XDS.b (SOAP 1.2): the same service behind the same authentication; its errors speak SOAP.
    // A message may name its caller in a VIHF (when issuers are trusted): then the route authenticates it.
    var xdsAuthentication = authentication
    xdsAuthentication.credentialsOptional = configuration.vihfTrust != nil
    let xds = router.group("xds").add(middleware: XDSErrorMiddleware()).add(middleware: xdsAuthentication).add(middleware: actorLimit)
    let identity = XDSIdentity(trust: configuration.vihfTrust, keyChecking: configuration.insKeyChecking, limit: actorLimit)
    XDSRoutes(service: service, configuration: configuration, identity: identity).register(on: xds)

    // The portals: server-rendered pages over the same service (the same door, policy and audit).
    let sessions = PortalSessions(state: service.portalState, idleTimeout: configuration.portalIdleTimeout,
                                  lifetime: configuration.portalSessionLifetime)
    PortalAssets.register(on: router)
    PortalInstallableApp.register(on: router)
    PortalRootRedirect.register(on: router)
    let portal = router.group("portal").add(middleware: PortalMiddleware(sessions: sessions, now: service.now))
    PortalSignInRoutes(service: service, configuration: configuration, sessions: sessions, codes: SignInCodes(state: service.portalState), tokens: tokens,
                       limiter: RateLimiter(perMinute: configuration.signInsPerMinutePerClient), logger: logger)
        .register(on: portal)
    PatientPortalRoutes(service: service, configuration: configuration, sessions: sessions).register(on: portal)
    ProfessionalPortalRoutes(service: service, configuration: configuration, sessions: sessions).register(on: portal)
    return router
}

/// Closes the store when the application shuts down (after the server stopped taking requests).
struct StoreShutdownService: Service {
    let store: any RecordStore

    func run() async throws {
        try? await gracefulShutdown()
        await store.shutdown()
    }
}
