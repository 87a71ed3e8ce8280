import CarnetStore
import CarnetSQLite
import CarnetService
public import Foundation
import Crypto

/// Online backups and their restoration (`carnet backup`, `carnet restore`).
///
/// A backup is a directory: the database (SQLite's online backup, or `pg_dump`'s custom format),
/// the encrypted document contents (`blobs/`), the keys (`keys/`: data keys and the token-signing
/// key, without which nothing can be read or verified — keep backups as secret as the data), and a
/// `manifest.json` with the size and SHA-256 of every file. The database is copied first: contents
/// are written before the rows that name them and never deleted, so every content the snapshot
/// names is in the blob copy taken after it. Restoring checks every hash before writing anything,
/// and only into an empty data directory (or an empty database).
public enum DataBackup {
    public struct Manifest: Codable, Sendable, Equatable {
        public var format = 1
        public var carnetVersion: String
        public var createdAt: Date
        public var engine: String
        public var files: [File]

        public struct File: Codable, Sendable, Equatable {
            public var path: String
            public var size: Int
            public var sha256: String
        }
    }

    public enum BackupError: Error, CustomStringConvertible, Equatable {
        case destinationNotEmpty(String)
        case notABackup(String)
        case damaged(String)
        case targetNotEmpty(String)
        case tool(String)

        public var description: String {
            switch self {
            case .destinationNotEmpty(let path): "\(path) is not empty: a backup goes into a new or empty directory"
            case .notABackup(let path): "\(path) holds no manifest.json: it is not a Carnet backup"
            case .damaged(let detail): "the backup is damaged, nothing was restored: \(detail)"
            case .targetNotEmpty(let detail): "restore only into an empty data directory or database: \(detail)"
            case .tool(let detail): detail
            }
        }
    }

    static let databaseFile = "carnet.sqlite"
    static let dumpFile = "database.dump"

