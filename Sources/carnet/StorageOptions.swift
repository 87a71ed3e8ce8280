import ArgumentParser
import CarnetServer
import Foundation

/// Where Carnet keeps its data: shared by every subcommand, so they all agree on the same directory.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory: SQLite database, token signing key.")
    var data: String = "carnet-data"

    @Option(name: .long, help: "PostgreSQL URL (postgres://user:password@host:5432/db); SQLite under --data when absent.")
    var database: String?

    @Option(name: .long, help: "Key directory: data-encryption keys and the token-signing key (default: <data>/keys). Give every node of one service the same keys.")
    var keys: String?

    @Option(name: .long, help: "Where document content is kept: files (encrypted, under --data) or database (encrypted, in PostgreSQL; every node reaches it). Default: files with SQLite, database with PostgreSQL.")
    var contentStore: String?

    var dataDirectory: URL { URL(fileURLWithPath: data, isDirectory: true).standardizedFileURL }

    var keysDirectory: URL? { keys.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL } }

    /// The storage part of the configuration every subcommand shares.
    var configuration: CarnetConfiguration {
        var configuration = CarnetConfiguration(dataDirectory: dataDirectory, databaseURL: database)
        configuration.keysDirectory = keysDirectory
        configuration.contentStore = contentStoreKind
        return configuration
    }

    var contentStoreKind: CarnetConfiguration.ContentStoreKind? { contentStore.flatMap(CarnetConfiguration.ContentStoreKind.init(rawValue:)) }

    func validate() throws {
        if let contentStore, CarnetConfiguration.ContentStoreKind(rawValue: contentStore) == nil {
            throw ValidationError("--content-store must be files or database")
        }
        if contentStoreKind == .database && database == nil {
            throw ValidationError("--content-store database keeps content in PostgreSQL: give --database too")
        }
    }
}

