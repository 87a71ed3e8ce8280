public import CarnetStore
import CarnetPostgres
import CarnetSQLite
import GRDB
public import Foundation
import Logging
import PostgresNIO

/// The storage engines the conformance suite runs on.
///
/// SQLite always runs. PostgreSQL runs when `CARNET_TEST_POSTGRES_URL` points at a server where the
/// user may create databases (`scripts/test` starts a throwaway cluster and sets it); when
/// `CARNET_REQUIRE_POSTGRES=1` is set, its absence is a failure rather than a skip, so CI cannot
/// silently test one engine.
public enum TestEngine: String, CaseIterable, Sendable {
    case sqlite
    case postgres

    /// The engines to run: SQLite, plus PostgreSQL when configured (or required).
    public static var available: [TestEngine] {
        let environment = ProcessInfo.processInfo.environment
        if environment["CARNET_TEST_POSTGRES_URL"] != nil || environment["CARNET_REQUIRE_POSTGRES"] == "1" {
            return [.sqlite, .postgres]
        }
        return [.sqlite]
    }

    /// Runs `body` with a fresh, migrated, empty store of this engine, and disposes of it afterwards.
    public func withStore<T>(_ body: (any RecordStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await TemporaryDirectory.with { directory in
                let store = try SQLiteStore(path: directory.appendingPathComponent("carnet.sqlite").path)
                return try await Self.using(store, body)
            }
        case .postgres:
            return try await TestPostgres.withDatabase { url in
                let store = try await PostgresStore.open(configuration: try PostgresURL.configuration(url), logger: TestPostgres.logger)
                return try await Self.using(store, body)
            }
        }
    }

    /// Runs `body` with a URL naming a fresh empty database of this engine: a SQLite file path or a
    /// PostgreSQL URL. For tests that reopen the same database (persistence, migrations).
    public func withDatabaseLocation<T>(_ body: (DatabaseLocation) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await TemporaryDirectory.with { directory in
                try await body(.sqlite(path: directory.appendingPathComponent("carnet.sqlite").path))
            }
        case .postgres:
            return try await TestPostgres.withDatabase { url in try await body(.postgres(url: url)) }
        }
    }

    /// Runs `body` with the `--database` URL of a fresh empty database of this engine: `nil` for
    /// SQLite (the data directory's file), a new PostgreSQL database otherwise.
    public func withDatabaseURL<T>(_ body: (String?) async throws -> T) async throws -> T {
        switch self {
        case .sqlite: try await body(nil)
        case .postgres: try await TestPostgres.withDatabase { url in try await body(url) }
        }
    }

    private static func using<T>(_ store: any RecordStore, _ body: (any RecordStore) async throws -> T) async throws -> T {
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// Where a test database lives, so it can be opened more than once.
public enum DatabaseLocation: Sendable {
    case sqlite(path: String)
    case postgres(url: String)

    public func open() async throws -> any RecordStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path)
        case .postgres(let url): try await PostgresStore.open(configuration: try PostgresURL.configuration(url), logger: TestPostgres.logger)
        }
    }

    /// Runs raw SQL behind the store's back, as an attacker or a careless operator would (tamper tests).
    public func execute(_ sql: String) async throws {
        switch self {
        case .sqlite(let path):
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)  // the store's own connections may still be closing (WAL checkpoint)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try await queue.write { db in try db.execute(sql: sql) }
            try queue.close()
        case .postgres(let url):
            try await TestPostgres.run(url, sql)
        }
    }
}

/// Creates and drops one database per test on the throwaway cluster.
public enum TestPostgres {
    static let logger: Logger = {
        var logger = Logger(label: "carnet.tests.postgres")
        logger.logLevel = .error
        return logger
    }()

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String { "CARNET_REQUIRE_POSTGRES=1 but CARNET_TEST_POSTGRES_URL is not set: run the suite with scripts/test" }
    }

    static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        guard let adminURL = ProcessInfo.processInfo.environment["CARNET_TEST_POSTGRES_URL"] else { throw NotConfigured() }
        let name = "carnet_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let workers = citusWorkers
        try await admin(adminURL, "CREATE DATABASE \(name)")
        let url = try database(name, on: adminURL)
        let drop = {
            try await admin(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            for worker in workers { try await admin(worker, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        }
        do {
            if !workers.isEmpty {
                try await citusSetup.holding { try await makeCitusDatabase(name, coordinator: url, workers: workers) }
            }
            let result = try await body(url)
            try await drop()
            return result
        } catch {
            try? await drop()
            throw error
        }
    }

    /// The Citus workers' maintenance URLs, when the suite runs under `scripts/with-citus`.
    public static var citusWorkers: [String] {
        (ProcessInfo.processInfo.environment["CARNET_TEST_CITUS_WORKERS"] ?? "").split(separator: ",").map(String.init)
    }

    /// Citus keeps its node list per database: the test's database is made on every worker, the
    /// extension created in each, and the workers registered with the coordinator (what an operator
    /// does once for the production database). Carnet then distributes its tables when it migrates.
    private static func makeCitusDatabase(_ name: String, coordinator: String, workers: [String]) async throws {
        for worker in workers {
            try await admin(worker, "CREATE DATABASE \(name)")
            try await admin(try database(name, on: worker), "CREATE EXTENSION citus")
        }
        try await admin(coordinator, "CREATE EXTENSION citus")
        guard let port = URLComponents(string: coordinator)?.port else { throw NotConfigured() }
        try await admin(coordinator, "SELECT citus_set_coordinator_host('127.0.0.1', \(port))")
        for worker in workers {
            guard let components = URLComponents(string: worker), let host = components.host, let port = components.port else { throw NotConfigured() }
            try await admin(coordinator, "SELECT citus_add_node('\(host)', \(port))")
        }
    }

    /// Registering a worker updates catalogs the worker shares between its databases: tests setting up
    /// their databases at the same moment fail with "tuple concurrently updated". One at a time.
    private static let citusSetup = AsyncLock()

    private static func database(_ name: String, on url: String) throws -> String {
        var components = URLComponents(string: url)
        components?.path = "/\(name)"
        guard let url = components?.string else { throw NotConfigured() }
        return url
    }

    static func run(_ url: String, _ sql: String) async throws { try await admin(url, sql) }

    /// Runs one statement on the maintenance database.
    private static func admin(_ url: String, _ sql: String) async throws {
        let client = PostgresClient(configuration: try PostgresURL.configuration(url), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            do {
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            } catch let error as PSQLError {
                throw AdminStatementFailed(statement: sql, error: String(reflecting: error))
            }
        }
    }

    /// A set-up statement that failed, with the server's message (test databases hold no patient).
    struct AdminStatementFailed: Error, CustomStringConvertible {
        var statement: String
        var error: String
        var description: String { "\(statement): \(error)" }
    }
}

/// A directory that exists for the duration of a closure.
public enum TemporaryDirectory {
    public static func with<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("carnet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }
}

/// A lock for async code: waiters are resumed one at a time, in order, without blocking a thread.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func holding<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        guard locked else {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }
}