    /// Backs up the data directory (and the PostgreSQL database, when `databaseURL` is given) into `destination`.
    public static func backup(_ configuration: CarnetConfiguration, to destination: URL) async throws -> Manifest {
        let files = FileManager.default
        if files.fileExists(atPath: destination.path), !(try files.contentsOfDirectory(atPath: destination.path)).isEmpty {
            throw BackupError.destinationNotEmpty(destination.path)
        }
        try files.createDirectory(at: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let engine: String
        if let url = configuration.databaseURL {
            engine = "postgresql"
            try await PostgresTools.run("pg_dump", ["--format=custom", "--no-owner", "--file", destination.appendingPathComponent(dumpFile).path, url])
        } else {
            engine = "sqlite"
            let store = try SQLiteStore(path: configuration.sqlitePath.path)
            try await store.backup(to: destination.appendingPathComponent(databaseFile).path)
            await store.shutdown()
        }
        for (directory, source) in [("blobs", configuration.dataDirectory.appendingPathComponent("blobs")), ("keys", configuration.effectiveKeysDirectory)] {
            if files.fileExists(atPath: source.path) {
                try copyTree(source, to: destination.appendingPathComponent(directory))
            }
        }
        let manifest = Manifest(carnetVersion: CarnetVersion.current, createdAt: Date(), engine: engine,
                                files: try listFiles(in: destination).map { try describe($0, in: destination) })
        try writeManifest(manifest, to: destination)
        // The backup holds the data and the keys: private, whatever the tools and copies created.
        try PrivateFiles.restrictTree(destination)
        return manifest
    }

    /// Checks every file of the backup at `source` against its manifest, then restores it into the
    /// (empty) data directory and database of `configuration`.
    public static func restore(from source: URL, into configuration: CarnetConfiguration) async throws -> Manifest {
        let manifest = try verify(source)
        let files = FileManager.default
        let target = configuration.dataDirectory
        let keys = configuration.effectiveKeysDirectory
        for path in [target.appendingPathComponent(databaseFile), target.appendingPathComponent("blobs"), keys] where files.fileExists(atPath: path.path) {
            throw BackupError.targetNotEmpty("\(path.path) exists")
        }
        try files.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        switch (manifest.engine, configuration.databaseURL) {
        case ("sqlite", nil):
            try files.copyItem(at: source.appendingPathComponent(databaseFile), to: configuration.sqlitePath)
        case ("postgresql", let url?):
            try await PostgresTools.run("pg_restore", ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname", url, source.appendingPathComponent(dumpFile).path])
        case (let engine, _):
            throw BackupError.targetNotEmpty("this backup is of a \(engine) store: restore it with\(engine == "sqlite" ? "out" : "") --database")
        }
        for (directory, destination) in [("blobs", target.appendingPathComponent("blobs")), ("keys", keys)]
        where files.fileExists(atPath: source.appendingPathComponent(directory).path) {
            try copyTree(source.appendingPathComponent(directory), to: destination)
        }
        for path in [target.appendingPathComponent(databaseFile), target.appendingPathComponent("blobs"), keys] { try PrivateFiles.restrictTree(path) }
        return manifest
    }

    /// The manifest of the backup at `source`, once every file it lists has its size and hash.
    public static func verify(_ source: URL) throws -> Manifest {
        let manifestFile = source.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestFile.path) else { throw BackupError.notABackup(source.path) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: Manifest
        do {
            manifest = try decoder.decode(Manifest.self, from: data)
        } catch {
            throw BackupError.damaged("manifest.json does not read: \(error)")
        }
        for file in manifest.files {
            guard !file.path.contains(".."), !file.path.hasPrefix("/") else { throw BackupError.damaged("\(file.path) leaves the backup") }
            let actual = try? describe(source.appendingPathComponent(file.path), in: source)
            guard let actual, actual == file else { throw BackupError.damaged("\(file.path) is missing or does not match its hash") }
        }
        return manifest
    }

    // MARK: - Files

    static func copyTree(_ source: URL, to destination: URL) throws {
        let files = FileManager.default
        try files.createDirectory(at: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for name in try files.contentsOfDirectory(atPath: source.path) where !name.hasPrefix(".") {
            let from = source.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            files.fileExists(atPath: from.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try copyTree(from, to: destination.appendingPathComponent(name))
            } else {
                try files.copyItem(at: from, to: destination.appendingPathComponent(name))
            }
        }
    }

    static func listFiles(in directory: URL) throws -> [URL] {
        var found: [URL] = []
        let files = FileManager.default
        for name in try files.contentsOfDirectory(atPath: directory.path).sorted() where name != "manifest.json" {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            files.fileExists(atPath: url.path, isDirectory: &isDirectory)
            found += isDirectory.boolValue ? try listFiles(in: url) : [url]
        }
        return found
    }

    static func describe(_ file: URL, in root: URL) throws -> Manifest.File {
        let data = try Data(contentsOf: file)
        let path = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        return Manifest.File(path: path, size: data.count, sha256: Hex.lowercase(SHA256.hash(data: data)))
    }

    static func writeManifest(_ manifest: Manifest, to destination: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: destination.appendingPathComponent("manifest.json"), options: .atomic)
    }
}

/// PostgreSQL's client tools, found on PATH or in Debian's /usr/lib/postgresql/<version>/bin.
enum PostgresTools {
    /// Runs `tool` to its end on a thread of its own (waiting for it must not hold a concurrency-pool thread).
    static func run(_ tool: String, _ arguments: [String]) async throws {
        try await onOwnThread { try runBlocking(tool, arguments) }
    }

    private static func runBlocking(_ tool: String, _ arguments: [String]) throws {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(tool)" }
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/\(tool)" }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw DataBackup.BackupError.tool("\(tool) not found: install Debian's postgresql-client")
        }
        // A password never goes on a command line (other users see it): it goes in the environment.
        var environment = ProcessInfo.processInfo.environment
        let arguments = arguments.map { argument in
            guard argument.hasPrefix("postgres"), var components = URLComponents(string: argument), let password = components.password else { return argument }
            environment["PGPASSWORD"] = password
            components.password = nil
            return components.string ?? argument
        }
        // posix_spawn, not Foundation's Process (see SpawnedProcess); the tool's errors come back.
        let child: SpawnedProcess
        do {
            child = try SpawnedProcess.start(path, arguments: arguments, environment: environment, capturing: .standardError)
        } catch {
            throw DataBackup.BackupError.tool("\(tool) could not be started: \(error)")
        }
        let output = child.readOutput(upTo: 2_000)
        child.discardOutput()
        guard let status = child.wait(), status == 0 else {
            throw DataBackup.BackupError.tool("\(tool) failed: \(String(decoding: output, as: UTF8.self))")
        }
    }
}
