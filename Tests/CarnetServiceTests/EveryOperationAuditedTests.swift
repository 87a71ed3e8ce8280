import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Issue 15: the door audits every call, allowed or refused. Every public `RecordService` operation on a
/// record, a document, a summary item, the feed or a sign-in is called by someone it must refuse —
/// another patient, or an insurer agent where a patient may — and each call leaves at least one audit
/// event for that actor, denied or failed (a miss); then by someone it allows, and each call leaves a
/// success event. Both engines. A new operation belongs in both lists.
///
/// Not in the lists, on purpose: `now`, `checkDatabase` and `notificationBacklog` (no data of anyone),
/// `deliverDueNotifications`, `importJobsToResume` and `runImportJob` (the system's own background
/// work: the import it runs is audited in the starter's name), and the allowed `authoriseFeed` and
/// `importJob` (a pre-check before spooling, and a job's progress, which hold no health data: the feed's
/// acceptance and its import are the audited acts); `previousAccess` (the actor's own last access, from
/// their own audit events: what a search then marks as new, the search being the audited act).
@Suite("Every operation audited")
struct EveryOperationAuditedTests {
    static let draft = DocumentDraft(uniqueID: "urn:oid:1.2.250.1.999.31.1", type: Code(system: "http://loinc.org", code: "11488-4"),
                                     title: "Synthetic", contentType: "text/plain", language: "fr-FR")

