public import CarnetCore
import Crypto
public import Foundation

/// Content on the local file system: one encrypted file per distinct content, under
/// `blobs/<first two hex digits>/<sha256>`.
///
/// Each file is AES-256-GCM ciphertext of the content, with the SHA-256 as authenticated data, so a
/// file moved under another name fails to decrypt. Writes go to a temporary file renamed into place,
/// and `put` returns only once the file and its name are on disk: concurrent puts share one flush of
/// the volume (``GroupSync``). A power loss can still leave a renamed file empty or short if its flush
/// never ran — its `put` never returned, so nothing refers to it — and a later `put` of the same
/// content writes it again.
///
/// A `put` always seals and writes its file, even when the same content is stored already, and only
/// then keeps the existing file (when it is whole) or renames the new one into place: content known to
/// the store must not be told apart from new content by how fast it is accepted (a pusher could
/// otherwise learn that a record holds a document with these exact bytes). An existing file is never
/// replaced by one not yet flushed, so content already acknowledged cannot be lost to a power cut.
public struct FileBlobStore: BlobStore {
    private let root: URL
    private let keyring: DataKeyring
    /// Flushes the blob volume for concurrent puts at once; `nil` where `syncfs` is missing, and each
    /// file and directory is then flushed on its own.
    private let volumeSync: GroupSync?

    /// File format: magic + version, then the sealed box (nonce, ciphertext, tag).
    private static let magic = Data("CBL1".utf8)

    public init(directory: URL, keyring: DataKeyring) throws {
        root = directory.appendingPathComponent("blobs")
        self.keyring = keyring
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        volumeSync = FileSystemSync.isAvailable ? GroupSync { [root] in try FileSystemSync.flush(volumeOf: root) } : nil
    }

    public func address(of content: Data) -> String {
        Hex.lowercase(SHA256.hash(data: content))
    }

    /// Content is addressed by its hash alone here: one file serves every record that holds these bytes.
    public var sharesContentAcrossRecords: Bool { true }

    public func put(_ content: Data, in record: RecordID) async throws -> StoredBlob {
        let hash = Hex.lowercase(SHA256.hash(data: content))
        let reference = BlobReference(sha256: hash, size: content.count, keyID: keyring.currentID)
        let stored = StoredBlob(reference: reference, sha1Base64: Data(Insecure.SHA1.hash(data: content)).base64EncodedString())
        let file = path(for: hash, keyID: reference.keyID)
        let sealed = try AES.GCM.seal(content, using: keyring.current, authenticating: Data((hash + reference.keyID).utf8))
        guard let combined = sealed.combined else { throw BlobError.integrity(hash) }
        let data = Self.magic + combined
        let flushesEachFile = volumeSync == nil
        try await offBlockingPool { try Self.writeAtomically(data, to: file, flushing: flushesEachFile, keepingWhole: true) }
        try await volumeSync?.sync()
        return stored
    }

    /// The content, from the file under the key the reference names or, once `rewrap` moved it,
    /// under whichever key holds it now: the reference's key id records the key at write time.
    ///
    /// What comes back is what was sealed for this hash: AES-GCM's tag authenticates every byte and the
    /// hash and key id the file is named by (the seal's associated data, from `put`, which hashed the
    /// content itself), so a damaged, truncated or swapped file fails to open. The content is not hashed
    /// again on each read: that re-check a quarter of a 20 KB retrieve's instructions (issue 20) for
    /// nothing the tag does not already prove; its size is still checked against the reference.
    public func get(_ reference: BlobReference, in record: RecordID) async throws -> Data {
        guard reference.sha256.count == 64, reference.sha256.allSatisfy(\.isHexDigit) else { throw BlobError.badReference(reference.sha256) }
        var keyID = reference.keyID
        var stored = FileManager.default.contents(atPath: path(for: reference.sha256, keyID: keyID).path)
        for other in stored == nil ? storedKeyIDs(of: reference.sha256) : [] where stored == nil {
            keyID = other
            stored = FileManager.default.contents(atPath: path(for: reference.sha256, keyID: keyID).path)
        }
        guard let stored else { throw BlobError.notFound(reference.sha256) }
        let content = try decrypt(stored, hash: reference.sha256, keyID: keyID)
        guard content.count == reference.size else { throw BlobError.integrity(reference.sha256) }
        return content
    }

