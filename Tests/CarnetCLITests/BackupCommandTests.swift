import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Logging
import Testing
@testable import carnet

/// `carnet backup` under write load and `carnet restore`: the restored store holds a consistent
/// snapshot — every document readable with its hash, every audit chain intact — and a damaged
/// backup restores nothing.
@Suite("carnet backup and restore")
struct BackupCommandTests {
    @Test("a backup taken while documents are written restores to a consistent, readable record set", arguments: TestEngine.available)
    func backupUnderLoad(_ engine: TestEngine) async throws {
        try await engine.withDatabaseURL { sourceURL async throws in
            try await engine.withDatabaseURL { targetURL async throws in
                try await backupUnderLoad(sourceURL: sourceURL, targetURL: targetURL)
            }
        }
    }

    func backupUnderLoad(sourceURL: String?, targetURL: String?) async throws {
        try await TemporaryDirectory.with { directory async throws in
            let data = directory.appendingPathComponent("data")
            let configuration = CarnetConfiguration(dataDirectory: data, databaseURL: sourceURL)
            let database = { (url: String?) in url.map { ["--database", $0] } ?? [] }
            let store = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
            let service = RecordService(store: store, blobs: try StoreOpening.openBlobs(configuration, store: store), matrix: try HabilitationMatrix.bundled())
            let doctor = Actor.doctor()
            var created: [HealthRecord] = []
            for seed in 1...3 {
                created.append(try await service.createRecord(ins: .fixture(seed), identity: .fixture(), by: doctor).record)
            }
            let records = created
            @Sendable func publish(_ index: Int) async throws {
                let draft = DocumentDraft(uniqueID: "urn:oid:1.2.250.1.999.5.\(index)", type: Code(system: "http://loinc.org", code: "11488-4"),
                                          title: "Synthetic \(index)", contentType: "text/plain", language: "fr-FR")
                _ = try await service.publishDocument(draft, content: Data("Synthetic report \(index)".utf8), for: .record(records[index % 3].id), by: doctor)
            }
            for index in 0..<15 { try await publish(index) }
            let writer = Task {
                var index = 15
                while !Task.isCancelled {
                    try await publish(index)
                    index += 1
                }
                return index
            }
            let backup = directory.appendingPathComponent("backup")
            let command = try #require(try Carnet.parseAsRoot(["backup", backup.path, "--data", data.path] + database(sourceURL)) as? Backup)
            try await command.run()
            writer.cancel()
            _ = await writer.result
            await store.shutdown()

            let restored = directory.appendingPathComponent("restored")
            let restore = try #require(try Carnet.parseAsRoot(["restore", backup.path, "--data", restored.path] + database(targetURL)) as? Restore)
            try await restore.run()
            let restoredConfiguration = CarnetConfiguration(dataDirectory: restored, databaseURL: targetURL)
            let copy = try await StoreOpening.open(restoredConfiguration, logger: Logger(label: "test"))
            let blobs = try StoreOpening.openBlobs(restoredConfiguration, store: copy)
            let source = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
            var count = 0
            for record in records {
                let documents = try await copy.documents(recordID: record.id)
                let original = Set(try await source.documents(recordID: record.id).map(\.id))
                #expect(Set(documents.map(\.id)).isSubset(of: original))
                for document in documents {
                    let content = try await blobs.get(BlobReference(sha256: document.content.sha256, size: document.content.size, keyID: document.content.keyID), in: record.id)
                    #expect(String(decoding: content, as: UTF8.self).hasPrefix("Synthetic report"))
                }
                count += documents.count
            }
            #expect(count >= 15, "everything written before the backup began is in it")
            #expect(try await AuditChainVerifier.verify(copy).isIntact)
            await copy.shutdown()
            await source.shutdown()

            // Into a data directory that is not empty: refused.
            await #expect(throws: DataBackup.BackupError.self) {
                try await DataBackup.restore(from: backup, into: restoredConfiguration)
            }
            // A damaged backup restores nothing.
            let manifest = try DataBackup.verify(backup)
            // With PostgreSQL the content is in the database, so in its dump; with SQLite, in blobs/.
            let blob = try #require(manifest.files.first { $0.path.hasPrefix("blobs/") || $0.path == "database.dump" })
            let blobFile = backup.appendingPathComponent(blob.path)
            var bytes = try Data(contentsOf: blobFile)
            bytes[bytes.startIndex] ^= 0xFF
            try bytes.write(to: blobFile)
            let elsewhere = directory.appendingPathComponent("elsewhere")
            await #expect(throws: DataBackup.BackupError.self) {
                try await DataBackup.restore(from: backup, into: CarnetConfiguration(dataDirectory: elsewhere, databaseURL: targetURL))
            }
            #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("carnet.sqlite").path))
            // A backup never overwrites.
            #expect(throws: (any Error).self) { try Carnet.parseAsRoot(["backup"]) }
            await #expect(throws: DataBackup.BackupError.self) { _ = try await DataBackup.backup(configuration, to: backup) }
        }
    }
}
