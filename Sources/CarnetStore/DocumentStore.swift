public import CarnetCore
public import Foundation
import CarnetJSON

/// Where document metadata lives: the same engines as records, keyed by the record (patient) id.
///
/// Content bytes are in a ``BlobStore``; an entry here points at them by SHA-256. Searches are always
/// scoped to one record (ITI-67 names a patient): engines narrow a record's entries by status and date
/// with an index and return their index columns; the access policy and the rest of ``DocumentQuery``
/// then run in memory, identically for both engines, and only the page's entries are decoded whole.
public protocol DocumentStore: Sendable {
    /// Adds every entry, supersedes the versions they replace (each read at its current metadata
    /// version), and appends the audit events, all in one transaction: a submission set is stored
    /// whole or not at all (IHE MHD ITI-65).
    ///
    /// The submission set, when given, is stored in the same transaction.
    ///
    /// - Throws: ``StoreError/duplicateDocument`` when a record already has a document with the same
    ///   unique id (``StoreError/duplicateSubmissionSet`` for the set); ``StoreError/versionConflict``
    ///   when a superseded entry changed meanwhile.
    func addDocuments(_ additions: [DocumentAddition], submissionSet: SubmissionSet?, audits: [AuditEvent]) async throws

    /// Saves a metadata change (status, visibility…) if the stored metadata version is
    /// `entry.metadataVersion - 1`, with its audit event.
    func updateDocument(_ entry: DocumentEntry, audit: AuditEvent) async throws

    /// Saves several metadata changes and their audit events in one transaction, each entry checked
    /// as ``updateDocument(_:audit:)`` checks it: all are saved or none (ITI-57's several changes).
    ///
    /// - Throws: ``StoreError/versionConflict`` when any entry changed meanwhile; nothing is saved then.
    func updateDocuments(_ entries: [DocumentEntry], audits: [AuditEvent]) async throws

    /// One entry by id, in any status.
    func document(id: DocumentID) async throws -> DocumentEntry?

    /// Every entry (all statuses and versions) of a record, newest document date first.
    func documents(recordID: RecordID) async throws -> [DocumentEntry]

    /// A record's entries in one of `statuses` whose date is in [`from`, `until`), as their index
    /// columns, by date (newest first unless `newestFirst` is false, then by id): what a search decides
    /// and pages on before it loads the page's entries whole.
    ///
    /// - Parameter narrowing: what else the engine narrows by (author text, full-text terms, recorded
    ///   since), see ``DocumentNarrowing``.
    func documentIndex(recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, narrowing: DocumentNarrowing,
                       newestFirst: Bool) async throws -> [DocumentIndexEntry]

    /// The record's entries with these ids, in the order given; ids not in the record are left out.
    func documents(recordID: RecordID, ids: [DocumentID]) async throws -> [DocumentEntry]

    /// The entries (any status) whose producer's unique id is `uniqueID`: PDSm names a document by it
    /// in conditional patches. Within `recordID` when given (at most one: the id is unique in a record),
    /// otherwise in any record, at most `limit` of them: the caller decides which it may see, and asks
    /// for the record to be named when more match than it can decide on.
    func documents(uniqueID: String, recordID: RecordID?, limit: Int) async throws -> [DocumentEntry]

    /// The record's entries (any status) whose content has this SHA-256, oldest recorded first: what a
    /// push compares itself with to recognise an exact re-push (issue 18). Served by
    /// `documents_by_record_content`.
    func documents(recordID: RecordID, contentSHA256: String) async throws -> [DocumentEntry]

    /// Every metadata version of one entry, oldest first (`_history`); empty for an unknown id.
    func documentVersions(id: DocumentID) async throws -> [DocumentEntry]

    /// A record's submission sets, newest first.
    func submissionSets(recordID: RecordID) async throws -> [SubmissionSet]

    /// The submitter's set with this unique id in the record (unique per submitter and record), if any:
    /// one indexed read for a push that names its set, whatever the number of the record's sets.
    func submissionSet(recordID: RecordID, submitterID: String, uniqueID: String) async throws -> SubmissionSet?
}

/// What ``RecordStore/documentSearch(recordID:statuses:from:until:authorText:newestFirst:choose:)`` read, and
/// what its caller concluded from it.
public struct DocumentSearchRead<Conclusion: Sendable>: Sendable {
    public var record: HealthRecord
    public var controls: AccessControls
    /// The entries chosen, in the order chosen.
    public var entries: [DocumentEntry]
    public var conclusion: Conclusion
    /// The reader's previous access when the narrowing asked for it (``DocumentNarrowing/lastAccess``);
    /// `nil` when it did not, or when the reader never came.
    public var lastAccess: Date?

    public init(record: HealthRecord, controls: AccessControls, entries: [DocumentEntry], conclusion: Conclusion, lastAccess: Date? = nil) {
        self.record = record
        self.controls = controls
        self.entries = entries
        self.conclusion = conclusion
        self.lastAccess = lastAccess
    }
}

