import Crypto
public import Foundation

/// Content on the local file system: one encrypted file per distinct content, under
/// `blobs/<first two hex digits>/<sha256>`.
///
/// Each file is AES-256-GCM ciphertext of the content, with the SHA-256 as authenticated data, so a
/// file moved under another name fails to decrypt. Writes go to a temporary file that is synced and
/// renamed into place, so a crash never leaves a partial blob under a real name.
public struct FileBlobStore: BlobStore {
    private let root: URL
    private let keyring: DataKeyring

    /// File format: magic + version, then the sealed box (nonce, ciphertext, tag).
    private static let magic = Data("CBL1".utf8)

    public init(directory: URL, keyring: DataKeyring) throws {
        root = directory.appendingPathComponent("blobs")
        self.keyring = keyring
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    public func put(_ content: Data) async throws -> StoredBlob {
        let hash = Self.hex(SHA256.hash(data: content))
        let reference = BlobReference(sha256: hash, size: content.count, keyID: keyring.currentID)
        let stored = StoredBlob(reference: reference, sha1Base64: Data(Insecure.SHA1.hash(data: content)).base64EncodedString())
        let file = path(for: hash, keyID: reference.keyID)
        if FileManager.default.fileExists(atPath: file.path) { return stored }
        let sealed = try AES.GCM.seal(content, using: keyring.current, authenticating: Data((hash + reference.keyID).utf8))
        guard let combined = sealed.combined else { throw BlobError.integrity(hash) }
        try Self.writeAtomically(Self.magic + combined, to: file)
        return stored
    }

    public func get(_ reference: BlobReference) async throws -> Data {
        guard reference.sha256.count == 64, reference.sha256.allSatisfy(\.isHexDigit) else { throw BlobError.badReference(reference.sha256) }
        let file = path(for: reference.sha256, keyID: reference.keyID)
        guard let stored = FileManager.default.contents(atPath: file.path) else { throw BlobError.notFound(reference.sha256) }
        let key = try keyring.key(reference.keyID)
        guard stored.starts(with: Self.magic) else { throw BlobError.integrity(reference.sha256) }
        let content: Data
        do {
            let box = try AES.GCM.SealedBox(combined: stored.dropFirst(Self.magic.count))
            content = try AES.GCM.open(box, using: key, authenticating: Data((reference.sha256 + reference.keyID).utf8))
        } catch {
            throw BlobError.integrity(reference.sha256)
        }
        guard Self.hex(SHA256.hash(data: content)) == reference.sha256, content.count == reference.size else {
            throw BlobError.integrity(reference.sha256)
        }
        return content
    }

    /// The file of a blob; the key id is part of the name so one content stored under two keys (after a
    /// rotation) keeps both files valid.
    private func path(for hash: String, keyID: String) -> URL {
        root.appendingPathComponent(String(hash.prefix(2))).appendingPathComponent("\(hash).\(keyID)")
    }

    private static func writeAtomically(_ data: Data, to file: URL) throws {
        let directory = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = directory.appendingPathComponent(".\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, file.path) != 0 { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
            try syncDirectory(directory)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Makes the rename itself durable.
    private static func syncDirectory(_ directory: URL) throws {
        let descriptor = open(directory.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = fsync(descriptor)
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
