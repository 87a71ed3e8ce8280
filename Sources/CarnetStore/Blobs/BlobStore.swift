public import CarnetCore
public import Foundation

/// Where document content lives, apart from its metadata: addressed by the SHA-256 of the plaintext,
/// encrypted at rest (ARCHITECTURE.md, CarnetStore).
///
/// A reference is stored with the document's metadata in the same transaction as the rest of the
/// document; the content itself is written first, so a failed metadata write leaves at worst an
/// unreferenced blob (content-addressed, harmless, collectable), never a document without content.
public protocol BlobStore: Sendable {
    /// Stores `content` for a document of `record` and returns how to find it again, with the SHA-1 FHIR
    /// R4 puts on the wire. Storing the same bytes twice is idempotent. The record lets a store keep a
    /// record's content beside its rows (a database distributed by patient); a store may ignore it.
    func put(_ content: Data, in record: RecordID) async throws -> StoredBlob

    /// The address `put` would store `content` under (its SHA-256, lowercase hex), without storing it:
    /// a submission is decided whole (duplicates, replacements) before anything is written.
    func address(of content: Data) -> String

    /// The exact bytes stored under `reference`, after checking them against the reference's SHA-256.
    ///
    /// - Throws: ``BlobError/integrity(_:)`` when the content does not decrypt or does not match its
    ///   hash: never serve content that is not what was stored.
    func get(_ reference: BlobReference, in record: RecordID) async throws -> Data

    /// Whether content stored for one record can be read for another (content-addressed across
    /// records): the synthetic population shares a pool of contents only where it can.
    var sharesContentAcrossRecords: Bool { get }
}

/// What storing content gave: its reference, and its SHA-1 (base64) for FHIR's `attachment.hash`.
public struct StoredBlob: Hashable, Sendable {
    public let reference: BlobReference
    public let sha1Base64: String

    public init(reference: BlobReference, sha1Base64: String) {
        self.reference = reference
        self.sha1Base64 = sha1Base64
    }
}

/// How to find a blob and check it: the plaintext's SHA-256 (hex), its size, and the key that
/// encrypted it (so data keys can rotate while old blobs stay readable).
public struct BlobReference: Hashable, Sendable, Codable {
    public let sha256: String
    public let size: Int
    public let keyID: String

    public init(sha256: String, size: Int, keyID: String) {
        self.sha256 = sha256
        self.size = size
        self.keyID = keyID
    }
}

/// Content-store failures. ``integrity(_:)`` is the one that must reach an operator: content was changed or
/// damaged at rest.
public enum BlobError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case integrity(String)
    case unknownKey(String)
    case badReference(String)

    public var description: String {
        switch self {
        case .notFound(let hash): "no content stored for SHA-256 \(hash)"
        case .integrity(let hash): "stored content for SHA-256 \(hash) failed its integrity check"
        case .unknownKey(let id): "content is encrypted under data key '\(id)', which this server does not have"
        case .badReference(let detail): "not a valid content reference: \(detail)"
        }
    }
}
