import CarnetPostgres
import CarnetSQLite
public import CarnetStore
import Foundation
public import Logging

/// A content store that cannot be had with this configuration.
public enum ContentStoreError: Error, CustomStringConvertible {
    case databaseNeedsPostgreSQL

    public var description: String {
        switch self {
        case .databaseNeedsPostgreSQL: "--content-store database keeps content in PostgreSQL: give --database too"
        }
    }
}

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

    /// Opens the document content store the configuration asks for (``CarnetConfiguration/effectiveContentStore``):
    /// encrypted files under the data directory, or encrypted chunks in `store`'s PostgreSQL database;
    /// either way under the data keys of the key directory, the first created on first use.
    public static func openBlobs(_ configuration: CarnetConfiguration, store: any RecordStore) throws -> any BlobStore {
        let keyring = try DataKeyring.loadOrCreate(keyDirectory: configuration.effectiveKeysDirectory)
        switch configuration.effectiveContentStore {
        case .files:
            return try FileBlobStore(directory: configuration.dataDirectory, keyring: keyring)
        case .database:
            guard let postgres = store as? PostgresStore else { throw ContentStoreError.databaseNeedsPostgreSQL }
            return PostgresBlobStore(store: postgres, keyring: keyring)
        }
    }

    /// The token authority over the configuration's key directory.
    public static func openTokens(_ configuration: CarnetConfiguration) async throws -> TokenAuthority {
        try await TokenAuthority.loadOrCreate(keyDirectory: configuration.effectiveKeysDirectory)
    }

    /// Opens the store only to bring its schema up to date (`carnet migrate`).
    public static func migrate(_ configuration: CarnetConfiguration, logger: Logger) async throws {
        let store = try await open(configuration, logger: logger)
        await store.shutdown()
    }
}
