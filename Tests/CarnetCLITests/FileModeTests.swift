import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import Logging
import Testing
@testable import carnet

/// Issue 23.17: `carnet.sqlite` was created world-readable (0644) in an existing data directory. Every
/// file holding health data or keys is 0600 and every directory Carnet creates 0700, whatever the
/// process umask (here the test runner's, not the one `carnet` sets at start).
@Suite("File modes")
struct FileModeTests {
    /// The permission bits of `path`; -1 when it cannot be read.
    static func mode(_ path: String) -> Int {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int else { return -1 }
        return mode & 0o777
    }

    /// Every file under `root` is 0600 and every directory 0700.
    static func expectPrivate(_ root: URL) throws {
        let everything = FileManager.default.enumerator(atPath: root.path)?.allObjects.compactMap { $0 as? String } ?? []
        #expect(!everything.isEmpty)
        for relative in everything {
            let full = root.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            #expect(mode(full) == (isDirectory.boolValue ? 0o700 : 0o600), "\(relative): \(String(mode(full), radix: 8))")
        }
    }

    @Test("a store opened as carnet serve opens it, in an existing 0755 directory: database, -wal, -shm, blobs and keys are private")
    func storeFilesArePrivate() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let data = directory.appendingPathComponent("existing")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let configuration = CarnetConfiguration(dataDirectory: data)
            let store = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .agent,
                                                                       action: .createRecord, outcome: .success, rule: nil))
            _ = try await StoreOpening.openBlobs(configuration, store: store).put(Data("Synthetic content".utf8))
            let database = data.appendingPathComponent("carnet.sqlite").path
            for file in [database, database + "-wal", database + "-shm"] {
                #expect(FileManager.default.fileExists(atPath: file), "\(file)")
                #expect(Self.mode(file) == 0o600, "\(file): \(String(Self.mode(file), radix: 8))")
            }
            try Self.expectPrivate(data)
            await store.shutdown()

            // An existing world-readable database is made private when opened again.
            _ = chmod(database, 0o644)
            let again = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
            #expect(Self.mode(database) == 0o600)
            await again.shutdown()
        }
    }

    @Test("carnet migrate in an existing 0755 directory, then carnet backup: every file created is 0600, every directory 0700")
    func commandLine() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let data = directory.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            var migrate = try #require(try Carnet.parseAsRoot(["migrate", "--data", data.path]) as? any AsyncParsableCommand)
            try await migrate.run()
            #expect(Self.mode(data.appendingPathComponent("carnet.sqlite").path) == 0o600)
            let backup = directory.appendingPathComponent("backup")
            let command = try #require(try Carnet.parseAsRoot(["backup", backup.path, "--data", data.path]) as? Backup)
            try await command.run()
            #expect(Self.mode(backup.path) == 0o700)
            try Self.expectPrivate(backup)
        }
    }
}
