import CarnetCore
@testable import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Issue 15: the insurer's feed jobs live in the store and run under ServiceLifecycle, so a restart no
/// longer forgets a job id, and a feed accepted just before a node stopped is imported when it starts again.
@Suite("Import jobs across a restart")
struct ImportJobRestartTests {
    @Test("a job accepted by a node that then stopped is resumed at its next start and answers by its id", arguments: TestEngine.available)
    func resumedAfterRestart(_ engine: TestEngine) async throws {
        try await engine.withDatabaseURL { databaseURL async throws in
            try await TemporaryDirectory.with { directory async throws in
                let configuration = CarnetConfiguration.testing(dataDirectory: directory, databaseURL: databaseURL)
                var logger = Logger(label: "carnet.tests")
                logger.logLevel = .warning
                let insurer = Actor(role: .insurer(id: "assurance-maladie"))

                // First life: the feed is spooled and its job queued, and the node stops before running it.
                let id = "3f0c1a52-7f5e-4d61-9a3e-5b8f0e2d4c11"
                let spool = ClaimImportRoutes.spoolDirectory(configuration)
                try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
                let feed = spool.appendingPathComponent("\(id).ndjson")
                try #"{"claimId": "R1", "ins": "\#(INS.fixture().value)", "serviceDate": "2026-01-02", "code": "YYYY010", "label": "Consultation (synthetic)"}"#
                    .write(to: feed, atomically: true, encoding: .utf8)
                let first = try await StoreOpening.open(configuration, logger: logger)
                let service = RecordService(store: first, blobs: try StoreOpening.openBlobs(configuration, store: first), matrix: try HabilitationMatrix.bundled())
                #expect(try await service.queueImport(id: id, spooledAt: feed, format: .ndjson, by: insurer).state == .queued)
                await first.shutdown()

                // Second life: the application resumes the job; its owner follows it by the same id.
                let store = try await StoreOpening.open(configuration, logger: logger)
                let authority = try await TokenAuthority.loadOrCreate(in: directory)
                let app = try buildApplication(configuration, store: store, blobs: try StoreOpening.openBlobs(configuration, store: store), tokens: authority,
                                               matrix: try HabilitationMatrix.bundled(), logger: logger)
                try await app.test(.router) { client in
                    let tokens = Tokens(authority: authority)
                    let report = try await client.execute(uri: "/fhir/$import-claims/\(id)", method: .get,
                                                          headers: try await tokens.bearer(insurer) + [.prefer: "wait=30"])
                    #expect(report.status == .ok, "\(report.text)")
                    let imported = (report.json["parameter"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "imported" }
                    #expect(imported?["valueInteger"] as? Int == 1, "\(report.text)")
                    #expect(!FileManager.default.fileExists(atPath: feed.path), "the spooled feed is removed once imported")
                    let stranger = try await client.execute(uri: "/fhir/$import-claims/\(id)", method: .get,
                                                            headers: try await tokens.bearer(Actor(role: .insurer(id: "other"))))
                    #expect(stranger.status == .notFound)
                    let claims = try await store.claims(ins: .fixture(), from: try PartialDate("2000-01-01"))
                    #expect(claims.map(\.id) == ["R1"])
                }
            }
        }
    }
}
