import CarnetCore
@testable import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Logging
import Testing

/// `carnet serve`'s purge timer: it purges at start and again at each interval, through the service
/// (so audited), until it is stopped.
@Suite("Care history purge timer")
struct CareHistoryPurgeServiceTests {
    @Test("purges at start, again after the interval, stops when cancelled", arguments: TestEngine.available)
    func timer(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            try await TemporaryDirectory.with { directory async throws in
                let blobs = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
                let service = RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled())
                let old = try CareHistoryReadTests.claim("old", daysAgo: 800)
                let recent = try CareHistoryReadTests.claim("recent", daysAgo: 30)
                let checkpoint = ClaimImportCheckpoint(source: "test", linesDone: 0, imported: 0, duplicates: 0, rejected: 0)
                _ = try await store.addClaims([old, recent], checkpoint: checkpoint)
                func purges() async throws -> [AuditEvent] {
                    try await store.chainedAuditEvents(after: nil, limit: 10_000).map(\.event).filter { $0.action == .purgeCareHistory }
                }
                func held() async throws -> Set<String> {
                    Set(try await store.claims(ins: .fixture(), from: try PartialDate("1900-01-01")).map(\.id))
                }

                // The interval is the test's to end: each pause says a run finished, then waits for the next step.
                let (finished, runFinished) = AsyncStream<Void>.makeStream()
                let (steps, nextStep) = AsyncStream<Void>.makeStream()
                let timer = Task {
                    try await CareHistoryPurgeService(service: service, logger: Logger(label: "test")) {
                        runFinished.yield()
                        for await _ in steps { break }
                    }.run()
                }
                var runs = finished.makeAsyncIterator()
                _ = await runs.next()
                #expect(try await held() == ["recent"], "the first purge runs at start")
                // A claim that arrives late (an old one re-sent) leaves at the next run.
                _ = try await store.addClaims([try CareHistoryReadTests.claim("late", daysAgo: 900)], checkpoint: checkpoint)
                nextStep.yield()
                _ = await runs.next()
                #expect(try await held() == ["recent"], "the next run removes it")
                timer.cancel()
                nextStep.finish()
                try await timer.value
                let events = try await purges()
                #expect(events.count >= 2 && events.allSatisfy { $0.outcome == .success && $0.actorID == "purge:carnet-serve" }, "\(events)")
                #expect(events.contains { $0.detail?.hasPrefix("1 claims") == true })
            }
        }
    }
}
