import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The structured summary's storage on every engine: versions added with their audit events, never
/// two winners for one version, deletions kept in the history, current items by kind.
@Suite("Summary store conformance")
struct SummaryStoreConformanceTests {
    func audit(_ record: HealthRecord) -> AuditEvent {
        AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .patient(record.ins), action: .writeSummary, outcome: .success, rule: nil)
    }

    func entry(_ record: HealthRecord, _ kind: SummaryKind, at offset: TimeInterval, resource: String = #"{"code": {"text": "x"}, "n": 1.5}"#) -> SummaryEntry {
        SummaryEntry(recordID: record.id, kind: kind, status: "active", code: Code(system: "http://snomed.info/sct", code: "91936005", display: "Penicillin"),
                     date: testInstant.addingTimeInterval(-86_400), authorID: record.ins.value, recordedByPatient: true,
                     recordedAt: testInstant.addingTimeInterval(offset), resource: Data(resource.utf8))
    }

    /// Engines may re-spell JSON (PostgreSQL's `jsonb`): compare the parsed resource and the columns.
    func same(_ lhs: SummaryEntry, _ rhs: SummaryEntry) throws -> Bool {
        var left = lhs
        var right = rhs
        let parsed = { (data: Data) in try JSONSerialization.jsonObject(with: data) as? NSDictionary }
        guard try parsed(left.resource) == parsed(right.resource) else { return false }
        left.resource = Data()
        right.resource = Data()
        return left == right
    }

    @Test("versions in order with their audit events; a stale or repeated version loses", arguments: TestEngine.available)
    func versions(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: audit(record))
            let first = entry(record, .allergy, at: 1)
            try await store.addSummaryVersion(first, audit: audit(record))
            await #expect(throws: StoreError.versionConflict) { try await store.addSummaryVersion(first, audit: audit(record)) }

            var second = first
            second.version = 2
            second.status = "resolved"
            second.recordedAt = testInstant.addingTimeInterval(2)
            try await store.addSummaryVersion(second, audit: audit(record))
            await #expect(throws: StoreError.versionConflict) { try await store.addSummaryVersion(second, audit: audit(record)) }
            var skipping = second
            skipping.version = 4
            await #expect(throws: StoreError.versionConflict) { try await store.addSummaryVersion(skipping, audit: audit(record)) }

            let versions = try await store.summaryEntryVersions(id: first.id)
            #expect(versions.count == 2)
            #expect(try same(versions[0], first) && same(versions[1], second))
            let current = try await store.summaryEntries(recordID: record.id, kinds: [.allergy])
            #expect(current.count == 1 && current.first?.version == 2)
            #expect(try await store.auditEvents(recordID: record.id, limit: 10).count == 3, "the creation's and both versions'")
            #expect(try await store.summaryEntryVersions(id: SummaryEntryID()).isEmpty)
        }
    }

    @Test("current items by kind, in recording order; deleted ones only in their history", arguments: TestEngine.available)
    func currentItems(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            let other = HealthRecord(ins: .fixture(2), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: audit(record))
            _ = try await store.createRecord(other, audit: audit(other))
            let contact = entry(record, .relatedPerson, at: 3)
            let condition = entry(record, .condition, at: 1)
            let directive = entry(record, .advanceDirective, at: 2)
            for item in [contact, condition, directive, entry(other, .condition, at: 0)] {
                try await store.addSummaryVersion(item, audit: audit(record))
            }
            var deleted = directive
            deleted.version = 2
            deleted.deleted = true
            try await store.addSummaryVersion(deleted, audit: audit(record))

            let all = try await store.summaryEntries(recordID: record.id, kinds: Set(SummaryKind.allCases))
            #expect(all.map(\.id) == [condition.id, contact.id])
            #expect(try await store.summaryEntries(recordID: record.id, kinds: [.relatedPerson]).map(\.id) == [contact.id])
            #expect(try await store.summaryEntries(recordID: record.id, kinds: []).isEmpty)
            #expect(try await store.summaryEntryVersions(id: directive.id).last?.deleted == true)
        }
    }
}
