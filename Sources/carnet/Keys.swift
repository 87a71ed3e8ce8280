import ArgumentParser
import CarnetServer
import CarnetStore
import Foundation

/// `carnet keys …`: rotating the data-encryption and token-signing keys.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rotate keys.", subcommands: [RotateKeys.self, RewrapContent.self])
}

/// `carnet keys rotate`: a new data key for new content and a new token-signing key; old keys stay
/// (content under them stays readable; tokens they signed stay valid until they expire).
struct RotateKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Create a new data-encryption key and a new token-signing key (used from the next start).")

    @OptionGroup var storage: StorageOptions

    @Flag(help: "Rotate the data-encryption key only.")
    var dataKeyOnly = false

    func run() async throws {
        let keys = storage.configuration.effectiveKeysDirectory
        let id = try DataKeyring.rotate(keyDirectory: keys)
        print("new data key \(id): new content is encrypted under it from the next start; run `carnet keys rewrap` to move older content")
        if !dataKeyOnly {
            try await TokenAuthority.rotate(keyDirectory: keys)
            print("new token-signing key; the previous one keeps verifying the tokens it signed for \(Int(TokenAuthority.retiredKeyOverlap / 86_400)) days")
        }
    }
}

/// `carnet keys rewrap`: re-encrypts content held under older data keys with the current one;
/// resumable, and reading works throughout (the server may run).
struct RewrapContent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rewrap", abstract: "Re-encrypt older content under the current data key.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        guard storage.configuration.effectiveContentStore == .files else {
            throw ValidationError("rewrap moves the content files under --data; content kept in the database stays under the key it was written with (still readable)")
        }
        let blobs = try FileBlobStore(directory: storage.dataDirectory, keyring: try DataKeyring.loadOrCreate(keyDirectory: storage.configuration.effectiveKeysDirectory))
        let report = try blobs.rewrap { report in
            FileHandle.standardError.write(Data("rewrap: \(report.rewrapped) contents re-encrypted\n".utf8))
        }
        print("\(report.rewrapped) contents re-encrypted under the current key, \(report.alreadyCurrent) already under it")
    }
}
