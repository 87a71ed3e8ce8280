import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Document content at rest: content-addressed, encrypted, checked on every read.
@Suite("File blob store")
struct FileBlobStoreTests {
    func withBlobs(_ body: (FileBlobStore, URL) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory async throws in
            let store = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            try await body(store, directory)
        }
    }

    /// Every blob file under the store, to inspect what is on disk.
    func blobFiles(_ directory: URL) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: directory.appendingPathComponent("blobs"), includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath && !$0.lastPathComponent.hasPrefix(".") }
    }

    static let report = Data("Compte rendu de consultation — patient fictif, synthetic test content.".utf8)

    @Test("content reads back identical, addressed by its SHA-256")
    func roundTrip() async throws {
        try await withBlobs { store, _ async throws in
            // FIPS 180-2 test vector: SHA-256("abc").
            let abc = try await store.put(Data("abc".utf8))
            #expect(abc.reference.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d, base64 as FHIR's attachment.hash.
            #expect(abc.sha1Base64 == "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
            let reference = try await store.put(Self.report).reference
            #expect(reference.size == Self.report.count)
            #expect(try await store.get(reference) == Self.report)
            #expect(try await store.put(Self.report).reference == reference)
            let empty = try await store.put(Data()).reference
            #expect(try await store.get(empty) == Data())
        }
    }

    @Test("files on disk are not readable plaintext, and are private")
    func encryptedAtRest() async throws {
        try await withBlobs { store, directory async throws in
            _ = try await store.put(Self.report)
            let files = try blobFiles(directory)
            #expect(files.count == 1)
            let bytes = try Data(contentsOf: files[0])
            #expect(bytes.range(of: Data("patient fictif".utf8)) == nil)
            #expect(bytes.range(of: Data("Compte rendu".utf8)) == nil)
            let mode = try FileManager.default.attributesOfItem(atPath: files[0].path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test("a damaged file is reported, never served")
    func tamperedContent() async throws {
        try await withBlobs { store, directory async throws in
            let reference = try await store.put(Self.report).reference
            let file = try #require(try blobFiles(directory).first)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count - 20] ^= 0x01
            try bytes.write(to: file)
            await #expect(throws: BlobError.integrity(reference.sha256)) { try await store.get(reference) }
        }
    }

    @Test("storing content again repairs its file when a power loss left it empty or damaged, and keeps an intact one")
    func repairsOnPut() async throws {
        try await withBlobs { store, directory async throws in
            let reference = try await store.put(Self.report).reference
            let file = try #require(try blobFiles(directory).first)
            let intact = try Data(contentsOf: file)
            #expect(try await store.put(Self.report).reference == reference)
            #expect(try Data(contentsOf: file) == intact, "an intact file is reused, not written again")
            for leftover in [Data(), intact.prefix(intact.count / 2), Data(repeating: 0, count: intact.count)] {
                try leftover.write(to: file)
                await #expect(throws: BlobError.integrity(reference.sha256)) { try await store.get(reference) }
                #expect(try await store.put(Self.report).reference == reference)
                #expect(try await store.get(reference) == Self.report)
            }
        }
    }

    @Test("concurrent puts of distinct and identical content all read back")
    func concurrentPuts() async throws {
        try await withBlobs { store, _ async throws in
            let contents = (0..<40).map { Data("synthetic content \($0 % 30)".utf8) }
            let references = try await withThrowingTaskGroup(of: (Int, BlobReference).self) { group in
                for (index, content) in contents.enumerated() {
                    group.addTask { (index, try await store.put(content).reference) }
                }
                return try await group.reduce(into: [Int: BlobReference]()) { $0[$1.0] = $1.1 }
            }
            for (index, content) in contents.enumerated() {
                #expect(try await store.get(try #require(references[index])) == content)
            }
        }
    }

    @Test("a file put under another content's name fails to decrypt")
    func swappedFiles() async throws {
        try await withBlobs { store, directory async throws in
            let first = try await store.put(Data("first".utf8)).reference
            let second = try await store.put(Data("second".utf8)).reference
            let files = try blobFiles(directory)
            let firstFile = try #require(files.first { $0.lastPathComponent.hasPrefix(first.sha256) })
            let secondFile = try #require(files.first { $0.lastPathComponent.hasPrefix(second.sha256) })
            try FileManager.default.removeItem(at: firstFile)
            try FileManager.default.copyItem(at: secondFile, to: firstFile)
            await #expect(throws: BlobError.integrity(first.sha256)) { try await store.get(first) }
        }
    }

    @Test("unknown content, unknown keys and malformed references are refused")
    func refusals() async throws {
        try await withBlobs { store, _ async throws in
            let missing = BlobReference(sha256: String(repeating: "a", count: 64), size: 1, keyID: "data-x")
            await #expect(throws: BlobError.self) { try await store.get(missing) }
            let reference = try await store.put(Self.report).reference
            // A reference's key id is the key at write time: after a rewrap the content is found under the key that holds it now.
            let otherKey = BlobReference(sha256: reference.sha256, size: reference.size, keyID: "data-unknown")
            #expect(try await store.get(otherKey) == Self.report)
            let wrongSize = BlobReference(sha256: reference.sha256, size: reference.size + 1, keyID: reference.keyID)
            await #expect(throws: BlobError.integrity(reference.sha256)) { try await store.get(wrongSize) }
            let traversal = BlobReference(sha256: "../../keys/x", size: 1, keyID: reference.keyID)
            await #expect(throws: BlobError.badReference("../../keys/x")) { try await store.get(traversal) }
        }
    }

    @Test("the data key survives restarts; content stays readable")
    func keyPersists() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let first = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            let reference = try await first.put(Self.report).reference
            let again = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            #expect(try await again.get(reference) == Self.report)
        }
    }
}
