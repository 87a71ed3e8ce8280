public import CarnetCore
import CarnetStore
public import Foundation

/// The structured summary through the one door: each item decided by ``AccessPolicy/decideSummary``,
/// every read and write audited, every change a new version.
extension RecordService {
    /// Records a new summary item.
    public func addSummaryItem(_ item: SummaryItem, by actor: Actor) async throws -> SummaryEntry {
        guard let record = try await store.record(id: item.recordID) else {
            try await auditMiss(.writeSummary, by: actor, detail: "Patient/\(item.recordID)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        let decision = AccessPolicy.decideSummary(.create, kind: item.kind, by: actor, in: context, current: nil, first: nil)
        try await enforce(decision, .writeSummary, by: actor, record: record)
        let entry = SummaryEntry(recordID: record.id, kind: item.kind, status: item.status, code: item.code, date: item.date,
                                 authorID: actor.identifier, recordedByPatient: actor.isPatientSide, recordedAt: context.now, resource: item.resource,
                                 visibility: Self.visibility(recordedBy: actor, keeping: DocumentVisibility()))
        try await store.addSummaryVersion(entry, audit: writeAudit(entry, by: actor, decision, detail: "created"))
        return entry
    }

    /// Records a new version of an item; `expectedVersion` (from `If-Match`) guards against lost updates.
    public func updateSummaryItem(_ id: SummaryEntryID, _ item: SummaryItem, expectedVersion: Int?, by actor: Actor) async throws -> SummaryEntry {
        let (current, _, context, decision) = try await changeable(id, as: item.kind.resourceType, .update, expectedVersion: expectedVersion, by: actor)
        guard item.kind == current.kind else { throw SummaryItemError.kindChanged(from: current.kind, to: item.kind) }
        guard item.recordID == current.recordID else { throw SummaryItemError.patientChanged }
        let entry = SummaryEntry(id: id, recordID: current.recordID, kind: current.kind, version: current.version + 1, status: item.status,
                                 code: item.code, date: item.date, authorID: actor.identifier, recordedByPatient: actor.isPatientSide,
                                 recordedAt: context.now, resource: item.resource,
                                 visibility: Self.visibility(recordedBy: actor, keeping: current.visibility))
        try await store.addSummaryVersion(entry, audit: writeAudit(entry, by: actor, decision, detail: "updated"))
        return entry
    }

    /// Deletes an item (named with its resource type): a last version marked deleted, kept in the history.
    public func deleteSummaryItem(_ id: SummaryEntryID, as resourceType: String, expectedVersion: Int? = nil, by actor: Actor) async throws -> SummaryEntry {
        let (current, _, context, decision) = try await changeable(id, as: resourceType, .delete, expectedVersion: expectedVersion, by: actor)
        var entry = current
        entry.version += 1
        entry.deleted = true
        entry.authorID = actor.identifier
        entry.recordedByPatient = actor.isPatientSide
        entry.recordedAt = context.now
        entry.visibility = Self.visibility(recordedBy: actor, keeping: current.visibility)
        try await store.addSummaryVersion(entry, audit: writeAudit(entry, by: actor, decision, detail: "deleted"))
        return entry
    }

    /// One item, named with its resource type, at its current version or at `version`; a deleted item
    /// reads as ``SummaryItemError/deleted``.
    public func readSummaryItem(_ id: SummaryEntryID, as resourceType: String, version: Int? = nil, by actor: Actor) async throws -> SummaryEntry {
        let (versions, record, decision) = try await visibleItem(id, as: resourceType, by: actor)
        let current = versions[versions.count - 1]
        guard let wanted = version.map({ number in versions.first { $0.version == number } }) ?? current else { throw AccessError.notFound }
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readSummary,
                                               resources: [Self.reference(wanted)], outcome: .success, rule: decision.rule,
                                               detail: version.map { "version \($0)" }))
        if wanted.deleted { throw SummaryItemError.deleted(wanted) }
        return wanted
    }

