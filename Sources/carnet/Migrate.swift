import ArgumentParser
import CarnetServer
import Foundation
import Logging

/// `carnet migrate`: brings the database schema up to date and exits (serve does it too, at start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let configuration = storage.configuration
        try await StoreOpening.migrate(configuration, logger: Logger(label: "carnet.migrate"))
        print("schema up to date (\(storage.database == nil ? configuration.sqlitePath.path : "PostgreSQL"))")
    }
}
