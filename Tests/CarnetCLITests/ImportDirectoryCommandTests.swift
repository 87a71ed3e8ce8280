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

/// `carnet import directory` through the command line, on both engines, with the synthetic sample the
/// demo loads (issue 16): twice as once, a bad line to the rejects file, the load audited.
@Suite("carnet import directory")
struct ImportDirectoryCommandTests {
    @Test("imports the synthetic extract, twice as once; a bad line goes to FILE.rejects", arguments: TestEngine.available)
    func importTwice(_ engine: TestEngine) async throws {
        try await engine.withDatabaseURL { databaseURL async throws in
            try await TemporaryDirectory.with { directory async throws in
                let sample = try #require(DemoDirectory.sampleURL)
                let file = directory.appendingPathComponent("PS_LibreAcces_Personne_activite_test.txt")
                let text = try String(contentsOf: sample, encoding: .utf8) + "8|123|\n"
                try text.write(to: file, atomically: true, encoding: .utf8)
                let storage = databaseURL.map { ["--database", $0] } ?? ["--data", directory.path]
                for _ in 0..<2 {
                    let command = try #require(try Carnet.parseAsRoot(["import", "directory", file.path] + storage) as? ImportDirectory)
                    try await command.run()
                }
                let rejects = try String(contentsOf: file.appendingPathExtension("rejects"), encoding: .utf8)
                #expect(rejects.hasPrefix("line 15: "), "\(rejects)")
                let configuration = CarnetConfiguration(dataDirectory: directory, databaseURL: databaseURL)
                let store = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
                let found = try await store.directoryEntries(rpps: [try RPPS("99700000011"), try RPPS("99700000015")])
                #expect(Set(found.map(\.lastName)) == ["LEMOINE", "FAURE"])
                let loads = try await store.chainedAuditEvents(after: nil, limit: 1_000).map(\.event).filter { $0.action == .importDirectory }
                #expect(loads.count == 2 && loads.allSatisfy { $0.outcome == .success && $0.actorKind == .insurer })
                await store.shutdown()
            }
        }
    }
}