extension DocumentStore {
    /// Adds entries without a submission set (a plain `POST DocumentReference`, ITI-105).
    public func addDocuments(_ additions: [DocumentAddition], audits: [AuditEvent]) async throws {
        try await addDocuments(additions, submissionSet: nil, audits: audits)
    }

    /// Adds one entry (superseding `superseding`, if given) with its audit event, in one transaction.
    public func addDocument(_ entry: DocumentEntry, superseding: DocumentEntry?, audit: AuditEvent) async throws {
        try await addDocuments([DocumentAddition(entry: entry, superseding: superseding)], audits: [audit])
    }
}

/// One document of a submission: the new entry and the version it supersedes, if any (already
/// moved to status superseded, its metadata version bumped).
public struct DocumentAddition: Sendable, Equatable {
    public var entry: DocumentEntry
    public var superseding: DocumentEntry?
    /// The entry's full-text index text (``FrenchText/indexText(_:limit:)`` terms), kept in the engine's
    /// text index beside it; `nil` or empty: not indexed.
    public var searchText: String?

    public init(entry: DocumentEntry, superseding: DocumentEntry?, searchText: String? = nil) {
        self.entry = entry
        self.superseding = superseding
        self.searchText = searchText
    }
}

/// What a document search narrows a record's index by in the engine, besides status and date, so
/// that what the access policy then decides on, counts and pages is already only what matches.
public struct DocumentNarrowing: Sendable, Hashable {
    /// Folded (``DocumentQuery/folded(_:)``): only entries whose ``DocumentEntry/authorSearchText`` contains it.
    public var authorText: String?
    /// ``FrenchText`` terms, every one of which the entry's text index must hold (`_content`, `_text`);
    /// empty: no full-text condition.
    public var textTerms: [String]
    /// Only entries recorded (added to Carnet, a replacement included) at or after this instant: what is
    /// new since the reader's last access.
    public var recordedSince: Date?
    /// The reader's previous access, to be read in the search's own read (``DocumentSearchRead/lastAccess``)
    /// rather than in a trip of its own before it; `nil`: not wanted.
    public var lastAccess: LastAccessLookup?

    public init(authorText: String? = nil, textTerms: [String] = [], recordedSince: Date? = nil, lastAccess: LastAccessLookup? = nil) {
        self.authorText = authorText
        self.textTerms = textTerms
        self.recordedSince = recordedSince
        self.lastAccess = lastAccess
    }

    /// This narrowing once the reader's previous access is known: when the lookup narrows, only what was
    /// recorded at or after it (everything when the reader never came), within any ``recordedSince`` already set.
    public func resolved(lastAccess: Date?) -> DocumentNarrowing {
        guard let lookup = self.lastAccess, lookup.narrows else { return self }
        var narrowed = self
        let since = lastAccess ?? .distantPast
        narrowed.recordedSince = recordedSince.map { max($0, since) } ?? since
        return narrowed
    }
}

/// A reader's previous access to a record as a search reads it: the newest audit event `filter` matches.
///
/// Every search and `$summary` asks for it (what is new to the reader, issue 18). Read in the same trip as
/// the search's record, controls and index, a search is one read instead of two (issue 20: one
/// transaction on SQLite, one connection checkout on PostgreSQL).
public struct LastAccessLookup: Sendable, Hashable {
    public var filter: AuditFilter
    /// Whether the search wants only entries recorded at or after that access (`new-since-last-access`).
    public var narrows: Bool

    public init(filter: AuditFilter, narrows: Bool) {
        self.filter = filter
        self.narrows = narrows
    }
}

/// A document entry as plain columns: the searchable few (``DocumentIndexEntry``'s), plus the whole
/// entry as JSON.
public struct DocumentRow: Sendable, Equatable {
    public var recordID: UUID
    public var id: UUID
    public var uniqueID: String
    public var lineageID: UUID
    public var status: String
    public var dateMilliseconds: Int64
    public var typeSystem: String?
    public var typeCode: String
    public var submitterID: String
    public var recordedAtMilliseconds: Int64
    public var visibilityFlags: Int
    public var confidentiality: String
    public var metadataJSON: String
    public var metadataVersion: Int
    /// ``DocumentEntry/authorSearchText``: what an author filter searches.
    public var authorSearch: String
    /// The content's SHA-256 (`content_sha256`, migration 020): finds a re-push and folds duplicates (issue 18).
    public var contentSHA256: String
    /// ``DocumentEntry/submissionKey`` (`submission_key`, migration 020): duplicates fold across submissions only.
    public var submissionKey: String

