import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The audit trail filtered by the database, the same on every engine: each criterion of an
/// ``AuditFilter`` narrows the page and its total alike, and each actor's first matching event is
/// found whatever the number of other events.
@Suite("Audit filter conformance")
struct AuditFilterConformanceTests {
    /// A record with 300 of the patient's own page views, then a physician's accesses (one an
    /// emergency), a regulator's, a pharmacist's refusal and another record's events.
    func withTrail(_ engine: TestEngine, _ body: @escaping @Sendable (any RecordStore, HealthRecord, [AuditEvent]) async throws -> Void) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let other = HealthRecord(ins: .fixture(2), identity: .fixture(), createdAt: testInstant)
            var events: [AuditEvent] = []
            for created in [record, other] {
                let creation = AuditEvent(recordID: created.id, recordedAt: testInstant, actor: .agent, action: .createRecord, outcome: .success,
                                          rule: nil, detail: "t0")
                _ = try await store.createRecord(created, audit: creation)
                if created.id == record.id { events.append(creation) }
            }
            func add(_ seconds: Double, _ actor: Actor, _ action: Action, _ outcome: AuditEvent.Outcome = .success, on target: HealthRecord? = nil) async throws {
                let event = AuditEvent(recordID: (target ?? record).id, recordedAt: testInstant.addingTimeInterval(seconds), actor: actor,
                                       action: action, outcome: outcome, rule: nil, detail: "t\(Int(seconds))")
                try await store.appendAudit(event)
                if target == nil { events.append(event) }
            }
            try await add(10, .doctor("99700000011"), .readIdentity)
            try await add(20, .doctor("99700000011"), .searchDocuments)
            try await add(30, .doctor("99700000012", mode: .breakTheGlass, reason: "coma"), .readDocument)
            try await add(40, .regulator(), .readSummary)
            try await add(50, .pharmacist(), .readDocument, .denied)
            try await add(60, .doctor("99700000013"), .readDocument, on: other)
            for second in 0..<300 { try await add(100 + Double(second), .patient(.fixture()), .readAuditTrail) }
            try await body(store, record, events)
        }
    }

    @Test("each criterion narrows the page and its total in the database", arguments: TestEngine.available)
    func criteria(_ engine: TestEngine) async throws {
        try await withTrail(engine) { store, record, events async throws in
            let cases: [AuditFilter] = [
                AuditFilter(),
                AuditFilter(actorKinds: Set(Actor.Kind.allCases).subtracting([.patient])),
                AuditFilter(actorKinds: [.professional, .regulator]),
                AuditFilter(actorKinds: []),
                AuditFilter(actorID: "99700000011"),
                AuditFilter(actions: [.readDocument, .readSummary]),
                AuditFilter(emergencyOnly: true),
                AuditFilter(outcome: .denied),
                AuditFilter(from: testInstant.addingTimeInterval(15), until: testInstant.addingTimeInterval(45)),
                AuditFilter(from: testInstant.addingTimeInterval(15), actorKinds: [.professional], actions: [.readDocument], outcome: .success),
            ]
            for filter in cases {
                let expected = events.filter(filter.matches).sorted { $0.recordedAt > $1.recordedAt }
                let page = try await store.auditEventPage(recordID: record.id, filter: filter, limit: 3, offset: 1)
                #expect(page.total == expected.count, "\(filter)")
                #expect(page.events.map(\.detail) == expected.dropFirst().prefix(3).map(\.detail), "\(filter)")
            }
            let professionals = try await store.auditEventPage(recordID: record.id, filter: AuditFilter(actorKinds: [.professional, .regulator]),
                                                               limit: 10, offset: 0)
            #expect(professionals.events.map(\.detail) == ["t50", "t40", "t30", "t20", "t10"],
                    "300 page views by the patient do not push professionals' accesses out of the first page")
        }
    }

    @Test("each actor's first matching event, for those whose first falls after a date", arguments: TestEngine.available)
    func firstAppearances(_ engine: TestEngine) async throws {
        try await withTrail(engine) { store, record, _ async throws in
            let consultations = AuditFilter(actorKinds: [.professional, .regulator], actions: PatientNotification.consultingActions, outcome: .success)
            let all = try await store.firstAppearances(recordID: record.id, matching: consultations, since: testInstant)
            #expect(all.map(\.actorID) == ["99700000015", "99700000012", "99700000011"], "newest first; the refused pharmacist and the other record's doctor are not there")
            #expect(abs((all.last?.first ?? .distantPast).timeIntervalSince(testInstant.addingTimeInterval(20))) < 0.01,
                    "the existence check is not a consultation")
            #expect(all.first?.actorKind == .regulator)
            let recent = try await store.firstAppearances(recordID: record.id, matching: consultations, since: testInstant.addingTimeInterval(25))
            #expect(recent.map(\.actorID) == ["99700000015", "99700000012"])
        }
    }

    @Test("events naming excluded references, or written in a secret connection, leave pages, totals and first appearances",
          arguments: TestEngine.available)
    func exclusions(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .agent,
                                                                       action: .createRecord, outcome: .success, rule: nil, detail: "t0"))
            let secret = Actor(role: Actor.doctor("99700000033").role, secretConnection: true)
            let trail: [(Double, Actor, Action, [String])] = [
                (10, .doctor("99700000011"), .createDocument, ["DocumentReference/hidden", "List/set"]),
                (20, .doctor("99700000011"), .createDocument, ["DocumentReference/shown", "List/set"]),
                (30, .doctor("99700000012"), .readDocument, ["Binary/hidden"]),
                (40, secret, .readIdentity, ["Patient/\(record.id)"]),
                (50, .doctor("99700000013"), .searchDocuments, ["DocumentReference/shown", "DocumentReference/hidden"]),
            ]
            for (seconds, actor, action, resources) in trail {
                try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: testInstant.addingTimeInterval(seconds), actor: actor,
                                                       action: action, resources: resources, outcome: .success, rule: nil, detail: "t\(Int(seconds))"))
            }
            let filter = AuditFilter(excludedResources: ["DocumentReference/hidden", "Binary/hidden"], excludesSecretConnection: true)
            let page = try await store.auditEventPage(recordID: record.id, filter: filter, limit: 10, offset: 0)
            #expect(page.events.map(\.detail) == ["t20", "t0"] && page.total == 2)
            let second = try await store.auditEventPage(recordID: record.id, filter: filter, limit: 1, offset: 1)
            #expect(second.events.map(\.detail) == ["t0"] && second.total == 2)
            let all = try await store.auditEventPage(recordID: record.id, filter: AuditFilter(), limit: 10, offset: 0)
            #expect(all.total == 6 && all.events.first { $0.detail == "t40" }?.secretConnection == true, "the marker is stored and read back")
            let firsts = try await store.firstAppearances(recordID: record.id, matching: AuditFilter(
                actorKinds: [.professional], excludedResources: ["DocumentReference/hidden", "Binary/hidden"], excludesSecretConnection: true),
                                                          since: testInstant)
            #expect(firsts.map(\.actorID) == ["99700000011"])
            #expect(try await AuditChainVerifier.verify(store).isIntact, "a marked event chains like any other")
        }
    }
}
