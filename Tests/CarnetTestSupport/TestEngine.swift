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
enum TestPostgres {
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
        try await admin(adminURL, "CREATE DATABASE \(name)")
        var components = URLComponents(string: adminURL)
        components?.path = "/\(name)"
        guard let url = components?.string else { throw NotConfigured() }
        do {
            let result = try await body(url)
            try await admin(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return result
        } catch {
            try? await admin(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }

    static func run(_ url: String, _ sql: String) async throws { try await admin(url, sql) }

    /// Runs one statement on the maintenance database.
    private static func admin(_ url: String, _ sql: String) async throws {
        let client = PostgresClient(configuration: try PostgresURL.configuration(url), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
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
