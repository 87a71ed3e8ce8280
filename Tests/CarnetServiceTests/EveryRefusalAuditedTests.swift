import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Issue 15: no refusal goes unaudited. Every public `RecordService` operation on a record, a document,
/// a summary item or the feed is called by someone it must refuse — another patient, or an insurer
/// agent where a patient may — and each call leaves at least one audit event for that actor, denied or
/// failed (a miss), in the store, on both engines. A new operation belongs in this list.
@Suite("Every refusal audited")
struct EveryRefusalAuditedTests {
    @Test("each operation refused to an outsider writes its refusal in the audit trail", arguments: TestEngine.available)
    func everyRefusal(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, _ async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            let author = Actor.doctor()
            let draft = DocumentDraft(uniqueID: "urn:oid:1.2.250.1.999.31.1", type: Code(system: "http://loinc.org", code: "11488-4"),
                                      title: "Synthetic", contentType: "text/plain", language: "fr-FR")
            let document = try await service.publishDocument(draft, content: Data("Synthetic report".utf8), for: .record(record.id), by: author)
            let item = SummaryItem(kind: .condition, recordID: record.id, status: "active", code: Code(system: "http://snomed.info/sct", code: "44054006"),
                                   date: nil, resource: Data(#"{"subject": {"reference": "Patient/\#(record.id)"}}"#.utf8))
            let entry = try await service.addSummaryItem(item, by: author)
            let outsider = Actor.patient(.fixture(9))
            let rpps = try RPPS("99700000022")

            let operations: [(String, Actor, @Sendable () async throws -> Void)] = [
                ("createRecord", outsider, { _ = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: outsider) }),
                ("readRecord", outsider, { _ = try await service.readRecord(record.id, by: outsider) }),
                ("findRecord", outsider, { _ = try await service.findRecord(ins: .fixture(), by: outsider) }),
                ("checkExistence", outsider, { _ = try await service.checkExistence(ins: .fixture(), by: outsider) }),
                ("transition", outsider, { _ = try await service.transition(record.id, .closeRecord, reason: nil, by: outsider) }),
                ("auditTrail", outsider, { _ = try await service.auditTrail(of: record.id, by: outsider) }),
                ("auditTrailPage", outsider, { _ = try await service.auditTrailPage(of: record.id, from: nil, until: nil, limit: 5, offset: 0, by: outsider) }),
                ("auditTrailPage(filter:)", outsider, { _ = try await service.auditTrailPage(of: record.id, filter: AuditFilter(), limit: 5, offset: 0, by: outsider) }),
                ("accessAlerts", outsider, { _ = try await service.accessAlerts(of: record.id, since: testInstant, by: outsider) }),
                ("accessControls", outsider, { _ = try await service.accessControls(of: record.id, by: outsider) }),
                ("changeAccess", outsider, { _ = try await service.changeAccess(of: record.id, .authorize(rpps), by: outsider) }),
                ("declareConsent", outsider, { _ = try await service.declareConsent(on: record.id, careTeam: false, by: outsider) }),
                ("changeLegalRepresentative", outsider, { _ = try await service.changeLegalRepresentative(of: record.id, .fixture(9), add: true, by: outsider) }),
                ("changeContact", outsider, { _ = try await service.changeContact(of: record.id, email: "someone@example.org", by: outsider) }),
                ("careHistory", outsider, { _ = try await service.careHistory(of: record.id, by: outsider) }),
                ("careHistoryClaim", outsider, { _ = try await service.careHistoryClaim(of: record.id, reference: "x", matching: { _ in true }, by: outsider) }),
                ("purgeCareHistory", outsider, { _ = try await service.purgeCareHistory(by: outsider) }),
                ("importClaims", outsider, { _ = try await service.importClaims([], source: "test", by: outsider) }),
                ("authoriseFeed", outsider, { try await service.authoriseFeed(.importCareHistory, by: outsider) }),
                ("checkImportJobReader", outsider, { try await service.checkImportJobReader(job: "job-1", owner: .insurer, by: outsider) }),
                ("representedRecords", .agent, { _ = try await service.representedRecords(by: .agent) }),
                ("publishDocument", outsider, { _ = try await service.publishDocument(draft, content: Data("x".utf8), for: .record(record.id), by: outsider) }),
                ("readDocument", outsider, { _ = try await service.readDocument(document.id, by: outsider) }),
                ("documentContent", outsider, { _ = try await service.documentContent(document.id, by: outsider) }),
                ("documentHistory", outsider, { _ = try await service.documentHistory(document.id, by: outsider) }),
                ("documentID", outsider, { _ = try await service.documentID(uniqueID: document.uniqueID, in: .record(record.id), by: outsider) }),
                ("searchDocuments", outsider, { _ = try await service.searchDocuments(of: .record(record.id), DocumentQuery(), by: outsider) }),
                ("searchSubmissionSets", outsider, { _ = try await service.searchSubmissionSets(of: .record(record.id), SubmissionSetQuery(), by: outsider) }),
                ("changeDocument", outsider, { _ = try await service.changeDocument(document.id, .archive, by: outsider) }),
                ("changeVisibility", outsider, { _ = try await service.changeVisibility(of: document.id, .mask, by: outsider) }),
                ("changeLabels", outsider, { _ = try await service.changeLabels(of: document.id, by: outsider) { $0 } }),
                ("addSummaryItem", outsider, { _ = try await service.addSummaryItem(item, by: outsider) }),
                ("readSummaryItem", outsider, { _ = try await service.readSummaryItem(entry.id, as: "Condition", by: outsider) }),
                ("summaryItemHistory", outsider, { _ = try await service.summaryItemHistory(entry.id, as: "Condition", by: outsider) }),
                ("updateSummaryItem", outsider, { _ = try await service.updateSummaryItem(entry.id, item, expectedVersion: nil, by: outsider) }),
                ("deleteSummaryItem", outsider, { _ = try await service.deleteSummaryItem(entry.id, as: "Condition", by: outsider) }),
                ("searchSummary", outsider, { _ = try await service.searchSummary(of: record.id, SummaryQuery(kinds: [.condition]), by: outsider) }),
                ("patientSummary", outsider, { _ = try await service.patientSummary(of: record.id, by: outsider) }),
                ("everything", outsider, { _ = try await service.everything(of: record.id, by: outsider) }),
            ]
            for (name, actor, call) in operations {
                let before = try await refusals(of: actor, in: store)
                _ = try? await call()
                let after = try await refusals(of: actor, in: store)
                #expect(after > before, "\(name): refused without an audit event")
            }
        }
    }

    /// The actor's denied or failed events, in every chain.
    func refusals(of actor: Actor, in store: any RecordStore) async throws -> Int {
        try await store.chainedAuditEvents(after: nil, limit: 100_000).map(\.event)
            .filter { $0.actorID == actor.identifier && ($0.outcome == .denied || $0.outcome == .failed) }.count
    }
}
