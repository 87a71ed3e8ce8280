import CarnetCore
import Crypto
import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Runs `body` against the real application (same builder as `carnet serve`) on a fresh SQLite data
/// directory, through the router with no sockets.
func withCarnet(_ engine: TestEngine = .sqlite,
                _ body: @escaping @Sendable (any TestClientProtocol, Tokens) async throws -> Void) async throws {
    try await engine.withDatabaseURL { databaseURL async throws in
        try await withCarnet(databaseURL: databaseURL, body)
    }
}

/// ``withCarnet(_:_:)`` that also hands over the application's store, for facts no route creates
/// (the insurer's bulk feed, the notification outbox).
func withCarnetStore(_ engine: TestEngine = .sqlite,
                     _ body: @escaping @Sendable (any TestClientProtocol, Tokens, any RecordStore) async throws -> Void) async throws {
    try await engine.withDatabaseURL { databaseURL async throws in
        try await withCarnet(databaseURL: databaseURL, body)
    }
}

private func withCarnet(databaseURL: String?, _ body: @escaping @Sendable (any TestClientProtocol, Tokens) async throws -> Void) async throws {
    try await withCarnet(databaseURL: databaseURL) { client, tokens, _ in try await body(client, tokens) }
}

/// ``withCarnet(_:_:)`` with the application reading time from `clock`, which the test moves.
func withCarnet(clock: TestClock, _ body: @escaping @Sendable (any TestClientProtocol, Tokens) async throws -> Void) async throws {
    try await withCarnet(databaseURL: nil, clock: clock) { client, tokens, _ in try await body(client, tokens) }
}

/// The portals' state storage over a fresh store of `engine`, for the session and code rules alone.
func withPortalState(_ engine: TestEngine, _ body: (PortalStateStorage) async throws -> Void) async throws {
    try await engine.withStore { store async throws in
        try await TemporaryDirectory.with { directory async throws in
            let blobs = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            try await body(RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled()).portalState)
        }
    }
}

/// ``withCarnet(_:_:)`` with settings changed (limits, say).
func withCarnet(configure: @escaping @Sendable (inout CarnetConfiguration) -> Void, clock: TestClock? = nil,
                _ body: @escaping @Sendable (any TestClientProtocol, Tokens) async throws -> Void) async throws {
    try await withCarnet(databaseURL: nil, configure: configure, clock: clock) { client, tokens, _ in try await body(client, tokens) }
}

/// ``withCarnetStore(_:_:)`` over the demo data `carnet serve --demo` seeds (through the service, on
/// the application's own store and blobs), with the records it created.
func withDemoCarnet(_ body: @escaping @Sendable (any TestClientProtocol, Tokens, any RecordStore, [HealthRecord]) async throws -> Void) async throws {
    let seeded = DemoRecords()
    try await withCarnet(databaseURL: nil, seed: { service in await seeded.set(try await DemoData.seed(service)) }) { client, tokens, store in
        try await body(client, tokens, store, await seeded.records)
    }
}

/// The demo records, handed from the seeding to the test body.
private actor DemoRecords {
    var records: [HealthRecord] = []
    func set(_ records: [HealthRecord]) { self.records = records }
}

private func withCarnet(databaseURL: String?, configure: @Sendable (inout CarnetConfiguration) -> Void = { _ in },
                        clock: TestClock? = nil, seed: @Sendable (RecordService) async throws -> Void = { _ in },
                        _ body: @escaping @Sendable (any TestClientProtocol, Tokens, any RecordStore) async throws -> Void) async throws {
    try await withCarnetAndStore(databaseURL: databaseURL, configure: configure, clock: clock, seed: seed, body)
}

/// The application on the database at `databaseURL` (SQLite when `nil`), with settings changed, time from `clock`
/// and the store seeded by `seed` through the service before the application starts.
func withCarnetAndStore(databaseURL: String?, configure: @Sendable (inout CarnetConfiguration) -> Void = { _ in },
                        clock: TestClock? = nil, seed: @Sendable (RecordService) async throws -> Void = { _ in },
                        _ body: @escaping @Sendable (any TestClientProtocol, Tokens, any RecordStore) async throws -> Void) async throws {
    try await TemporaryDirectory.with { directory async throws in
        let (app, store, authority) = try await testApplication(in: directory, databaseURL: databaseURL, configure: configure, logLevel: .warning,
                                                          clock: clock.map { $0.now } ?? Date.init, seed: seed)
        try await app.test(.router) { client in
            try await body(ValidatingClient(base: client), Tokens(authority: authority), store)
        }
    }
}

