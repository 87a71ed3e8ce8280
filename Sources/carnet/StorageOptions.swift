import ArgumentParser
import CarnetServer
import Foundation

/// Where Carnet keeps its data: shared by every subcommand, so they all agree on the same directory.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory: SQLite database, token signing key.")
    var data: String = "carnet-data"

    @Option(name: .long, help: "PostgreSQL URL (postgres://user:password@host:5432/db); SQLite under --data when absent.")
    var database: String?

    var dataDirectory: URL { URL(fileURLWithPath: data, isDirectory: true).standardizedFileURL }
}
