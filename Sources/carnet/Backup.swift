import ArgumentParser
import CarnetServer
import Foundation

/// `carnet backup DEST`: a consistent online backup (the server may keep running) with a manifest of hashes.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Back up the database, the document contents and the keys into DEST (new or empty), with a manifest of hashes.")

    @OptionGroup var storage: StorageOptions

    @Argument(help: "Where to write the backup: a new or empty directory. It holds the keys: keep it as secret as the data.")
    var destination: String

    func run() async throws {
        let manifest = try await DataBackup.backup(storage.configuration,
                                                   to: URL(fileURLWithPath: destination, isDirectory: true))
        print("backup of the \(manifest.engine) store written to \(destination): \(manifest.files.count) files, "
              + "\(manifest.files.reduce(0) { $0 + $1.size }) bytes, manifest.json lists their SHA-256")
    }
}

/// `carnet restore SRC`: checks every file of a backup, then restores it into an empty data directory or database.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup (checked against its manifest first) into an empty data directory or database.")

    @OptionGroup var storage: StorageOptions

    @Argument(help: "The backup directory (made by carnet backup).")
    var source: String

    func run() async throws {
        let manifest = try await DataBackup.restore(from: URL(fileURLWithPath: source, isDirectory: true),
                                                    into: storage.configuration)
        print("restored the \(manifest.engine) backup of \(manifest.createdAt) (\(manifest.files.count) files, every hash checked)")
    }
}
