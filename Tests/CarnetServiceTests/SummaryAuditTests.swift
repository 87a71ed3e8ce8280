import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The audit trail of the summary and the care history, operation by operation through the one
/// door: which event each writes (action, outcome, actor, resources), refusals included.
@Suite("Audit: structured summary and care history")
struct SummaryAuditTests {
    /// What `body` added to the audit trail (all chains), whatever the order the engine keeps.
    static func newEvents<T>(_ store: any RecordStore, _ body: () async throws -> T) async throws -> (T, [AuditEvent]) {
        let before = Set(try await store.chainedAuditEvents(after: nil, limit: 100_000).map(\.event.id))
        let result = try await body()
        let after = try await store.chainedAuditEvents(after: nil, limit: 100_000).map(\.event)
        return (result, after.filter { !before.contains($0.id) })
    }

    /// The one event `body` wrote; an issue if it wrote none or several.
    static func event<T>(_ store: any RecordStore, _ body: () async throws -> T) async throws -> (T, AuditEvent) {
        let (result, events) = try await newEvents(store, body)
        #expect(events.count == 1, "\(events)")
        return (result, try #require(events.first))
    }

    static func condition(_ record: RecordID, status: String = "active") -> SummaryItem {
        SummaryItem(kind: .condition, recordID: record, status: status, code: Code(system: "http://snomed.info/sct", code: "44054006"), date: nil,
                    resource: Data(#"{"subject": {"reference": "Patient/\#(record)"}}"#.utf8))
    }

    @Test("create, read, search, update, $summary, $everything, delete: one event each, naming the item or the record",
          arguments: TestEngine.available)
    func summaryOperations(_ engine: TestEngine) async throws {
        try await CareHistoryPurgeTests.withService(engine) { service, store in
            let holder = Actor.patient(.fixture())
            let author = Actor.doctor("99700000011")
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            let patient = "Patient/\(record.id)"

            let (entry, created) = try await Self.event(store) { try await service.addSummaryItem(Self.condition(record.id), by: author) }
            let item = "Condition/\(entry.id)"
            #expect(created.action == .writeSummary && created.outcome == .success && created.recordID == record.id)
            #expect(created.actorKind == .professional && created.actorID == "99700000011" && created.profession == "10")
            #expect(created.resources == [item] && created.detail == "created, version 1" && created.rule != nil)

            let (_, read) = try await Self.event(store) { try await service.readSummaryItem(entry.id, as: "Condition", by: holder) }
            #expect(read.action == .readSummary && read.outcome == .success && read.resources == [item])
            #expect(read.actorKind == .patient && read.actorID == Actor.patient(.fixture()).identifier && read.rule == .holderActsOnOwnRecord)

            let (found, searched) = try await Self.event(store) {
                try await service.searchSummary(of: record.id, SummaryQuery(kinds: [.condition]), by: holder)
            }
            #expect(found.count == 1 && searched.action == .readSummary && searched.resources == [item] && searched.detail == "1 found")

            let (_, updated) = try await Self.event(store) {
                try await service.updateSummaryItem(entry.id, Self.condition(record.id, status: "remission"), expectedVersion: 1, by: author)
            }
            #expect(updated.action == .writeSummary && updated.outcome == .success && updated.resources == [item] && updated.detail == "updated, version 2")

            let (_, summary) = try await Self.event(store) { try await service.patientSummary(of: record.id, by: holder) }
            // What a read returned is named after the record (issue 16.2: it is what makes it a consultation).
            #expect(summary.action == .readSummary && summary.outcome == .success && summary.resources == [patient, item])
            #expect(summary.detail?.hasPrefix("$summary: 1 items") == true, "\(summary.detail ?? "")")

            let (_, everything) = try await Self.event(store) { try await service.everything(of: record.id, by: holder) }
            #expect(everything.action == .readEverything && everything.outcome == .success && everything.resources == [patient, item])
            #expect(everything.detail == "0 documents, 1 summary items, 0 claims", "\(everything.detail ?? "")")

            // Refusals are in the trail: a physician without a basis reads, the holder deletes a professional's item.
            let (_, refusedRead) = try await Self.newEvents(store) {
                await #expect(throws: AccessError.self) { try await service.readSummaryItem(entry.id, as: "Condition", by: .doctor("99700000022")) }
            }
            #expect(refusedRead.count == 1 && refusedRead.first?.outcome == .denied && refusedRead.first?.action == .readSummary
                    && refusedRead.first?.actorID == "99700000022", "\(refusedRead)")
            let (_, refusedDelete) = try await Self.newEvents(store) {
                await #expect(throws: AccessError.self) { try await service.deleteSummaryItem(entry.id, as: "Condition", by: holder) }
            }
            #expect(refusedDelete.count == 1 && refusedDelete.first?.outcome == .denied && refusedDelete.first?.action == .writeSummary
                    && refusedDelete.first?.rule == .itemRecordedByProfessional, "\(refusedDelete)")

            let (_, deleted) = try await Self.event(store) { try await service.deleteSummaryItem(entry.id, as: "Condition", by: author) }
            #expect(deleted.action == .writeSummary && deleted.outcome == .success && deleted.resources == [item] && deleted.detail == "deleted, version 3")
        }
    }

    @Test("care history: a search and a claim read name the record (and the claim); the import names the feed; refusals too",
          arguments: TestEngine.available)
    func careHistory(_ engine: TestEngine) async throws {
        try await CareHistoryPurgeTests.withService(engine) { service, store in
            try await TemporaryDirectory.with { directory async throws in
                let feed = Actor(role: .insurer(id: "import:audit"))
                let file = directory.appendingPathComponent("feed.ndjson")
                let ins = INS.fixture()
                try """
                {"claimId": "A1", "ins": "\(ins.value)", "insSystem": "\(ins.system.uri)", "serviceDate": "2026-10-01", "code": "C", "label": "Consultation (synthetic)"}
                not json
                """.write(to: file, atomically: true, encoding: .utf8)
                let (summary, imported) = try await Self.event(store) {
                    try await service.importCareHistory(file: file, format: nil, keyChecking: .relaxedForTestIdentities, by: feed)
                }
                #expect(summary.imported == 1 && summary.rejected == 1)
                #expect(imported.action == .importCareHistory && imported.outcome == .success && imported.actorKind == .insurer
                        && imported.actorID == "import:audit" && imported.recordID == nil)
                #expect(imported.detail?.hasPrefix("feed.ndjson: ") == true, "\(imported.detail ?? "")")
                let (_, refusedImport) = try await Self.newEvents(store) {
                    await #expect(throws: AccessError.denied(.roleNotAllowed)) {
                        try await service.importCareHistory(file: file, format: nil, keyChecking: .relaxedForTestIdentities, by: .doctor())
                    }
                }
                #expect(refusedImport.count == 1 && refusedImport.first?.outcome == .denied && refusedImport.first?.action == .importCareHistory)

                let record = try await service.createRecord(ins: ins, identity: .fixture(), by: .agent).record
                let patient = "Patient/\(record.id)"
                let holder = Actor.patient(ins)
                let (claims, searched) = try await Self.event(store) { try await service.careHistory(of: record.id, by: holder) }
                #expect(claims.map(\.id) == ["A1"])
                #expect(searched.action == .readCareHistory && searched.outcome == .success && searched.resources.first == patient && searched.resources.count == 2
                        && searched.detail == "1 claims" && searched.rule == .holderActsOnOwnRecord)
                let (_, read) = try await Self.event(store) {
                    try await service.careHistoryClaim(of: record.id, reference: "ExplanationOfBenefit/x", matching: { $0.id == "A1" }, by: holder)
                }
                #expect(read.action == .readCareHistory && read.outcome == .success && read.resources == [patient, "ExplanationOfBenefit/x"])
                let (_, missing) = try await Self.newEvents(store) {
                    await #expect(throws: AccessError.notFound) {
                        try await service.careHistoryClaim(of: record.id, reference: "ExplanationOfBenefit/y", matching: { _ in false }, by: holder)
                    }
                }
                #expect(missing.count == 1 && missing.first?.outcome == .failed && missing.first?.resources.last == "ExplanationOfBenefit/y")
                let (_, refused) = try await Self.newEvents(store) {
                    await #expect(throws: AccessError.self) { try await service.careHistory(of: record.id, by: .insurer) }
                }
                #expect(refused.count == 1 && refused.first?.outcome == .denied && refused.first?.action == .readCareHistory
                        && refused.first?.actorKind == .insurer, "\(refused)")
            }
        }
    }
}