    public init(_ entry: DocumentEntry) throws {
        recordID = entry.recordID.rawValue
        id = entry.id.rawValue
        uniqueID = entry.uniqueID
        lineageID = entry.lineageID
        status = entry.status.rawValue
        dateMilliseconds = StoredForms.milliseconds(entry.date)
        typeSystem = entry.type.system
        typeCode = entry.type.code
        submitterID = entry.submitterID
        recordedAtMilliseconds = StoredForms.milliseconds(entry.recordedAt)
        visibilityFlags = StoredForms.flags(entry.visibility)
        confidentiality = entry.visibility.confidentiality.rawValue
        metadataJSON = entry.storedJSON()
        metadataVersion = entry.metadataVersion
        authorSearch = entry.authorSearchText
        contentSHA256 = entry.content.sha256
        submissionKey = entry.submissionKey
    }

    public func entry() throws -> DocumentEntry {
        try StoredForms.documentEntry(from: metadataJSON)
    }
}

extension StoredForms {
    /// A document's visibility labels as bits of one integer column (the confidentiality has its own).
    public static func flags(_ visibility: DocumentVisibility) -> Int {
        (visibility.maskedToProfessionals ? 1 : 0) | (visibility.invisibleToPatient ? 2 : 0)
            | (visibility.invisibleToLegalRepresentatives ? 4 : 0) | (visibility.maskedToSocialProfessionals ? 8 : 0)
            | (visibility.maskedToThirdParties ? 16 : 0)
    }

    /// The visibility labels of ``flags(_:)``, without the confidentiality (left normal).
    public static func visibility(flags visibilityFlags: Int) -> DocumentVisibility {
        DocumentVisibility(maskedToProfessionals: visibilityFlags & 1 != 0, invisibleToPatient: visibilityFlags & 2 != 0,
                           invisibleToLegalRepresentatives: visibilityFlags & 4 != 0, maskedToSocialProfessionals: visibilityFlags & 8 != 0,
                           maskedToThirdParties: visibilityFlags & 16 != 0)
    }

    /// The document an addition's audit event names first (`DocumentReference/<id>`), for the
    /// notification it may call for.
    public static func addedDocumentID(_ event: AuditEvent) -> UUID? {
        guard event.action == .createDocument, let first = event.resources.first, first.hasPrefix("DocumentReference/") else { return nil }
        return UUID(text: first.dropFirst("DocumentReference/".count))
    }

    /// Rebuilds an index entry from its stored columns.
    public static func documentIndexEntry(id: UUID, status: String, dateMilliseconds: Int64, typeSystem: String?, typeCode: String,
                                          submitterID: String, recordedAtMilliseconds: Int64, visibilityFlags: Int,
                                          confidentiality: String, contentSHA256: String, submissionKey: String) throws -> DocumentIndexEntry {
        let visibility = DocumentVisibility(
            maskedToProfessionals: visibilityFlags & 1 != 0, invisibleToPatient: visibilityFlags & 2 != 0,
            invisibleToLegalRepresentatives: visibilityFlags & 4 != 0, maskedToSocialProfessionals: visibilityFlags & 8 != 0,
            maskedToThirdParties: visibilityFlags & 16 != 0, confidentiality: try enumValue(Confidentiality.self, confidentiality))
        return DocumentIndexEntry(id: DocumentID(id), status: try enumValue(DocumentStatus.self, status),
                                  date: date(milliseconds: dateMilliseconds), type: Code(system: typeSystem, code: typeCode),
                                  submitterID: submitterID, recordedAt: date(milliseconds: recordedAtMilliseconds), visibility: visibility,
                                  contentSHA256: contentSHA256, submissionKey: submissionKey)
    }
}

/// A submission set as plain columns: its keys, plus the whole set as JSON.
public struct SubmissionSetRow: Sendable, Equatable {
    public var recordID: UUID
    public var id: UUID
    public var uniqueID: String
    /// A set's unique id is unique per submitter within a record: another submitter's set never
    /// collides, so a push can never learn that a set it may not see uses an id (issue 23.6).
    public var submitterID: String
    public var submittedAtMilliseconds: Int64
    public var setJSON: String

    public init(_ set: SubmissionSet) throws {
        recordID = set.recordID.rawValue
        id = set.id.rawValue
        uniqueID = set.uniqueID
        submitterID = set.submitterID
        submittedAtMilliseconds = StoredForms.milliseconds(set.submittedAt)
        setJSON = try StoredForms.encodeJSON(set)
    }
}

extension DocumentStore {
    /// A record's index entries with no author filter.
    public func documentIndex(recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?,
                              newestFirst: Bool) async throws -> [DocumentIndexEntry] {
        try await documentIndex(recordID: recordID, statuses: statuses, from: from, until: until, narrowing: DocumentNarrowing(),
                                newestFirst: newestFirst)
    }

    /// A record's index entries narrowed by author text only.
    public func documentIndex(recordID: RecordID, statuses: Set<DocumentStatus>, from: Date?, until: Date?, authorText: String?,
                              newestFirst: Bool) async throws -> [DocumentIndexEntry] {
        try await documentIndex(recordID: recordID, statuses: statuses, from: from, until: until,
                                narrowing: DocumentNarrowing(authorText: authorText), newestFirst: newestFirst)
    }
}
