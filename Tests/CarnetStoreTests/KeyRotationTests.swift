import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Data-key rotation: new content under the new key, old content readable throughout, `rewrap`
/// moving it resumably — and a server that loaded its keys before the rotation still reads it all.
@Suite("Data key rotation")
struct KeyRotationTests {
    @Test("rotate, write, rewrap: everything stays readable, by old and new stores alike")
    func rotateAndRewrap() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let before = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            let old = try await before.put(Data("contenu ancien (synthétique)".utf8))
            let oldKey = old.reference.keyID

            let newKey = try DataKeyring.rotate(in: directory)
            let keyring = try DataKeyring.loadOrCreate(in: directory)
            #expect(keyring.currentID == newKey && newKey != oldKey)
            let after = try FileBlobStore(directory: directory, keyring: keyring)
            let new = try await after.put(Data("contenu nouveau (synthétique)".utf8))
            #expect(new.reference.keyID == newKey)
            #expect(try await after.get(old.reference) == Data("contenu ancien (synthétique)".utf8))

            let report = try after.rewrap()
            #expect(report.rewrapped == 1 && report.alreadyCurrent == 1)
            let names = try FileManager.default.subpathsOfDirectory(atPath: directory.appendingPathComponent("blobs").path)
            #expect(!names.contains { $0.hasSuffix(".\(oldKey)") }, "no content is left under the old key")
            // Rows still name the old key: reading finds the content under the new one.
            #expect(try await after.get(old.reference) == Data("contenu ancien (synthétique)".utf8))
            // A store whose keyring predates the new key (a running server) reads it too.
            #expect(try await before.get(old.reference) == Data("contenu ancien (synthétique)".utf8))
            #expect(try await before.get(new.reference) == Data("contenu nouveau (synthétique)".utf8))
            #expect(try after.rewrap() == FileBlobStore.RewrapReport(rewrapped: 0, alreadyCurrent: 2), "a second run has nothing to do")
        }
    }

    @Test("an interrupted rewrap (new file written, old one not yet removed) resumes cleanly")
    func interrupted() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let first = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            let stored = try await first.put(Data("à rechiffrer (synthétique)".utf8))
            _ = try DataKeyring.rotate(in: directory)
            let second = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            // The state a crash between the two steps leaves: the content under both keys.
            _ = try await second.put(Data("à rechiffrer (synthétique)".utf8))
            #expect(try second.rewrap().rewrapped == 1)
            #expect(try await second.get(stored.reference) == Data("à rechiffrer (synthétique)".utf8))
        }
    }
}