    /// Every version of an item, newest first (FHIR `_history`).
    public func summaryItemHistory(_ id: SummaryEntryID, as resourceType: String, by actor: Actor) async throws -> [SummaryEntry] {
        let (versions, record, decision) = try await visibleItem(id, as: resourceType, by: actor)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readSummary,
                                               resources: [Self.reference(versions[0])], outcome: .success, rule: decision.rule,
                                               detail: "history"))
        return versions.reversed()
    }

    /// The record's items matching `query` that the actor may see; the others are absent, silently.
    public func searchSummary(of recordID: RecordID, _ query: SummaryQuery, by actor: Actor) async throws -> [SummaryEntry] {
        guard let (record, context, decision) = try await searchable(.record(recordID), as: .readSummary, by: actor) else { return [] }
        let found = try await visibleItems(of: record, kinds: query.kinds, context, actor).filter(query.matches)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readSummary,
                                               resources: found.map(Self.reference), outcome: .success, rule: decision.rule,
                                               detail: "\(found.count) found"))
        return found
    }

    /// What a `$summary` is built from: the items and the advance-directive documents the actor may see.
    public struct PatientSummary: Sendable {
        public var record: HealthRecord
        public var items: [SummaryEntry]
        /// Current advance directives (`EXPPAT_3`) the actor may read.
        public var directiveDocuments: [DocumentEntry]
        public var builtAt: Date
        /// The reader's previous access: items and documents recorded since are new to them (issue 18).
        public var lastAccess = LastAccess(at: nil)
    }

    /// The patient summary on demand (IPS-style): only what the actor may see, audited as one read.
    public func patientSummary(of recordID: RecordID, by actor: Actor) async throws -> PatientSummary {
        guard let (record, context, decision) = try await searchable(.record(recordID), as: .readSummary, by: actor) else { throw AccessError.notFound }
        let items = try await visibleItems(of: record, kinds: Set(SummaryKind.allCases), context, actor)
        var directiveQuery = DocumentQuery()
        directiveQuery.types = [SummaryKind.advanceDirective.documentType.code]
        directiveQuery.count = DocumentQuery.maximumCount
        // The reader's previous access comes with the directives' read (one read fewer, issue 20).
        let directiveRead = try await visibleDocuments(of: record.id, directiveQuery, context, actor,
                                                       lastAccess: LastAccessLookup(filter: previousAccessFilter(by: actor, before: context.now),
                                                                                    narrows: false))
        let directives = directiveRead?.page ?? []
        let previous = LastAccess(at: directiveRead?.lastAccess)
        // What was shown is named (AuditEvent.disclosesContent): a summary with nothing the reader may see names only the record.
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: context.now, actor: actor, action: .readSummary,
                                               resources: [Self.reference(record.id)] + items.map(Self.reference)
                                                   + directives.map { "DocumentReference/\($0.id)" },
                                               outcome: .success, rule: decision.rule,
                                               detail: "$summary: \(items.count) items, \(directives.count) directive documents"))
        return PatientSummary(record: record, items: items, directiveDocuments: directives, builtAt: context.now, lastAccess: previous)
    }

    /// What `$everything` returns: the record and all the actor may see in it.
    public struct Everything: Sendable {
        public var record: HealthRecord
        public var documents: [DocumentEntry]
        public var items: [SummaryEntry]
        public var claims: [Claim]
        /// The reader's previous access: documents and items recorded since are new to them (issue 18).
        public var lastAccess = LastAccess(at: nil)
    }

    /// Everything in the record the actor may see — current documents, summary items and, when the
    /// care history is readable, its claims — audited as one read.
    public func everything(of recordID: RecordID, by actor: Actor) async throws -> Everything {
        guard let (record, context, decision) = try await searchable(.record(recordID), as: .readEverything, by: actor) else { throw AccessError.notFound }
        let previous = LastAccess(at: try await previousAccess(to: record.id, by: actor, before: context.now))
        let documents = try await store.documents(recordID: record.id).filter { document in
            document.status == .current && AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: document).isAllowed
        }
        let items = try await visibleItems(of: record, kinds: Set(SummaryKind.allCases), context, actor)
        let careHistory = AccessPolicy.decideCareHistory(of: record.id, by: actor, in: context)
        let claims = careHistory.isAllowed ? try await store.claims(ins: record.ins, from: Claim.windowStart(at: context.now)) : []
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: context.now, actor: actor, action: .readEverything,
                                               resources: [Self.reference(record.id)] + documents.map { "DocumentReference/\($0.id)" }
                                                   + items.map(Self.reference) + (claims.isEmpty ? [] : [Self.claimsReference(record.id)]),
                                               outcome: .success, rule: decision.rule,
                                               detail: "\(documents.count) documents, \(items.count) summary items, \(claims.count) claims"))
        return Everything(record: record, documents: documents, items: items, claims: claims, lastAccess: previous)
    }

    // MARK: - Steps

    private func visibleItems(of record: HealthRecord, kinds: Set<SummaryKind>, _ context: DocumentAccessContext, _ actor: Actor) async throws -> [SummaryEntry] {
        var visible: [SummaryEntry] = []
        for entry in try await store.summaryEntries(recordID: record.id, kinds: kinds) {
            // The author of an item is who recorded its first version; only then is a second lookup needed.
            let first = entry.version == 1 ? entry : try await store.summaryEntryVersions(id: entry.id).first
            if AccessPolicy.decideSummary(.read, kind: entry.kind, by: actor, in: context, current: entry, first: first).isAllowed {
                visible.append(entry)
            }
        }
        return visible
    }

    /// An item's versions and record, refusing (as "not found") what the actor may not see and an item
    /// asked for under another resource type.
    private func visibleItem(_ id: SummaryEntryID, as resourceType: String, by actor: Actor) async throws -> ([SummaryEntry], HealthRecord, Decision) {
        let versions = try await store.summaryEntryVersions(id: id)
        guard let current = versions.last, current.kind.resourceType == resourceType, let record = try await store.record(id: current.recordID) else {
            try await auditMiss(.readSummary, by: actor, detail: "summary item \(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        let decision = AccessPolicy.decideSummary(.read, kind: current.kind, by: actor, in: context, current: current, first: versions.first)
        // Only what the professional could see on an active record is said to be in a closed one (issue 24.5).
        let document = current.asPolicyDocument(firstAuthorID: versions.first?.authorID ?? current.authorID)
        try await enforce(decision, .readSummary, by: actor, record: record, resources: [Self.reference(current)],
                          concealing: AccessPolicy.refusalConceals(decision, .readDocument, by: actor, in: context, document: document))
        return (versions, record, decision)
    }

    /// The current version of an item the actor may change, checked against `expectedVersion`.
    private func changeable(_ id: SummaryEntryID, as resourceType: String, _ operation: SummaryOperation, expectedVersion: Int?,
                            by actor: Actor) async throws -> (SummaryEntry, SummaryEntry, DocumentAccessContext, Decision) {
        let versions = try await store.summaryEntryVersions(id: id)
        guard let current = versions.last, current.kind.resourceType == resourceType, let first = versions.first, let record = try await store.record(id: current.recordID) else {
            try await auditMiss(.writeSummary, by: actor, detail: "summary item \(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        // Who may not see the item is told it does not exist, as for a read.
        let read = AccessPolicy.decideSummary(.read, kind: current.kind, by: actor, in: context, current: current, first: first)
        try await enforce(read, .writeSummary, by: actor, record: record, resources: [Self.reference(current)],
                          concealing: AccessPolicy.refusalConceals(read, .readDocument, by: actor, in: context,
                                                                   document: current.asPolicyDocument(firstAuthorID: first.authorID)))
        let decision = AccessPolicy.decideSummary(operation, kind: current.kind, by: actor, in: context, current: current, first: first)
        try await enforce(decision, .writeSummary, by: actor, record: record, resources: [Self.reference(current)], concealing: false)
        if current.deleted { throw SummaryItemError.deleted(current) }
        if let expectedVersion, expectedVersion != current.version { throw SummaryItemError.versionMismatch(current: current.version) }
        return (current, first, context, decision)
    }

    /// A version's visibility: the item's (versions keep it), plus, for what a professional records in
    /// a minor's secret connection, invisibility to the legal representatives — as for the documents
    /// they add there (issue 24.1).
    static func visibility(recordedBy actor: Actor, keeping current: DocumentVisibility) -> DocumentVisibility {
        var visibility = current
        if actor.secretConnection && actor.professional != nil { visibility.invisibleToLegalRepresentatives = true }
        return visibility
    }

    private func writeAudit(_ entry: SummaryEntry, by actor: Actor, _ decision: Decision, detail: String) -> AuditEvent {
        AuditEvent(recordID: entry.recordID, recordedAt: entry.recordedAt, actor: actor, action: .writeSummary,
                   resources: [Self.reference(entry)], outcome: .success, rule: decision.rule, detail: "\(detail), version \(entry.version)")
    }

    static func reference(_ entry: SummaryEntry) -> String { "\(entry.kind.resourceType)/\(entry.id)" }
}

/// A summary request that cannot be honoured as sent (the FHIR layer maps these to 4xx).
public enum SummaryItemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The item was deleted (FHIR: 410 Gone).
    case deleted(SummaryEntry)
    /// An update would turn an item into another kind (a directive into an organ-donation stance).
    case kindChanged(from: SummaryKind, to: SummaryKind)
    /// An update names another patient than the item's.
    case patientChanged
    /// `If-Match` named a version that is no longer current (FHIR: 412).
    case versionMismatch(current: Int)

    public var description: String {
        switch self {
        case .deleted(let entry): "\(entry.kind.resourceType)/\(entry.id) was deleted"
        case .kindChanged(let from, let to): "an item keeps its kind: this one is \(from.rawValue), not \(to.rawValue)"
        case .patientChanged: "an item stays in its patient's record: the patient reference cannot change"
        case .versionMismatch(let current): "the item has changed since: its current version is \(current)"
        }
    }
}
