public import CarnetCore
public import Foundation

/// Where records, their documents' metadata and their audit trail live, stated in domain terms.
///
/// Each write method is one transaction that preserves an invariant: a record change and the audit
/// event describing it are committed together or not at all (ARCHITECTURE.md, invariants 1 and 3).
/// A method returns only once the transaction is durable.
///
/// Two engines implement it, SQLite (the embedded default) and PostgreSQL (at scale), and one
/// conformance suite proves they behave the same. Every table is keyed by the record id, the
/// patient key a distributed PostgreSQL shards on.
///
/// - Important: implementations do no access control. Only `RecordService` calls a store for health
///   data, after the policy has decided.
public protocol RecordStore: DocumentStore, AccessControlStore, AuditChainReader, NotificationOutbox, ClaimStore, SummaryStore, ImportJobStore,
                             DirectoryStore, PortalStateStore {
    /// Creates `record` unless a record already exists for the same INS system and value, and appends
    /// `audit` (re-pointed at whichever record wins) in the same transaction; a new record starts
    /// with `controls` when given (a professional who creates it is authorised by that act).
    ///
    /// Two concurrent creations for the same INS produce one record: the loser gets `.existing`.
    func createRecord(_ record: HealthRecord, controls: AccessControls?, audit: AuditEvent) async throws -> RecordCreation

    /// The record with this id, in whatever state.
    func record(id: RecordID) async throws -> HealthRecord?

    /// The record for this INS (system and value), in whatever state.
    func record(ins: INS) async throws -> HealthRecord?

    /// A record and its access controls, what a record-level decision reads, in one trip to the engine.
    ///
    /// The same reads are made whether or not the record exists: a refusal (someone else's record) and
    /// an absence answer alike in words, and must in time too (issue 24.6).
    func recordWithControls(id: RecordID) async throws -> (record: HealthRecord, controls: AccessControls)?

    /// ``recordWithControls(id:)`` for the record of an INS, with the same constant work.
    func recordWithControls(ins: INS) async throws -> (record: HealthRecord, controls: AccessControls)?

    /// A document entry with its record and the record's access controls: what reading one document
    /// decides on, in one trip to the engine (three reads one after the other were most of a
    /// retrieve's thread hand-offs). `nil` when there is no such entry or (corrupt) no record.
    ///
    /// The same reads are made for an id that names no document, so that a document the reader may
    /// not see is not told apart from a missing one by the time its refusal takes.
    func documentWithRecord(id: DocumentID) async throws -> (entry: DocumentEntry, record: HealthRecord, controls: AccessControls)?

    /// A document search's reads in one trip to the engine: the record, its access controls, its index
    /// narrowed as `documentIndex(recordID:statuses:from:until:authorText:newestFirst:)` narrows it (after the
    /// reader's previous access, when the narrowing asks for it: ``DocumentNarrowing/lastAccess``), and the entries
    /// `choose` picks from them (it decides on the record, controls and index entries, and says what
    /// else it concluded); `nil` when there is no such record. One trip instead of four (SQLite: one
    /// read transaction; PostgreSQL: one connection): a search's reads were a large share of its cost
    /// in thread hand-offs.
    func documentSearch<Conclusion: Sendable>(
        recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, narrowing: DocumentNarrowing, newestFirst: Bool,
        choose: @escaping @Sendable (HealthRecord, AccessControls, [DocumentIndexEntry]) throws -> (ids: [DocumentID], conclusion: Conclusion)
    ) async throws -> DocumentSearchRead<Conclusion>?

    /// Saves a record whose state (or identity) changed, if nobody else changed it since it was read at
    /// `version - 1`, and appends `audit` — and adds `notifications` (besides those `audit` triggers) —
    /// in the same transaction: a contact change and the notice to the previous contact exist together.
    ///
    /// - Throws: ``StoreError/versionConflict`` when the stored version is not `record.version - 1`.
    func updateRecord(_ record: HealthRecord, audit: AuditEvent, notifying notifications: [PatientNotification]) async throws

    /// Appends an event that goes with no change (a read, a search, a refusal).
    func appendAudit(_ event: AuditEvent) async throws

    /// A record's audit trail, newest first.
    func auditEvents(recordID: RecordID, limit: Int) async throws -> [AuditEvent]

    /// One page of a record's audit trail, newest first, of the events `filter` matches (decided in
    /// the database), with the number of events it matches.
    func auditEventPage(recordID: RecordID, filter: AuditFilter, limit: Int, offset: Int) async throws -> (events: [AuditEvent], total: Int)

    /// Each actor's first event on the record that `filter` matches (its date range aside: first means
    /// first ever), for the actors whose first such event is at or after `since`; newest first.
    func firstAppearances(recordID: RecordID, matching filter: AuditFilter, since: Date) async throws -> [AuditFirstAppearance]

    /// When the newest of a record's events `filter` matches was recorded, without counting or reading
    /// the others: a reader's last access to the record, for what is new since (issue 18). Only the
    /// time, because every search and `$summary` asks it.
    func latestAuditTime(recordID: RecordID, matching filter: AuditFilter) async throws -> Date?

    /// Checks that the database answers; used by `/health`.
    func ping() async throws

    /// Releases connections. The store must not be used afterwards.
    func shutdown() async
}

