import Crypto
public import Foundation
import CarnetJSON

/// The AES-256 data keys that encrypt content at rest, kept in the data directory (`keys/data-*.key`,
/// readable by their owner only).
///
/// New content is encrypted under the ``current`` key; older keys stay loadable by id so rotation
/// never makes stored content unreadable. At national scale these keys would come from a KMS; the
/// interface (id → key) stays the same.
public struct DataKeyring: Sendable {
    public let currentID: String
    /// The key that encrypts new content.
    let current: SymmetricKey
    private let keys: [String: SymmetricKey]
    /// Where the keys live, to pick up a key created after this keyring was loaded (a rotation
    /// while the server runs).
    private let keyDirectory: URL?

    /// Loads every data key under `directory/keys`, creating a first one if there is none.
    public static func loadOrCreate(in directory: URL) throws -> DataKeyring {
        try loadOrCreate(keyDirectory: directory.appendingPathComponent("keys"))
    }

    /// Loads every data key in `keyDirectory` (shared by every node of a service), creating a first one if there is none.
    public static func loadOrCreate(keyDirectory: URL) throws -> DataKeyring {
        let manager = FileManager.default
        try manager.createDirectory(at: keyDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var keys = try loadKeys(in: keyDirectory)
        if keys.isEmpty {
            let id = "data-" + String(UUID().lowercasedText.prefix(8))
            let key = SymmetricKey(size: .bits256)
            let file = keyDirectory.appendingPathComponent("\(id).key")
            let bytes = key.withUnsafeBytes { Data($0) }
            guard manager.createFile(atPath: file.path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
            }
            keys = try loadKeys(in: keyDirectory)
        }
        // The newest key (by file modification date, then id) encrypts new content.
        guard let current = keys.max(by: { ($0.value.date, $0.key) < ($1.value.date, $1.key) }) else {
            throw BlobError.unknownKey("none")
        }
        return DataKeyring(currentID: current.key, current: current.value.key, keys: keys.mapValues(\.key), keyDirectory: keyDirectory)
    }

    /// Creates a new data key, which encrypts new content from the next start on; returns its id.
    /// Older keys stay: content under them stays readable, and `rewrap` moves it to the new key.
    public static func rotate(in directory: URL) throws -> String {
        try rotate(keyDirectory: directory.appendingPathComponent("keys"))
    }

    /// ``rotate(in:)`` for keys kept in `keyDirectory`.
    public static func rotate(keyDirectory: URL) throws -> String {
        try FileManager.default.createDirectory(at: keyDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let id = "data-" + String(UUID().lowercasedText.prefix(8))
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let file = keyDirectory.appendingPathComponent("\(id).key")
        guard FileManager.default.createFile(atPath: file.path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        // Newer than every other key, whatever the clock's resolution.
        let newest = try loadKeys(in: keyDirectory).values.map(\.date).max() ?? Date()
        try FileManager.default.setAttributes([.modificationDate: max(newest, Date()).addingTimeInterval(0.001)], ofItemAtPath: file.path)
        return id
    }

    private static func loadKeys(in directory: URL) throws -> [String: (key: SymmetricKey, date: Date)] {
        var keys: [String: (key: SymmetricKey, date: Date)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("data-") && name.hasSuffix(".key") {
            let file = directory.appendingPathComponent(name)
            let bytes = try Data(contentsOf: file)
            guard bytes.count == 32 else { continue }
            let date = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? .distantPast
            keys[String(name.dropLast(".key".count))] = (SymmetricKey(data: bytes), date)
        }
        return keys
    }

    func key(_ id: String) throws(BlobError) -> SymmetricKey {
        if let key = keys[id] { return key }
        // A key made after start-up (a rotation): read it from disk.
        guard id.hasPrefix("data-"), !id.contains("/"), let keyDirectory,
              let bytes = FileManager.default.contents(atPath: keyDirectory.appendingPathComponent("\(id).key").path), bytes.count == 32
        else { throw .unknownKey(id) }
        return SymmetricKey(data: bytes)
    }
}
