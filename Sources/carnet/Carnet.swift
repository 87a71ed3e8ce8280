import ArgumentParser
import Foundation

/// The operator's command line: run the service, migrate its database, mint tokens.
@main
struct Carnet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carnet",
        abstract: "Carnet, a shared electronic health record service (DMP-style, FHIR R4).",
        subcommands: [Serve.self, Migrate.self, Token.self, Audit.self, Import.self, CareHistory.self, Generate.self, Backup.self, Restore.self, Keys.self]
    )

    /// Every file Carnet creates holds health data or keys: owner-only (0600, directories 0700) from
    /// the very first one, whatever creates it (issue 23.17). The stores and the backup also set modes
    /// explicitly, so a library with its own defaults cannot undo this.
    static func main() async {
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
