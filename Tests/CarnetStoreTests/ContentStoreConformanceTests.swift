import CarnetCore
import CarnetPostgres
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// What every content store promises (issue 17: the database one lets every node reach content): bytes
/// read back identical under the record they were stored for, addressed by their SHA-256; storing twice
/// is idempotent; content spanning many chunks streams back whole; another record does not reach them;
/// content changed at rest is refused, never served.
@Suite("Content store conformance")
struct ContentStoreConformanceTests {
    enum Kind: String, CaseIterable, Sendable {
        case files, database
    }

    static var kinds: [Kind] { TestEngine.available.contains(.postgres) ? [.files, .database] : [.files] }

    /// A content store of `kind` (the database one over a fresh PostgreSQL database), and where its
    /// database is, to tamper with what it stored (`nil` for files).
    func withContent(_ kind: Kind, _ body: (any BlobStore, DatabaseLocation?) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory async throws in
            let keyring = try DataKeyring.loadOrCreate(in: directory)
            switch kind {
            case .files:
                try await body(try FileBlobStore(directory: directory, keyring: keyring), nil)
            case .database:
                try await TestEngine.postgres.withDatabaseLocation { location async throws in
                    let store = try await location.open()
                    do {
                        let postgres = try #require(store as? PostgresStore)
                        try await body(PostgresBlobStore(store: postgres, keyring: keyring), location)
                    } catch {
                        await store.shutdown()
                        throw error
                    }
                    await store.shutdown()
                }
            }
        }
    }

    @Test("round trip, idempotence, many chunks, per-record reach", arguments: kinds)
    func roundTrip(_ kind: Kind) async throws {
        try await withContent(kind) { blobs, _ async throws in
            let record = RecordID()
            let abc = try await blobs.put(Data("abc".utf8), in: record)
            #expect(abc.reference.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(abc.sha1Base64 == "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
            #expect(try await blobs.get(abc.reference, in: record) == Data("abc".utf8))
            #expect(try await blobs.put(Data("abc".utf8), in: record).reference == abc.reference, "storing twice is idempotent")
            let empty = try await blobs.put(Data(), in: record)
            #expect(try await blobs.get(empty.reference, in: record) == Data())
            // 2.5 MiB of synthetic text: three chunks in the database, streamed back in order.
            let count = 5 * 512 * 1024
            let large = Data((0..<count).map { (index: Int) -> UInt8 in UInt8(ascii: "a") &+ UInt8(index % 26) })
            let stored = try await blobs.put(large, in: record)
            #expect(try await blobs.get(stored.reference, in: record) == large)
            if !blobs.sharesContentAcrossRecords {
                await #expect(throws: BlobError.notFound(abc.reference.sha256)) { try await blobs.get(abc.reference, in: RecordID()) }
            }
            let missing = BlobReference(sha256: String(repeating: "0", count: 64), size: 1, keyID: abc.reference.keyID)
            await #expect(throws: BlobError.self) { try await blobs.get(missing, in: record) }
            let wrongSize = BlobReference(sha256: abc.reference.sha256, size: 4, keyID: abc.reference.keyID)
            await #expect(throws: BlobError.integrity(abc.reference.sha256)) { try await blobs.get(wrongSize, in: record) }
            await #expect(throws: BlobError.badReference("../../keys/x")) {
                try await blobs.get(BlobReference(sha256: "../../keys/x", size: 1, keyID: abc.reference.keyID), in: record)
            }
        }
    }

    @Test("content changed at rest, or chunks swapped, is refused")
    func tampering() async throws {
        guard Self.kinds.contains(.database) else { return }
        try await withContent(.database) { blobs, location async throws in
            let database = try #require(location)
            let record = RecordID()
            let count = 3 * 1024 * 1024 / 2
            let large = Data((0..<count).map { (index: Int) -> UInt8 in UInt8(index % 251) })
            let reference = try await blobs.put(large, in: record).reference
            // A chunk put in another's place (sealed for its own place) does not open.
            try await database.execute("""
                UPDATE document_content SET data = (SELECT data FROM document_content WHERE record_id = '\(record)' AND chunk = 0)
                WHERE record_id = '\(record)' AND chunk = 1
                """)
            await #expect(throws: BlobError.integrity(reference.sha256)) { try await blobs.get(reference, in: record) }
            // One byte changed at rest does not either.
            let other = RecordID()
            let second = try await blobs.put(large, in: other).reference
            #expect(try await blobs.get(second, in: other) == large)
            try await database.execute("UPDATE document_content SET data = overlay(data placing '\\x00'::bytea from 20 for 1) WHERE record_id = '\(other)'")
            await #expect(throws: BlobError.integrity(second.sha256)) { try await blobs.get(second, in: other) }
        }
    }
}
