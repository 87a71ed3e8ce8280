import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetService
import Foundation
import Hummingbird
import Logging

/// `carnet serve`: runs the HTTP service until SIGTERM or SIGINT, then drains and stops.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Carnet service.")

    @OptionGroup var storage: StorageOptions

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8080

    @Option(help: "Base URL clients see (for Location headers), if not http://host:port.")
    var publicURL: String?

    @Flag(help: "Create synthetic demo patients and professionals and print their tokens.")
    var demo = false

    @Flag(help: "Check the key of test and demo INS too (official example files carry wrong keys, so this is off by default).")
    var strictTestINS = false

    @Option(help: "SMTP relay (host) for patient notifications; without it they are written to the log.")
    var smtpHost: String?

    @Option(help: "SMTP relay port.")
    var smtpPort: Int = 25

    @Option(help: "Sender address of notification e-mails.")
    var smtpFrom: String = "carnet@localhost"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Requests per minute one authenticated actor may make (429 beyond); 0 for no limit.")
    var requestsPerMinute: Int = 6_000

    @Option(help: "Portal sign-in attempts per minute from one client address.")
    var signInsPerMinute: Int = 30

    @Option(help: "Most entries in one transaction Bundle.")
    var maxBundleEntries: Int = 1_000

    @Option(help: "Minutes a portal session lasts without a request.")
    var sessionIdleMinutes: Int = 15

    @Option(help: "Hours a portal session lasts at most, however active (never beyond the token that opened it).")
    var sessionMaxHours: Int = 12

    @Option(help: "Most connections open at once (further clients wait in the listen backlog).")
    var maxConnections: Int = 1_000

    @Option(help: "Seconds a connection may stay silent before it is closed (bounds slow clients).")
    var idleTimeout: Int = 60

    @Option(help: "Seconds a request (head and body) has to arrive in full before its connection is closed.")
    var requestTimeout: Int = 120

    @Option(help: "Largest total size of a request's header fields, in bytes (400 beyond).")
    var maxHeaderSize: Int = 16 * 1024

    @Option(help: "Hours between purges of claims older than 24 months (the first at start); 0 to never purge from the server.")
    var careHistoryPurgeHours: Int = 24

    @Option(help: "Serve HTTPS with this PEM certificate (chain); needs --tls-key.")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Mutual TLS: PEM CA whose client certificates identify professionals (subject UID = RPPS, OU = profession code).")
    var clientCA: String?

    @Option(help: "XDS.b: trust the VIHF (WS-Security SAML assertions) of these issuers: a file of PEM certificates, each after a line 'Issuer: <the assertions' Issuer>'. Without it, assertions are refused.")
    var vihfTrust: String?

    func validate() throws {
        guard requestsPerMinute >= 0, signInsPerMinute > 0, maxBundleEntries > 0, sessionIdleMinutes > 0, sessionMaxHours > 0,
              maxConnections > 0, idleTimeout > 0, requestTimeout > 0, maxHeaderSize >= 1_024, careHistoryPurgeHours >= 0 else {
            throw ValidationError("""
                limits must be positive (--requests-per-minute and --care-history-purge-hours may be 0: no limit, no purge; \
                --max-header-size at least 1024)
                """)
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        if clientCA != nil, tlsCert == nil { throw ValidationError("--client-ca needs --tls-cert and --tls-key (mutual TLS is TLS)") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "carnet")
        var configuration = CarnetConfiguration(dataDirectory: storage.dataDirectory, host: host, port: port,
                                                databaseURL: storage.database, publicBaseURL: publicURL,
                                                relaxTestINSKeys: !strictTestINS, logLevel: logLevel)
        configuration.keysDirectory = storage.keysDirectory
        configuration.contentStore = storage.contentStoreKind
        configuration.logSignInCodes = demo
        configuration.requestsPerMinutePerActor = requestsPerMinute
        configuration.signInsPerMinutePerClient = signInsPerMinute
        configuration.maxBundleEntries = maxBundleEntries
        configuration.portalIdleTimeout = TimeInterval(sessionIdleMinutes * 60)
        configuration.portalSessionLifetime = TimeInterval(sessionMaxHours * 3600)
        configuration.maxConnections = maxConnections
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.requestTimeoutSeconds = requestTimeout
        configuration.maxHeaderSize = maxHeaderSize
        configuration.careHistoryPurgeInterval = .seconds(careHistoryPurgeHours * 3_600)
        if let tlsCert, let tlsKey {
            let tls = TLSSettings(certificatePath: tlsCert, keyPath: tlsKey, clientCAPath: clientCA)
            do {
                _ = try tls.serverConfiguration()
            } catch {
                throw ValidationError(error.description)
            }
            configuration.tls = tls
        }
        if let vihfTrust {
            do {
                configuration.vihfTrust = try VIHFTrust.load(contentsOf: vihfTrust)
            } catch {
                throw ValidationError(error.description)
            }
            logger.info("VIHF issuers trusted", metadata: ["issuers": "\(configuration.vihfTrust?.issuers ?? [])"])
        }
        configuration.smtp = smtpHost.map { CarnetConfiguration.SMTPSettings(host: $0, port: smtpPort, from: smtpFrom) }
        let store = try await StoreOpening.open(configuration, logger: logger)
        let blobs = try StoreOpening.openBlobs(configuration, store: store)
        let tokens = try await StoreOpening.openTokens(configuration)
        let matrix = try HabilitationMatrix.bundled()
        logger.info("habilitation matrix loaded", metadata: ["professions": "\(matrix.rows.count)"])
        if demo {
            let records = try await DemoData.seed(RecordService(store: store, blobs: blobs, matrix: matrix, logger: logger))
            try await DemoBanner.print(records: records, tokens: tokens, baseURL: configuration.baseURL)
        }
        let app = try buildApplication(configuration, store: store, blobs: blobs, tokens: tokens, matrix: matrix, logger: logger)
        print("Carnet \(CarnetVersion.current) listening on \(configuration.baseURL) (\(storage.database == nil ? "SQLite at \(configuration.sqlitePath.path)" : "PostgreSQL"))")
        print("Try: curl \(configuration.baseURL)/health   ·   curl \(configuration.baseURL)/fhir/metadata")
        print("Web portals (patients and professionals): open \(configuration.baseURL)/portal")
        try await app.runService()
    }
}
