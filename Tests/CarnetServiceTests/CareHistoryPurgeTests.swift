import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The 24-month purge through the one door: only claims for care before the window leave, whoever's
/// they are; the purge and any refused one are in the audit trail.
@Suite("Care history purge")
struct CareHistoryPurgeTests {
    /// A service over a fresh store of `engine`, its clock pinned to `testInstant` (2026-11-18 in Paris).
    static func withService(_ engine: TestEngine, _ body: (RecordService, any RecordStore) async throws -> Void) async throws {
        try await CarnetServiceTests.withService(engine) { service, store, _ in try await body(service, store) }
    }

    static func claim(_ id: String, _ day: String, ins: INS = .fixture()) throws -> Claim {
        Claim(id: id, ins: ins, serviceDate: try PartialDate(day), code: Code(system: "https://www.ameli.fr/ngap", code: "C"),
              label: "Consultation (synthetic)")
    }

    /// Every claim of `ins`, however old.
    static func allClaims(_ store: any RecordStore, _ ins: INS = .fixture()) async throws -> Set<String> {
        Set(try await store.claims(ins: ins, from: try PartialDate("1900-01-01")).map(\.id))
    }

    static func purgeEvents(_ store: any RecordStore) async throws -> [AuditEvent] {
        try await store.chainedAuditEvents(after: nil, limit: 10_000).map(\.event).filter { $0.action == .purgeCareHistory }
    }

    @Test("claims for care before the 24-month window leave, the window's first day stays; the purge is audited",
          arguments: TestEngine.available)
    func purgesOnlyOld(_ engine: TestEngine) async throws {
        try await Self.withService(engine) { service, store in
            let claims = [try Self.claim("ancient", "2021-03-01"), try Self.claim("day-before", "2024-11-17"),
                          try Self.claim("first-day", "2024-11-18"), try Self.claim("recent", "2026-11-01"),
                          try Self.claim("theirs-old", "2023-05-05", ins: .fixture(2)), try Self.claim("theirs-new", "2025-05-05", ins: .fixture(2))]
            _ = try await store.addClaims(claims, checkpoint: ClaimImportCheckpoint(source: "test", linesDone: 6, imported: 0, duplicates: 0, rejected: 0))
            let feed = Actor(role: .insurer(id: "purge:test"))

            #expect(try await service.purgeCareHistory(by: feed) == 3)
            #expect(try await Self.allClaims(store) == ["first-day", "recent"])
            #expect(try await Self.allClaims(store, .fixture(2)) == ["theirs-new"])
            let events = try await Self.purgeEvents(store)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.outcome == .success && event.actorKind == .insurer && event.actorID == "purge:test" && event.recordID == nil)
            #expect(event.detail?.hasPrefix("3 claims") == true && event.detail?.contains("2024-11-18") == true, "\(event.detail ?? "")")
            #expect(event.recordedAt == testInstant)

            // Again: nothing left to remove, and that run is in the trail too.
            #expect(try await service.purgeCareHistory(by: feed) == 0)
            #expect(try await Self.purgeEvents(store).count == 2)
            #expect(try await Self.allClaims(store) == ["first-day", "recent"])
        }
    }

    @Test("only the insurer's side purges: anyone else is refused, audited, and nothing leaves", arguments: TestEngine.available)
    func othersRefused(_ engine: TestEngine) async throws {
        try await Self.withService(engine) { service, store in
            _ = try await store.addClaims([try Self.claim("ancient", "2021-03-01")],
                                          checkpoint: ClaimImportCheckpoint(source: "test", linesDone: 1, imported: 0, duplicates: 0, rejected: 0))
            for actor in [Actor.doctor(), .patient(.fixture()), .agent, .regulator()] {
                await #expect(throws: AccessError.denied(.roleNotAllowed)) { try await service.purgeCareHistory(by: actor) }
            }
            #expect(try await Self.allClaims(store) == ["ancient"])
            let events = try await Self.purgeEvents(store)
            #expect(events.count == 4 && events.allSatisfy { $0.outcome == .denied && $0.rule == .roleNotAllowed }, "\(events)")
            #expect(Set(events.map(\.actorKind)) == [.professional, .patient, .agent, .regulator])
        }
    }
}