    @Test("each operation refused to an outsider writes its refusal in the audit trail", arguments: TestEngine.available)
    func everyRefusal(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, directory async throws in
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            let feed = try Self.feed(in: directory)
            let job = try await service.queueImport(id: "job-1", spooledAt: feed, format: .ndjson, by: .insurer)
            let author = Actor.doctor()
            let draft = Self.draft
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
                ("auditTrailPage(query:)", outsider, { _ = try await service.auditTrailPage(of: record.id, query: HistoryQuery(), limit: 5, offset: 0, by: outsider) }),
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
                ("queueImport", outsider, { _ = try await service.queueImport(id: "job-0", spooledAt: directory.appendingPathComponent("feed.ndjson"),
                                                                                format: .ndjson, by: outsider) }),
                ("importJob", outsider, { _ = try await service.importJob(job.id, by: outsider) }),
                ("importCareHistory", outsider, { _ = try await service.importCareHistory(file: feed, format: nil, keyChecking: .relaxedForTestIdentities,
                                                                                          by: outsider) }),
                ("sendSignInCode", .patient(.fixture(9)), { _ = try await service.sendSignInCode("123456", toFirstOf: [.fixture(9)], validForMinutes: 10) }),
                ("refuseSignInCode", .patient(.fixture(9)), { try await service.refuseSignInCode(toFirstOf: [.fixture(9)], detail: "too many") }),
                ("auditSignIn", outsider, { try await service.auditSignIn(by: outsider, ins: .fixture(9), succeeded: false) }),
                ("representedRecords", .agent, { _ = try await service.representedRecords(by: .agent) }),
                ("publishDocument", outsider, { _ = try await service.publishDocument(draft, content: Data("x".utf8), for: .record(record.id), by: outsider) }),
                ("publishDocuments", outsider, { _ = try await service.publishDocuments([.init(draft: draft, content: Data("x".utf8))], for: .record(record.id),
                                                                                        by: outsider) }),
                ("publish", outsider, { _ = try await service.publish([.init(draft: draft, content: Data("x".utf8))], as: nil, for: .record(record.id),
                                                                      by: outsider) }),
                ("readDocument", outsider, { _ = try await service.readDocument(document.id, by: outsider) }),
                ("documentContent", outsider, { _ = try await service.documentContent(document.id, by: outsider) }),
                ("documentHistory", outsider, { _ = try await service.documentHistory(document.id, by: outsider) }),
                ("documentID", outsider, { _ = try await service.documentID(uniqueID: document.uniqueID, in: .record(record.id), by: outsider) }),
                ("searchDocuments", outsider, { _ = try await service.searchDocuments(of: .record(record.id), DocumentQuery(), by: outsider) }),
                ("findDocuments", outsider, { _ = try await service.findDocuments(of: .record(record.id), DocumentQuery(), by: outsider) }),
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

    @Test("each operation allowed to its actor writes its success in the audit trail", arguments: TestEngine.available)
    func everyAllowedCall(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, directory async throws in
            let holder = Actor.patient(.fixture())
            let author = Actor.doctor()
            let record = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent).record
            _ = try await service.declareConsent(on: record.id, careTeam: false, by: author)
            _ = try await service.importClaims([try Self.claim()], source: "test", by: .insurer)
            let document = try await service.publishDocument(Self.draft, content: Data("Synthetic report".utf8), for: .record(record.id), by: author)
            let item = SummaryItem(kind: .condition, recordID: record.id, status: "active", code: Code(system: "http://snomed.info/sct", code: "44054006"),
                                   date: nil, resource: Data(#"{"subject": {"reference": "Patient/\#(record.id)"}}"#.utf8))
            let entry = try await service.addSummaryItem(item, by: author)
            let feed = try Self.feed(in: directory)
            let rpps = try RPPS("99700000022")
            let minor = try await service.createRecord(ins: .fixture(10), identity: PatientIdentity(birthFamilyName: "BERNARD", givenNames: ["Inès"],
                                                                                                    birthDate: try PartialDate("2016-05-01"), sex: .female),
                                                       by: .agent).record
            _ = try await service.changeLegalRepresentative(of: minor.id, .fixture(9), add: true, by: .agent)
            @Sendable func another(_ n: Int) -> DocumentDraft {
                var draft = Self.draft
                draft.uniqueID = "urn:oid:1.2.250.1.999.31.\(n + 10)"
                return draft
            }

            let operations: [(String, Actor, @Sendable () async throws -> Void)] = [
                ("createRecord", .agent, { _ = try await service.createRecord(ins: .fixture(), identity: .fixture(), by: .agent) }),
                ("readRecord", holder, { _ = try await service.readRecord(record.id, by: holder) }),
                ("findRecord", author, { _ = try await service.findRecord(ins: .fixture(), by: author) }),
                ("checkExistence", author, { _ = try await service.checkExistence(ins: .fixture(), by: author) }),
                ("auditTrail", holder, { _ = try await service.auditTrail(of: record.id, by: holder) }),
                ("auditTrailPage", holder, { _ = try await service.auditTrailPage(of: record.id, from: nil, until: nil, limit: 5, offset: 0, by: holder) }),
                ("auditTrailPage(query:)", holder, { _ = try await service.auditTrailPage(of: record.id, query: HistoryQuery(), limit: 5, offset: 0, by: holder) }),
                ("accessAlerts", holder, { _ = try await service.accessAlerts(of: record.id, since: testInstant, by: holder) }),
                ("accessControls", holder, { _ = try await service.accessControls(of: record.id, by: holder) }),
                ("changeAccess", holder, { _ = try await service.changeAccess(of: record.id, .authorize(rpps), by: holder) }),
                ("declareConsent", author, { _ = try await service.declareConsent(on: record.id, careTeam: true, by: author) }),
                ("changeLegalRepresentative", .agent, { _ = try await service.changeLegalRepresentative(of: record.id, .fixture(9), add: true, by: .agent) }),
                ("changeContact", holder, { _ = try await service.changeContact(of: record.id, email: "someone@example.org", by: holder) }),
                ("careHistory", holder, { _ = try await service.careHistory(of: record.id, by: holder) }),
                ("careHistoryClaim", holder, { _ = try await service.careHistoryClaim(of: record.id, reference: "ExplanationOfBenefit/A1",
                                                                                      matching: { $0.id == "A1" }, by: holder) }),
                ("purgeCareHistory", .insurer, { _ = try await service.purgeCareHistory(by: .insurer) }),
                ("importClaims", .insurer, { _ = try await service.importClaims([], source: "test", by: .insurer) }),
                ("queueImport", .insurer, { _ = try await service.queueImport(id: "job-1", spooledAt: feed, format: .ndjson, by: .insurer) }),
                ("importCareHistory", .insurer, { _ = try await service.importCareHistory(file: feed, format: nil, keyChecking: .relaxedForTestIdentities,
                                                                                          by: .insurer) }),
                ("sendSignInCode", holder, { _ = try await service.sendSignInCode("123456", toFirstOf: [.fixture()], validForMinutes: 10) }),
                ("auditSignIn", holder, { try await service.auditSignIn(by: holder, ins: .fixture(), succeeded: true) }),
                ("representedRecords", .patient(.fixture(9)), { _ = try await service.representedRecords(by: .patient(.fixture(9))) }),
                ("publishDocument", author, { _ = try await service.publishDocument(another(1), content: Data("x".utf8), for: .record(record.id), by: author) }),
                ("publishDocuments", author, { _ = try await service.publishDocuments([.init(draft: another(2), content: Data("x".utf8))],
                                                                                      for: .record(record.id), by: author) }),
                ("publish", author, { _ = try await service.publish([.init(draft: another(3), content: Data("x".utf8))], as: nil, for: .record(record.id),
                                                                    by: author) }),
                ("readDocument", author, { _ = try await service.readDocument(document.id, by: author) }),
                ("documentContent", author, { _ = try await service.documentContent(document.id, by: author) }),
                ("documentHistory", author, { _ = try await service.documentHistory(document.id, by: author) }),
                ("documentID", author, { _ = try await service.documentID(uniqueID: document.uniqueID, in: .record(record.id), by: author) }),
                ("searchDocuments", author, { _ = try await service.searchDocuments(of: .record(record.id), DocumentQuery(), by: author) }),
                ("findDocuments", author, { _ = try await service.findDocuments(of: .record(record.id), DocumentQuery(), by: author) }),
                ("searchSubmissionSets", author, { _ = try await service.searchSubmissionSets(of: .record(record.id), SubmissionSetQuery(), by: author) }),
                ("changeLabels", author, { _ = try await service.changeLabels(of: document.id, by: author) { $0 } }),
                ("changeVisibility", holder, { _ = try await service.changeVisibility(of: document.id, .mask, by: holder) }),
                ("changeDocument", author, { _ = try await service.changeDocument(document.id, .archive, by: author) }),
                ("readSummaryItem", author, { _ = try await service.readSummaryItem(entry.id, as: "Condition", by: author) }),
                ("summaryItemHistory", author, { _ = try await service.summaryItemHistory(entry.id, as: "Condition", by: author) }),
                ("updateSummaryItem", author, { _ = try await service.updateSummaryItem(entry.id, item, expectedVersion: nil, by: author) }),
                ("searchSummary", author, { _ = try await service.searchSummary(of: record.id, SummaryQuery(kinds: [.condition]), by: author) }),
                ("patientSummary", author, { _ = try await service.patientSummary(of: record.id, by: author) }),
                ("everything", author, { _ = try await service.everything(of: record.id, by: author) }),
                ("addSummaryItem", author, { _ = try await service.addSummaryItem(item, by: author) }),
                ("deleteSummaryItem", author, { _ = try await service.deleteSummaryItem(entry.id, as: "Condition", by: author) }),
                ("transition", holder, { _ = try await service.transition(record.id, .closeRecord, reason: nil, by: holder) }),
            ]
            for (name, actor, call) in operations {
                let before = try await successes(of: actor, in: store)
                do {
                    try await call()
                } catch {
                    Issue.record("\(name): refused to \(actor.kind): \(error)")
                }
                let after = try await successes(of: actor, in: store)
                #expect(after > before, "\(name): allowed without an audit event")
            }
        }
    }

    /// The actor's denied or failed events, in every chain.
    func refusals(of actor: Actor, in store: any RecordStore) async throws -> Int {
        try await store.chainedAuditEvents(after: nil, limit: 100_000).map(\.event)
            .filter { $0.actorID == actor.identifier && ($0.outcome == .denied || $0.outcome == .failed) }.count
    }

    /// The actor's successful events, in every chain.
    func successes(of actor: Actor, in store: any RecordStore) async throws -> Int {
        try await store.chainedAuditEvents(after: nil, limit: 100_000).map(\.event)
            .filter { $0.actorID == actor.identifier && $0.outcome == .success }.count
    }

    /// A one-claim feed file for the insurer's import.
    static func feed(in directory: URL) throws -> URL {
        let file = directory.appendingPathComponent("feed.ndjson")
        try #"{"claimId": "F1", "ins": "\#(INS.fixture().value)", "serviceDate": "2026-01-02", "code": "YYYY010", "label": "Consultation (synthetic)"}"#
            .write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func claim() throws -> Claim {
        Claim(id: "A1", ins: .fixture(), serviceDate: try PartialDate("2026-01-02"), code: Code(system: "https://www.ameli.fr/ngap", code: "C"),
              label: "Consultation (synthetic)")
    }
}