/// What every application test starts from, built as `carnet serve` builds it: the store and token
/// authority in `directory`, and the application over them.
private func testApplication(in directory: URL, databaseURL: String? = nil, configure: (inout CarnetConfiguration) -> Void,
                             logLevel: Logger.Level, clock: @escaping @Sendable () -> Date = Date.init,
                             seed: (RecordService) async throws -> Void = { _ in }, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
    async throws -> (some ApplicationProtocol, any RecordStore, TokenAuthority) {
    var configuration = CarnetConfiguration.testing(dataDirectory: directory, databaseURL: databaseURL)
    configure(&configuration)
    var logger = Logger(label: "carnet.tests")
    logger.logLevel = logLevel
    let store = try await StoreOpening.open(configuration, logger: logger)
    let authority = try await TokenAuthority.loadOrCreate(in: directory)
    let blobs = try StoreOpening.openBlobs(configuration, store: store)
    try await seed(RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled()))
    let app = try buildApplication(configuration, store: store, blobs: blobs, tokens: authority,
                                   matrix: try HabilitationMatrix.bundled(), logger: logger, clock: clock, onServerRunning: onServerRunning)
    return (app, store, authority)
}

/// Runs `body` with the port of the real application listening on loopback (sockets, HTTP decoder,
/// TLS, connection limits: what the router alone cannot show). Hummingbird's live test mode drops
/// the connection limit, so the application runs here as `carnet serve` runs it.
func withLiveCarnet(configure: @escaping @Sendable (inout CarnetConfiguration) -> Void,
                    _ body: @escaping @Sendable (Int, Tokens) async throws -> Void) async throws {
    try await TemporaryDirectory.with { directory async throws in
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let (app, _, authority) = try await testApplication(in: directory, configure: configure, logLevel: .critical,
                                                            onServerRunning: { channel in listening.yield(channel.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var next = ports.makeAsyncIterator()
            let port = try #require(await next.next())
            try await body(port, Tokens(authority: authority))
            group.cancelAll()
        }
    }
}

/// Mints tokens for test actors.
struct Tokens: Sendable {
    let authority: TokenAuthority

    func bearer(_ actor: Actor, lifetime: TimeInterval = 600, now: Date = Date()) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await authority.mint(for: actor, lifetime: lifetime, now: now))"]
    }
}

extension TestResponse {
    /// The body as a JSON object, for assertions.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }

    /// The first issue of an OperationOutcome body.
    var issue: [String: Any] { (json["issue"] as? [[String: Any]])?.first ?? [:] }
    var diagnostics: String { issue["diagnostics"] as? String ?? "" }
    var expression: String? { (issue["expression"] as? [String])?.first }
}

extension ByteBuffer {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

/// A valid FR Core-style Patient body for `ins`.
func patientBody(_ ins: INS, family: String = "MARTIN", gender: String = "female", birthDate: String = "1985-07-12") -> ByteBuffer {
    .json("""
    {"resourceType":"Patient","identifier":[{"use":"official","system":"\(ins.system.uri)","value":"\(ins.value)"}],
     "name":[{"use":"official","family":"\(family)","given":["Anne"]}],"gender":"\(gender)","birthDate":"\(birthDate)"}
    """)
}

let fhirJSON: HTTPFields = [.contentType: "application/fhir+json"]

func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
    var fields = lhs
    fields.append(contentsOf: rhs)
    return fields
}

/// Creates a patient as an insurer agent and returns its id.
func createPatient(_ client: any TestClientProtocol, _ tokens: Tokens, _ ins: INS = .fixture(), birthDate: String = "1985-07-12") async throws -> String {
    let response = try await client.execute(uri: "/fhir/Patient", method: .post,
                                            headers: try await tokens.bearer(.agent) + fhirJSON, body: patientBody(ins, birthDate: birthDate))
    #expect(response.status == .created || response.status == .ok)
    return try #require(response.json["id"] as? String)
}

/// Base64 SHA-1, computed independently of the server (FHIR R4 `attachment.hash`).
func sha1Base64(_ data: Data) -> String {
    Data(Insecure.SHA1.hash(data: data)).base64EncodedString()
}
