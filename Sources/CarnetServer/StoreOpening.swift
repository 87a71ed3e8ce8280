import CarnetPostgres
import CarnetSQLite
public import CarnetStore
import Foundation
public import Logging

/// Opens the store the configuration asks for: PostgreSQL when a database URL is given, otherwise the
/// embedded SQLite file in the data directory (created, with the directory, on first start). Either way
/// the schema is migrated before the store is returned.
public enum StoreOpening {
    public static func open(_ configuration: CarnetConfiguration, logger: Logger) async throws -> any RecordStore {
        if let url = configuration.databaseURL {
            return try await PostgresStore.open(configuration: try PostgresURL.configuration(url), logger: logger)
        }
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return try SQLiteStore(path: configuration.sqlitePath.path)
    }

    /// Opens the document content store under the data directory, creating its data key on first use.
    public static func openBlobs(_ configuration: CarnetConfiguration) throws -> any BlobStore {
        try FileBlobStore(directory: configuration.dataDirectory, keyring: try DataKeyring.loadOrCreate(in: configuration.dataDirectory))
    }

    /// Opens the store only to bring its schema up to date (`carnet migrate`).
    public static func migrate(_ configuration: CarnetConfiguration, logger: Logger) async throws {
        let store = try await open(configuration, logger: logger)
        await store.shutdown()
    }
}