extension RecordStore {
    /// A search's reads one after the other, for an engine with nothing better.
    public func documentSearch<Conclusion: Sendable>(
        recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, narrowing: DocumentNarrowing, newestFirst: Bool,
        choose: @escaping @Sendable (HealthRecord, AccessControls, [DocumentIndexEntry]) throws -> (ids: [DocumentID], conclusion: Conclusion)
    ) async throws -> DocumentSearchRead<Conclusion>? {
        guard let record = try await record(id: recordID) else { return nil }
        let controls = try await accessControls(recordID: recordID)
        var lastAccess: Date?
        if let lookup = narrowing.lastAccess { lastAccess = try await latestAuditTime(recordID: recordID, matching: lookup.filter) }
        let index = try await documentIndex(recordID: recordID, statuses: statuses, from: from, until: until,
                                            narrowing: narrowing.resolved(lastAccess: lastAccess), newestFirst: newestFirst)
        let chosen = try choose(record, controls, index)
        return DocumentSearchRead(record: record, controls: controls, entries: try await documents(recordID: recordID, ids: chosen.ids),
                                  conclusion: chosen.conclusion, lastAccess: lastAccess)
    }

    /// A search's reads with no author filter.
    public func documentSearch<Conclusion: Sendable>(
        recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, newestFirst: Bool,
        choose: @escaping @Sendable (HealthRecord, AccessControls, [DocumentIndexEntry]) throws -> (ids: [DocumentID], conclusion: Conclusion)
    ) async throws -> DocumentSearchRead<Conclusion>? {
        try await documentSearch(recordID: recordID, statuses: statuses, from: from, until: until, narrowing: DocumentNarrowing(),
                                 newestFirst: newestFirst, choose: choose)
    }

    /// A search's reads narrowed by author text only.
    public func documentSearch<Conclusion: Sendable>(
        recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, authorText: String?, newestFirst: Bool,
        choose: @escaping @Sendable (HealthRecord, AccessControls, [DocumentIndexEntry]) throws -> (ids: [DocumentID], conclusion: Conclusion)
    ) async throws -> DocumentSearchRead<Conclusion>? {
        try await documentSearch(recordID: recordID, statuses: statuses, from: from, until: until,
                                 narrowing: DocumentNarrowing(authorText: authorText), newestFirst: newestFirst, choose: choose)
    }

    /// The reads one after the other, for an engine with nothing better.
    public func documentWithRecord(id: DocumentID) async throws -> (entry: DocumentEntry, record: HealthRecord, controls: AccessControls)? {
        guard let entry = try await document(id: id), let record = try await record(id: entry.recordID) else { return nil }
        return (entry, record, try await accessControls(recordID: record.id))
    }

    /// One page of a record's audit trail, newest first, recorded within [`from`, `until`) (either
    /// end open when `nil`), with the number of events in that range.
    public func auditEventPage(recordID: RecordID, from: Date?, until: Date?, limit: Int, offset: Int) async throws -> (events: [AuditEvent], total: Int) {
        try await auditEventPage(recordID: recordID, filter: AuditFilter(from: from, until: until), limit: limit, offset: offset)
    }

    /// ``updateRecord(_:audit:notifying:)`` with only the notifications `audit` triggers.
    public func updateRecord(_ record: HealthRecord, audit: AuditEvent) async throws {
        try await updateRecord(record, audit: audit, notifying: [])
    }

    /// Creates a record with the default access controls.
    public func createRecord(_ record: HealthRecord, audit: AuditEvent) async throws -> RecordCreation {
        try await createRecord(record, controls: nil, audit: audit)
    }
}

/// What ``RecordStore/createRecord(_:controls:audit:)`` did.
public enum RecordCreation: Sendable, Equatable {
    case created(HealthRecord)
    case existing(HealthRecord)

    public var record: HealthRecord {
        switch self {
        case .created(let record), .existing(let record): record
        }
    }
}

/// Storage failures a caller can act on. Anything else is an internal error.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Someone else changed the row since it was read.
    case versionConflict
    /// Stored data no longer parses as a domain value: a bug or a corruption, never a client error.
    case corruptRow(String)
    /// The database schema is newer than this program knows.
    case schemaTooNew(detail: String)
    /// The record already holds a document with this unique id.
    case duplicateDocument(uniqueID: String)
    /// The record already holds a submission set with this unique id.
    case duplicateSubmissionSet(uniqueID: String)
    /// The store has been shut down: the application is stopping.
    case closed
    /// The database cannot be reached now, or the connection broke (a failover under way, say): the
    /// request did nothing, or nothing it can count on; trying again shortly is the answer (503).
    case unavailable(String)

    public var description: String {
        switch self {
        case .versionConflict: "the record was changed concurrently"
        case .corruptRow(let detail): "stored row does not parse: \(detail)"
        case .duplicateDocument(let uniqueID): "the record already has a document with unique id \(uniqueID)"
        case .duplicateSubmissionSet(let uniqueID): "the record already has a submission set with unique id \(uniqueID)"
        case .closed: "the database connection is closed: the service is stopping"
        case .unavailable(let detail): "the database is unavailable for now (\(detail)): try again shortly"
        case .schemaTooNew(let detail): "the database was written by a newer Carnet (\(detail)): upgrade Carnet before opening it"
        }
    }
}
