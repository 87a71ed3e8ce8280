public import CarnetCore
public import Foundation

/// Everything `buildApplication` needs, as one value: the command line fills it for `carnet serve`,
/// tests build it with ``testing(dataDirectory:databaseURL:)``. Secrets (the database password) come
/// inside the URL and are never logged.
public struct CarnetConfiguration: Sendable {
    /// Where Carnet keeps its SQLite database, token signing key and (later) document blobs.
    public var dataDirectory: URL
    public var host: String
    public var port: Int
    /// `postgres://…` to use PostgreSQL; `nil` for the embedded SQLite database under ``dataDirectory``.
    public var databaseURL: String?
    /// The base URL clients see, for `Location` headers and bundle links; defaults to `http://host:port`.
    public var publicBaseURL: String?
    /// Test and demo INS (OIDs `.10`, `.11`) may carry wrong keys, as official example files do.
    /// Never applies to a production INS-NIR.
    public var relaxTestINSKeys: Bool
    /// The largest request body accepted, in bytes; larger ones get 413. Inline content is base64,
    /// a third larger than the document itself.
    public var maxBodySize: Int
    /// The largest document content accepted, in bytes (issue 3: 20 MiB by default).
    public var maxContentSize: Int
    public var logLevel: String
    /// The largest claims feed accepted over HTTP (`$import-claims`), streamed to disk: 2 GiB.
    public var maxImportSize = 2 * 1024 * 1024 * 1024
    /// The SMTP relay for patient notifications; `nil` writes them to the log instead.
    public var smtp: SMTPSettings?
    /// How often the outbox is checked for notifications to deliver.
    public var notificationInterval: Duration = .seconds(2)
    /// How often `carnet serve` removes claims older than 24 months (``CareHistoryPurgeService``); zero: never.
    public var careHistoryPurgeInterval: Duration = .seconds(24 * 3_600)
    /// The most entries a transaction Bundle may hold (413 beyond).
    public var maxBundleEntries = 1_000
    /// Requests per minute one authenticated actor may make (429 with Retry-After beyond); 0: no limit.
    public var requestsPerMinutePerActor = 6_000
    /// Sign-in attempts per minute from one client address (codes asked, codes or tokens tried).
    public var signInsPerMinutePerClient = 30
    /// How long a portal session lasts without a request.
    public var portalIdleTimeout: TimeInterval = 15 * 60
    /// How long a portal session lasts at most, however active; never beyond the expiry of the token
    /// that opened it (issue 23.12).
    public var portalSessionLifetime: TimeInterval = 12 * 3600
    /// Demo mode: portal sign-in codes are also written to the server log, so a newcomer can sign in.
    public var logSignInCodes = false
    /// Whether portal cookies carry `Secure` (set when Carnet is served over TLS).
    public var secureCookies = false
    /// TLS (and mutual TLS) for the listener; `nil` serves plain HTTP (behind a TLS-terminating proxy,
    /// or on loopback for development).
    public var tls: TLSSettings? {
        didSet { secureCookies = tls != nil }
    }
    /// The most connections open at once; further clients wait in the listen backlog.
    public var maxConnections = 1_000
    /// Seconds a connection may stay silent (no request, or a request's bytes not arriving) before it
    /// is closed: bounds slow clients.
    public var idleTimeoutSeconds = 60
    /// Seconds a request (head and body) has to arrive in full; a connection still receiving one
    /// after that is closed (slow requests). Bodies up to the limits above fit easily.
    public var requestTimeoutSeconds = 120
    /// The largest total size of a request's header fields, in bytes (larger: refused with 400).
    public var maxHeaderSize = 16 * 1024
    /// Where the data-encryption keys and the token-signing key live (`--keys`): `<data>/keys` by
    /// default; every node of one service is given the same keys (a shared, private directory).
    public var keysDirectory: URL?
    /// Where document content is kept (`--content-store`): by default the encrypted files under the data
    /// directory with SQLite, the database itself with PostgreSQL, so that every node reaches it.
    public var contentStore: ContentStoreKind?
    /// The issuers whose VIHF (WS-Security SAML assertion) the XDS.b door believes, with their keys
    /// (`--vihf-trust`); `nil`: every assertion is refused, and callers authenticate by token or certificate.
    public var vihfTrust: VIHFTrust?

    /// The two content stores.
    public enum ContentStoreKind: String, Sendable, CaseIterable {
        /// Encrypted files under `<data>/blobs`, one per distinct content.
        case files
        /// Encrypted chunks in the PostgreSQL database, beside the record's rows.
        case database
    }

    /// The content store in use: the one asked for, else the engine's default.
    public var effectiveContentStore: ContentStoreKind { contentStore ?? (databaseURL == nil ? .files : .database) }

    /// The key directory in use.
    public var effectiveKeysDirectory: URL { keysDirectory ?? dataDirectory.appendingPathComponent("keys") }

    /// Where notification e-mails go out.
    public struct SMTPSettings: Sendable {
        public var host: String
        public var port: Int
        public var from: String

        public init(host: String, port: Int = 25, from: String) {
            self.host = host
            self.port = port
            self.from = from
        }
    }

    public init(dataDirectory: URL, host: String = "127.0.0.1", port: Int = 8080, databaseURL: String? = nil,
                publicBaseURL: String? = nil, relaxTestINSKeys: Bool = true, maxBodySize: Int = 32 * 1024 * 1024,
                maxContentSize: Int = 20 * 1024 * 1024, logLevel: String = "info") {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.publicBaseURL = publicBaseURL
        self.relaxTestINSKeys = relaxTestINSKeys
        self.maxBodySize = maxBodySize
        self.maxContentSize = maxContentSize
        self.logLevel = logLevel
    }

    /// A configuration for tests: a private data directory, loopback, small body limit.
    public static func testing(dataDirectory: URL, databaseURL: String? = nil) -> CarnetConfiguration {
        var configuration = CarnetConfiguration(dataDirectory: dataDirectory, port: 0, databaseURL: databaseURL,
                                                publicBaseURL: "http://carnet.test", maxBodySize: 64 * 1024, maxContentSize: 32 * 1024,
                                                logLevel: "warning")
        // Tests place old claims on purpose and purge when they choose (CareHistoryPurgeService has its own tests).
        configuration.careHistoryPurgeInterval = .zero
        return configuration
    }

    public var baseURL: String { publicBaseURL ?? "\(tls == nil ? "http" : "https")://\(host):\(port)" }

    public var insKeyChecking: INS.KeyChecking { relaxTestINSKeys ? .relaxedForTestIdentities : .strict }

    /// The SQLite database file used when no database URL is given.
    public var sqlitePath: URL { dataDirectory.appendingPathComponent("carnet.sqlite") }
}
