import ArgumentParser
import Foundation
import GRDB
import Hummingbird
import Logging
import PostgresNIO

/// `carnet-baseline`: the machine's own limits, measured in the same run as Carnet's figures so that
/// every figure can be read as a ratio (`scripts/bench`): an HTTP route that does nothing, a raw
/// single-row read and a raw durable insert on each engine, with no service, policy or audit around.
@main
struct CarnetBaseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carnet-baseline",
        abstract: "Baselines for the benchmark suite (scripts/bench): hello route, raw reads and durable inserts.",
        subcommands: [Hello.self, SQLiteRead.self, SQLiteInsert.self, PostgresRead.self, PostgresInsert.self, OpenLoop.self])
}

/// A Hummingbird server with one route answering "hello": the ceiling of any route on this machine.
struct Hello: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hello", abstract: "Serve GET /hello on 127.0.0.1.")

    @Option var port: Int

    func run() async throws {
        let router = Router()
        router.get("hello") { _, _ in "hello" }
        var logger = Logger(label: "carnet.baseline")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await app.runService()
    }
}

/// Options every load loop shares.
struct LoadOptions: ParsableArguments {
    @Option(help: "Seconds to measure.") var seconds = 10.0
    @Option(help: "Concurrent workers.") var concurrency = 64
}

/// Reads one document row by id, at random among the database's documents, through a GRDB pool.
struct SQLiteRead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sqlite-read", abstract: "Raw single-row reads from a Carnet SQLite database's documents table.")

    @Option(help: "A Carnet SQLite database (read only).") var path: String
    @OptionGroup var load: LoadOptions

    func run() async throws {
        var configuration = Configuration()
        configuration.readonly = true
        let pool = try DatabasePool(path: path, configuration: configuration)
        let ids = try await pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM documents ORDER BY random() LIMIT 100000") }
        guard !ids.isEmpty else { throw ValidationError("no documents in \(path)") }
        let report = try await measure(load) { _ in
            let id = ids.randomElement() ?? ids[0]
            _ = try await pool.read { db in try String.fetchOne(db, sql: "SELECT metadata_json FROM documents WHERE id = ?", arguments: [id]) }
        }
        report.print(name: "sqlite-read")
        try pool.close()
    }
}

/// Inserts rows shaped like Carnet's documents (same columns, a 1.5 KB JSON), one durable
/// transaction per row (WAL, `synchronous=FULL`), from one writer: SQLite's own commit rate.
struct SQLiteInsert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sqlite-insert", abstract: "Raw durable single-row inserts into a fresh SQLite file.")

    @Option(help: "A new SQLite file.") var path: String
    @Option(help: "Seconds to measure.") var seconds = 10.0
    @Option(help: "Rows per transaction (1: a commit per row).") var batch = 1

    func run() async throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try await pool.write { db in try db.execute(sql: RawRows.sqliteTable) }
        let report = try await measure(LoadOptions.parse(["--seconds", "\(seconds)", "--concurrency", "1"]), operationsPerCall: batch) { counter in
            try await pool.write { db in
                for offset in 0..<batch {
                    try db.execute(sql: RawRows.sqliteInsert, arguments: StatementArguments(RawRows.values(counter * batch + offset)))
                }
            }
        }
        report.print(name: batch == 1 ? "sqlite-insert" : "sqlite-insert-batched")
        try pool.close()
    }
}

/// Reads one document row by id, at random, over a PostgresNIO pool.
struct PostgresRead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "postgres-read", abstract: "Raw single-row reads from a Carnet PostgreSQL database's documents table.")

    @Option(help: "postgres://user@host:port/database") var url: String
    @OptionGroup var load: LoadOptions

    func run() async throws {
        try await withPostgres(url) { client in
            var found: [UUID] = []
            for try await id in try await client.query("SELECT id FROM documents ORDER BY random() LIMIT 100000").decode(UUID.self) { found.append(id) }
            let ids = found
            guard !ids.isEmpty else { throw ValidationError("no documents in the database") }
            let report = try await measure(load) { _ in
                let id = ids.randomElement() ?? ids[0]
                for try await _ in try await client.query("SELECT metadata_json::text FROM documents WHERE id = \(id)").decode(String.self) {}
            }
            report.print(name: "postgres-read")
        }
    }
}

