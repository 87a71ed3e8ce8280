public import CarnetCore
public import CarnetStore
public import Foundation
import Logging
import PostgresNIO

/// Document content in the PostgreSQL database (`--content-store database`), so that every node of a
/// service reaches it (issue 17): encrypted chunks of at most 1 MiB, keyed by record, content hash, key
/// and chunk number, beside the record's rows (a database distributed by patient keeps a record's
/// content on the record's shard).
///
/// Each chunk is sealed on its own (AES-256-GCM under the data key, the content hash, key id and chunk
/// number as authenticated data: a chunk moved or reordered fails to open) and written as it is sealed,
/// in one transaction, so a document is never in memory twice. Reading opens the chunks in order and
/// checks the whole against its SHA-256 and size. A `put` of content already there does the same work
/// (its rows are kept), so a pusher cannot tell stored content from new content by the time it takes.
/// `pg_dump` (and so `carnet backup`) carries the content with the rest of the database.
public struct PostgresBlobStore: BlobStore {
    let store: PostgresStore
    let keyring: DataKeyring
    /// The largest plaintext a chunk holds.
    static let chunkSize = 1 << 20

    public init(store: PostgresStore, keyring: DataKeyring) {
        self.store = store
        self.keyring = keyring
    }

    /// Content is kept per record: the same bytes in two records are two copies, each on its record's shard.
    public var sharesContentAcrossRecords: Bool { false }

    public func address(of content: Data) -> String {
        ContentDigests.sha256Hex(content)
    }

    public func put(_ content: Data, in record: RecordID) async throws -> StoredBlob {
        let hash = address(of: content)
        let keyID = keyring.currentID
        let stored = StoredBlob(reference: BlobReference(sha256: hash, size: content.count, keyID: keyID),
                                sha1Base64: ContentDigests.sha1Base64(content))
        let logger = store.logger
        try await store.transaction { [self] connection in
            var chunk = 0
            var offset = content.startIndex
            repeat {
                let end = min(offset + Self.chunkSize, content.endIndex)
                let sealed = try keyring.seal(content[offset..<end], authenticating: Self.context(hash, keyID, chunk))
                try await connection.query("""
                    INSERT INTO document_content (record_id, sha256, key_id, chunk, data)
                    VALUES (\(record.rawValue), \(hash), \(keyID), \(chunk), \(ByteBuffer(bytes: sealed)))
                    ON CONFLICT (record_id, sha256, key_id, chunk) DO NOTHING
                    """, logger: logger)
                chunk += 1
                offset = end
            } while offset < content.endIndex
        }
        return stored
    }

    public func get(_ reference: BlobReference, in record: RecordID) async throws -> Data {
        guard reference.sha256.count == 64, reference.sha256.allSatisfy(\.isHexDigit) else { throw BlobError.badReference(reference.sha256) }
        let hash = reference.sha256
        let logger = store.logger
        return try await store.client.withConnection { [self] connection in
            // The key the reference names first; another key's copy (a later re-encryption) otherwise.
            let rows = try await connection.query("""
                SELECT key_id, chunk, data FROM document_content WHERE record_id = \(record.rawValue) AND sha256 = \(hash)
                ORDER BY key_id <> \(reference.keyID), key_id, chunk
                """, logger: logger)
            var content = Data()
            content.reserveCapacity(reference.size)
            var keyID: String?
            var expected = 0
            for try await (rowKey, chunk, data) in rows.decode((String, Int, ByteBuffer).self) {
                if keyID == nil { keyID = rowKey }
                guard rowKey == keyID else { break }
                guard chunk == expected else { throw BlobError.integrity(hash) }
                content.append(try keyring.open(Data(data.readableBytesView), keyID: rowKey, authenticating: Self.context(hash, rowKey, chunk), hash: hash))
                expected += 1
            }
            guard keyID != nil else { throw BlobError.notFound(hash) }
            // Each chunk's seal authenticates its bytes, the content's hash, its key and its place, so the
            // whole is what `put` sealed for this hash once none is missing: not hashed again (FileBlobStore.get).
            guard content.count == reference.size else { throw BlobError.integrity(hash) }
            return content
        }
    }

    /// What a chunk's seal authenticates: the content it belongs to, its key and its place.
    static func context(_ hash: String, _ keyID: String, _ chunk: Int) -> Data {
        Data("\(hash)|\(keyID)|\(chunk)".utf8)
    }
}
