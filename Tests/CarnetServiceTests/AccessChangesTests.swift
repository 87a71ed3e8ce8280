import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Several access changes asked together (the portal's settings form) are one change: one version of
/// the controls and one audit event naming each, or nothing at all when one of them is refused.
@Suite("Access controls: several changes as one")
struct AccessChangesTests {
    @Test("two changes: one new version, one audit event naming both", arguments: TestEngine.available)
    func twoChangesOneVersion(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, _ in
            let holder = Actor.patient(.fixture())
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            let before = try await service.accessControls(of: record.id, by: holder).controls

            let (after, event) = try await SummaryAuditTests.event(store) {
                try await service.changeAccess(of: record.id, [.hideDocumentsFromProfessionals(true), .notifyNewDocuments(true)], by: holder)
            }
            #expect(after.documentsHiddenFromProfessionals && after.notifyNewDocuments == true)
            #expect(after.version == before.version + 1)
            #expect(event.action == .manageAccess && event.outcome == .success && event.recordID == record.id)
            #expect(event.detail == "documents hidden from professionals; notify new documents", "\(event.detail ?? "")")

            let stored = try await service.accessControls(of: record.id, by: holder).controls
            #expect(stored.version == before.version + 1 && stored.documentsHiddenFromProfessionals && stored.notifyNewDocuments == true)
        }
    }

    @Test("a change that cannot be made with a valid one: nothing applied, the controls as they were", arguments: TestEngine.available)
    func allOrNone(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, _ in
            let holder = Actor.patient(.fixture())
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            let before = try await service.accessControls(of: record.id, by: holder).controls
            let notBlocked = try RPPS("99700000011")

            let (_, events) = try await SummaryAuditTests.newEvents(store) {
                await #expect(throws: AccessChangeError.notBlocked(notBlocked)) {
                    try await service.changeAccess(of: record.id, [.hideDocumentsFromProfessionals(true), .unblock(notBlocked)], by: holder)
                }
            }
            #expect(!events.contains { $0.action == .manageAccess && $0.outcome == .success }, "\(events)")

            let after = try await service.accessControls(of: record.id, by: holder).controls
            #expect(after == before)
            #expect(!after.documentsHiddenFromProfessionals && after.version == before.version)
        }
    }

    @Test("one change is the list of one: its own summary as the event's detail", arguments: TestEngine.available)
    func oneChange(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, _ in
            let holder = Actor.patient(.fixture())
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            let (_, event) = try await SummaryAuditTests.event(store) {
                try await service.changeAccess(of: record.id, .allowFeeding(false), by: holder)
            }
            #expect(event.action == .manageAccess && event.detail == "feeding opposed")
        }
    }
}
