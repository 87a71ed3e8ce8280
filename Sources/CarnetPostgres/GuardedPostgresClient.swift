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
    /// How long work may go on after its connection closed before the request is answered without it.
    static let closedConnectionGrace: Duration = .seconds(1)
    /// How often the watch looks at a request's work.
    static let watchInterval: Duration = .milliseconds(250)

    func withConnection<Result>(_ closure: @escaping (PostgresConnection) async throws -> Result) async throws -> Result {
        try checkOpen()
        let probe = try admit()
        let watch = Watch()
        do {
            let result = try await watched(closure, watch: watch)
            settle(up: true, probe: probe)
            return result
        } catch let error as StoreError {
            if case .unavailable = error { settle(up: false, probe: probe) } else { settle(up: true, probe: probe) }
            throw error
        } catch let error as PSQLError where Self.meansUnavailable(error) {
            settle(up: false, probe: probe)
            throw StoreError.unavailable(Self.summary(error))
        } catch {
            guard watch.began else {
                // No connection could be had at all (the pool gave up creating one).
                settle(up: false, probe: probe)
                throw StoreError.unavailable("no connection: \(type(of: error))")
            }
            settle(up: true, probe: probe)
            throw error
        }
    }

    /// Runs `closure` on a pooled connection, and answers without it when it cannot finish.
    ///
    /// Two ways it cannot: no connection comes while the database is away (bounded by
    /// ``leaseTimeout`` once an error said so; under load, when others are served, a request waits
    /// its turn), or the server closed the connection under the work — a statement sent on a closed
    /// connection is never answered by PostgresNIO (see `PostgresConnection+ClosedGuard`), seen as
    /// pushes hanging through a failover. The work therefore runs in a task of its own that the
    /// request can leave behind: after ``closedConnectionGrace`` on a closed connection the request
    /// gets ``StoreError/unavailable(_:)``; the work, if it ever resumes, finds its answer taken.
    /// The closure and its result cross tasks in unchecked boxes: the request waits for exactly one
    /// answer and touches neither meanwhile.
    private func watched<Result>(_ closure: @escaping (PostgresConnection) async throws -> Result, watch: Watch) async throws -> Result {
        let work = UncheckedBox(closure)
        let answer = Answer<UncheckedBox<Result>>()
        let worker = Task {
            do {
                let value = try await self.base.withConnection { connection in
                    watch.begin(on: connection)
                    return UncheckedBox(try await work.value(connection))
                }
                answer.resolve(.success(value))
            } catch {
                answer.resolve(.failure(error))
            }
            watch.finish()
        }
        let watcher = Task {
            var waited: Duration = .zero
            var closedFor: Duration = .zero
            while !watch.finished && !Task.isCancelled {
                try? await Task.sleep(for: Self.watchInterval)
                waited += Self.watchInterval
                if let connection = watch.connection {
                    closedFor = connection.isClosed ? closedFor + Self.watchInterval : .zero
                    if closedFor >= Self.closedConnectionGrace {
                        answer.resolve(.failure(StoreError.unavailable("the connection to the database closed under the request")))
                        return
                    }
                } else if waited >= Self.leaseTimeout && self.awayAndQuiet(for: Self.leaseTimeout) {
                    answer.resolve(.failure(StoreError.unavailable("no connection within \(Self.leaseTimeout)")))
                    worker.cancel()
                    return
                }
            }
        }
        defer { watcher.cancel() }
        return try await withTaskCancellationHandler {
            try await answer.value.value
        } onCancel: {
            worker.cancel()
        }
    }

    /// A value carried across the tasks of ``watched(_:watch:)`` (see there why this is safe).
    private final class UncheckedBox<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// What the watch knows of a request's work: the connection it began on, and whether it ended.
    private final class Watch: Sendable {
        private let state = Mutex<(connection: PostgresConnection?, began: Bool, finished: Bool)>((nil, false, false))
        func begin(on connection: PostgresConnection) { state.withLock { $0.connection = connection; $0.began = true } }
        func finish() { state.withLock { $0.finished = true; $0.connection = nil } }
        var began: Bool { state.withLock { $0.began } }
        var finished: Bool { state.withLock { $0.finished } }
        var connection: PostgresConnection? { state.withLock { $0.connection } }
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

/// A result delivered once, by whichever of the work and its watch comes first, to one waiter.
private final class Answer<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, any Error>)
        case resolved(Result<Value, any Error>)
        case taken
    }

    private let state = Mutex<State>(.empty)

    func resolve(_ result: Result<Value, any Error>) {
        let waiter: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case .empty:
                state = .resolved(result)
                return nil
            case .waiting(let continuation):
                state = .taken
                return continuation
            case .resolved, .taken:
                return nil
            }
        }
        waiter?.resume(with: result)
    }

    var value: Value {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<Value, any Error>? = state.withLock { state in
                    if case .resolved(let result) = state {
                        state = .taken
                        return result
                    }
                    state = .waiting(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}