    private func decrypt(_ stored: Data, hash: String, keyID: String) throws -> Data {
        let key = try keyring.key(keyID)
        guard stored.starts(with: Self.magic) else { throw BlobError.integrity(hash) }
        do {
            let box = try AES.GCM.SealedBox(combined: stored.dropFirst(Self.magic.count))
            return try AES.GCM.open(box, using: key, authenticating: Data((hash + keyID).utf8))
        } catch {
            throw BlobError.integrity(hash)
        }
    }

    /// The keys a content's files are under.
    private func storedKeyIDs(of hash: String) -> [String] {
        let directory = root.appendingPathComponent(String(hash.prefix(2)))
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasPrefix(hash + ".") }.map { String($0.dropFirst(hash.count + 1)) }.sorted()
    }

    /// What `rewrap` did.
    public struct RewrapReport: Sendable, Equatable {
        public var rewrapped: Int
        public var alreadyCurrent: Int

        public init(rewrapped: Int = 0, alreadyCurrent: Int = 0) {
            self.rewrapped = rewrapped
            self.alreadyCurrent = alreadyCurrent
        }
    }

    /// Re-encrypts every content held under an older key with the current one: the new file is
    /// written (synced, renamed into place) before the old one is removed, so reading works
    /// throughout and an interrupted run resumes where it stopped.
    public func rewrap(progress: (RewrapReport) -> Void = { _ in }) throws -> RewrapReport {
        var report = RewrapReport()
        let files = FileManager.default
        for prefix in try files.contentsOfDirectory(atPath: root.path).sorted() where prefix.count == 2 {
            let directory = root.appendingPathComponent(prefix)
            for name in try files.contentsOfDirectory(atPath: directory.path).sorted() where !name.hasPrefix(".") {
                let parts = name.split(separator: ".", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let (hash, keyID) = (String(parts[0]), String(parts[1]))
                guard keyID != keyring.currentID else {
                    report.alreadyCurrent += 1
                    continue
                }
                let target = path(for: hash, keyID: keyring.currentID)
                if !files.fileExists(atPath: target.path) {
                    guard let stored = files.contents(atPath: directory.appendingPathComponent(name).path) else { continue }
                    let content = try decrypt(stored, hash: hash, keyID: keyID)
                    guard Hex.lowercase(SHA256.hash(data: content)) == hash else { throw BlobError.integrity(hash) }
                    let sealed = try AES.GCM.seal(content, using: keyring.current, authenticating: Data((hash + keyring.currentID).utf8))
                    guard let combined = sealed.combined else { throw BlobError.integrity(hash) }
                    try Self.writeAtomically(Self.magic + combined, to: target)
                }
                try files.removeItem(at: directory.appendingPathComponent(name))
                report.rewrapped += 1
                if report.rewrapped % 1_000 == 0 { progress(report) }
            }
        }
        progress(report)
        return report
    }

    /// The file of a blob; the key id is part of the name so one content stored under two keys (after a
    /// rotation) keeps both files valid.
    private func path(for hash: String, keyID: String) -> URL {
        root.appendingPathComponent(String(hash.prefix(2))).appendingPathComponent("\(hash).\(keyID)")
    }

    /// Writes `data` under a temporary name and renames it into place; with `flushing`, the file and
    /// the rename are each flushed to disk before returning (else the caller flushes the volume).
    /// - Parameter keepingWhole: keep an existing file that looks whole (its size and header) and drop
    ///   the new one, after writing it all the same; a damaged one is replaced.
    private static func writeAtomically(_ data: Data, to file: URL, flushing: Bool = true, keepingWhole: Bool = false) throws {
        let directory = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = directory.appendingPathComponent(".\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            if flushing { try handle.synchronize() }
            try handle.close()
            if keepingWhole && looksWhole(file, size: data.count) {
                try FileManager.default.removeItem(at: temporary)
                return
            }
            if rename(temporary.path, file.path) != 0 { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
            if flushing { try syncDirectory(directory) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Whether a stored file has the size its content seals to and begins with the format's magic: a
    /// file a power loss left empty, short or zeroed does not. (`get` checks the content itself.)
    private static func looksWhole(_ file: URL, size: Int) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return false }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end == UInt64(size) else { return false }
        guard (try? handle.seek(toOffset: 0)) != nil, let header = try? handle.read(upToCount: magic.count) else { return false }
        return header == magic
    }

    /// Makes the rename itself durable.
    private static func syncDirectory(_ directory: URL) throws {
        let descriptor = open(directory.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = fsync(descriptor)
    }

}
