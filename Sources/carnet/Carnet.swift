import ArgumentParser

/// The operator's command line: run the service, migrate its database, mint tokens.
@main
struct Carnet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carnet",
        abstract: "Carnet, a shared electronic health record service (DMP-style, FHIR R4).",
        subcommands: [Serve.self, Migrate.self, Token.self, Audit.self, Import.self, CareHistory.self, Generate.self, Backup.self, Restore.self, Keys.self]
    )
}
