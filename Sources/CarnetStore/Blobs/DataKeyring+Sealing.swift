import Crypto
public import Foundation

/// Sealing content under the data keys, for content stores outside this module (PostgreSQL's): the
/// same AES-256-GCM as the file store, with what the sealed bytes stand for as authenticated data, so
/// sealed bytes moved elsewhere (another content, another chunk, another key) fail to open.
extension DataKeyring {
    /// `plaintext` sealed under the current key: nonce, ciphertext and tag, in one value.
    public func seal(_ plaintext: Data, authenticating context: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: current, authenticating: context).combined else {
            throw BlobError.integrity("sealing failed")
        }
        return combined
    }

    /// The plaintext of bytes sealed under key `keyID` for `context`.
    ///
    /// - Throws: ``BlobError/unknownKey(_:)`` without that key; ``BlobError/integrity(_:)`` (naming
    ///   `hash`) when the bytes do not open: changed or damaged at rest, or moved.
    public func open(_ sealed: Data, keyID: String, authenticating context: Data, hash: String) throws -> Data {
        let key = try key(keyID)
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: key, authenticating: context)
        } catch {
            throw BlobError.integrity(hash)
        }
    }
}

/// The digests every content store gives a content: its address (SHA-256, lowercase hex) and the SHA-1
/// (base64) FHIR R4 puts in `attachment.hash`.
public enum ContentDigests {
    public static func sha256Hex(_ content: Data) -> String { Hex.lowercase(SHA256.hash(data: content)) }

    public static func sha1Base64(_ content: Data) -> String { Data(Insecure.SHA1.hash(data: content)).base64EncodedString() }
}