/// Inserts rows shaped like Carnet's documents, one transaction per row, from concurrent connections.
struct PostgresInsert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "postgres-insert", abstract: "Raw single-row inserts into PostgreSQL, one transaction each.")

    @Option(help: "postgres://user@host:port/database") var url: String
    @OptionGroup var load: LoadOptions

    func run() async throws {
        try await withPostgres(url) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS baseline_documents"))
            try await client.query(PostgresQuery(unsafeSQL: RawRows.postgresTable))
            let report = try await measure(load) { counter in
                let v = RawRows.values(counter)
                try await client.query("""
                    INSERT INTO baseline_documents VALUES (\(v[0]), \(v[1]), \(v[2]), \(v[3]), \(v[4])::bigint, \(v[5]), \(v[6])::integer)
                    """)
            }
            report.print(name: "postgres-insert")
        }
    }
}

/// The rows the insert baselines write: the shape of Carnet's `documents`, with a realistic JSON size.
enum RawRows {
    static let sqliteTable = """
        CREATE TABLE baseline_documents (record_id TEXT NOT NULL, id TEXT NOT NULL, unique_id TEXT NOT NULL, status TEXT NOT NULL,
            date_ms INTEGER NOT NULL, metadata_json TEXT NOT NULL, metadata_version INTEGER NOT NULL, PRIMARY KEY (record_id, id)) STRICT;
        CREATE UNIQUE INDEX baseline_documents_by_id ON baseline_documents (id);
        """
    static let postgresTable = """
        CREATE TABLE baseline_documents (record_id text NOT NULL, id text NOT NULL, unique_id text NOT NULL, status text NOT NULL,
            date_ms bigint NOT NULL, metadata_json text NOT NULL, metadata_version integer NOT NULL, PRIMARY KEY (record_id, id))
        """
    static let sqliteInsert = "INSERT INTO baseline_documents VALUES (?, ?, ?, ?, ?, ?, ?)"
    static let json = "{\"synthetic\":\"" + String(repeating: "x", count: 1_500) + "\"}"

    static func values(_ counter: Int) -> [String] {
        [UUID().uuidString.lowercased(), UUID().uuidString.lowercased(), "1.2.250.1.999.5.\(counter)", "current", "\(counter)", json, "1"]
    }
}

/// Throughput and latency percentiles of a load loop.
struct LoadReport {
    var operations: Int
    var seconds: Double
    var latencies: [Double]

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        return latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1_000
    }

    /// One machine-readable line for `scripts/bench`.
    func print(name: String) {
        Swift.print(String(format: "RESULT %@ ops/s=%.0f p50=%.2fms p90=%.2fms p99=%.2fms operations=%d", name, Double(operations) / seconds,
                           percentile(0.5), percentile(0.9), percentile(0.99), operations))
    }
}

/// Runs `operation` from `load.concurrency` workers for `load.seconds`, timing each call.
func measure(_ load: LoadOptions, operationsPerCall: Int = 1,
             _ operation: @escaping @Sendable (Int) async throws -> Void) async throws -> LoadReport {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(load.seconds)
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for worker in 0..<load.concurrency {
            group.addTask {
                var latencies: [Double] = []
                var counter = worker * 100_000_000
                while clock.now < deadline {
                    let began = clock.now
                    try await operation(counter)
                    counter += 1
                    let elapsed = clock.now - began
                    latencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                }
                return latencies
            }
        }
        return try await group.reduce(into: []) { $0 += $1 }.sorted()
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return LoadReport(operations: latencies.count * operationsPerCall, seconds: seconds, latencies: latencies)
}

/// Runs `body` with a client connected to `url` (the same URL form as `carnet --database`).
func withPostgres(_ url: String, _ body: @escaping @Sendable (PostgresClient) async throws -> Void) async throws {
    guard let components = URLComponents(string: url), let host = components.host else { throw ValidationError("not a postgres:// URL: \(url)") }
    var configuration = PostgresClient.Configuration(host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
                                                    password: components.password, database: String(components.path.dropFirst()), tls: .disable)
    configuration.options.maximumConnections = 64
    let client = PostgresClient(configuration: configuration)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        try await body(client)
        group.cancelAll()
    }
}
