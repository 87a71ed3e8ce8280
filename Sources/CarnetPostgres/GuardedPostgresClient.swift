import CarnetStore
import Logging
import PostgresNIO
import Synchronization

/// The connection pool, refusing work once the store is shut down, and failing fast while the
/// database is away.
///
/// Why: once its `run()` task has ended, `PostgresClient` waits for a connection forever. A
/// background task that touches the store during shutdown (a notification pass, say) would then
/// never finish, and neither would the application (seen as a hung test run). Here it gets
/// ``StoreError/closed`` at once.
///
/// While the database is away (a failover, a restart), a request waiting for a new connection waits
/// until the pool gives up — half a minute, seen. So once an error says the database is away (a broken
/// connection, a refused one, the pool giving up), requests get ``StoreError/unavailable(_:)`` at once
/// (a 503 with Retry-After), and one request at a time goes through to the database as a probe, waiting
/// at most ``leaseTimeout`` for a connection; the first that succeeds reopens the gate. The requests
/// that first meet an outage on a pool with no broken connection to tell them still wait for the pool.
final class GuardedPostgresClient: Sendable {
    let base: PostgresClient
    private let isClosed = Mutex(false)
    private let gate = Mutex(Gate())

    struct Gate {
        var isDown = false
        var probing = false
        /// When a request last got its work done: a database that answers others is loaded, not away.
        var lastSuccess = ContinuousClock.now
    }

    init(_ base: PostgresClient) {
        self.base = base
    }

    func close() {
        isClosed.withLock { $0 = true }
    }

    private func checkOpen() throws {
        if isClosed.withLock({ $0 }) { throw StoreError.closed }
    }

    /// Lets a request through, or refuses it while the database is away and a probe is already out.
    /// Returns whether this request is the probe.
    private func admit() throws -> Bool {
        try gate.withLock { gate in
            guard gate.isDown else { return false }
            guard !gate.probing else { throw StoreError.unavailable("the database is away; a reconnection is being tried") }
            gate.probing = true
            return true
        }
    }

    /// Whether an error already said the database is away and no request got its work done for
    /// `duration`. Only then is a wait for a connection cut short: a fresh pool opening its first
    /// connections on a loaded machine is slow, not away (seen: bounding it always refused good requests).
    private func awayAndQuiet(for duration: Duration) -> Bool {
        gate.withLock { $0.isDown && ContinuousClock.now - $0.lastSuccess > duration }
    }

    private func settle(up: Bool, probe: Bool) {
        gate.withLock { gate in
            if probe { gate.probing = false }
            gate.isDown = !up
            if up { gate.lastSuccess = .now }
        }
    }

    /// How long a request waits for a connection before it is told the database is away.
    static let leaseTimeout: Duration = .seconds(3)

    func withConnection<Result>(_ closure: (PostgresConnection) async throws -> Result) async throws -> Result {
        try checkOpen()
        let probe = try admit()
        let began = Flag()
        do {
            let result = try await withoutActuallyEscaping(closure) { closure in
                try await bounded(closure, began: began)
            }
            settle(up: true, probe: probe)
            return result
        } catch let error as StoreError {
            if case .unavailable = error { settle(up: false, probe: probe) } else { settle(up: true, probe: probe) }
            throw error
        } catch let error as PSQLError where Self.meansUnavailable(error) {
            settle(up: false, probe: probe)
            throw StoreError.unavailable(Self.summary(error))
        } catch {
            guard began.isSet else {
                // No connection could be had at all (the pool gave up creating one).
                settle(up: false, probe: probe)
                throw StoreError.unavailable("no connection: \(type(of: error))")
            }
            settle(up: true, probe: probe)
            throw error
        }
    }

    /// Runs `closure` on a pooled connection, giving up if none is had within ``leaseTimeout``.
    ///
    /// The closure and its result cross into a child task only while this call awaits it (the group
    /// ends before `withoutActuallyEscaping` returns), and nothing else touches them meanwhile: hence
    /// the unchecked boxes, which let the store's many non-`Sendable` closures keep their shape.
    private func bounded<Result>(_ closure: @escaping (PostgresConnection) async throws -> Result, began: Flag) async throws -> Result {
        let work = UncheckedBox(closure)
        let outcome = try await withThrowingTaskGroup(of: UncheckedBox<Result>?.self) { group in
                group.addTask {
                    try await self.base.withConnection { connection in
                        began.set()
                        return UncheckedBox(try await work.value(connection))
                    }
                }
                // Waiting for a connection is bounded while nothing succeeds (the database is away); under load,
                // when others are served, it waits its turn. The work, once begun, is never cut short.
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.leaseTimeout)
                        if began.isSet || self.awayAndQuiet(for: Self.leaseTimeout) { return nil }
                    }
                    return nil
                }
                while let next = try await group.next() {
                    if let result = next {
                        group.cancelAll()
                        return result
                    }
                    if !began.isSet && !Task.isCancelled {
                        group.cancelAll()
                        throw StoreError.unavailable("no connection within \(Self.leaseTimeout)")
                    }
                }
                throw StoreError.unavailable("no result")
        }
        return outcome.value
    }

    /// A value carried across the child task of ``bounded(_:began:)`` (see there why this is safe).
    private final class UncheckedBox<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Whether the work began on a connection.
    private final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    /// A query on a connection of the pool's choosing, held while its rows are read.
    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try checkOpen()
        let probe = try admit()
        do {
            let rows = try await base.query(query, logger: logger)
            settle(up: true, probe: probe)
            return rows
        } catch let error as PSQLError where !Self.meansUnavailable(error) {
            settle(up: true, probe: probe)
            throw error
        } catch let error as PSQLError {
            settle(up: false, probe: probe)
            throw StoreError.unavailable(Self.summary(error))
        } catch {
            settle(up: false, probe: probe)
            throw StoreError.unavailable("no connection: \(type(of: error))")
        }
    }
    /// Whether an error says the database is away, not that the request was wrong: the connection
    /// failed or broke, or the server is shutting down, starting, or read-only (a standby not yet
    /// promoted; SQLSTATE classes 08 and 57P, and 25006).
    static func meansUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P") || state == "25006"
        default:
            return false
        }
    }

    /// What an operator needs to know, and nothing of the query (which may name health data).
    static func summary(_ error: PSQLError) -> String {
        error.code == .server ? "server \(error.serverInfo?[.sqlState] ?? "?")" : "\(error.code)"
    }
}
