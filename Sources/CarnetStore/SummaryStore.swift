public import CarnetCore
public import Foundation

/// Where the structured summary's items live, every version kept: a change or a deletion adds a
/// version and marks it current, in one transaction with its audit event, so an item's history is
/// complete and two concurrent changes of the same version cannot both win.
public protocol SummaryStore: Sendable {
    /// Adds `entry` as its item's next version — version 1 creates the item — and appends `audit`,
    /// in one transaction.
    ///
    /// - Throws: ``StoreError/versionConflict`` when the item's current version is not
    ///   `entry.version - 1` (or, for version 1, when the item exists).
    func addSummaryVersion(_ entry: SummaryEntry, audit: AuditEvent) async throws

    /// Every version of an item, oldest first; empty when there is no such item.
    func summaryEntryVersions(id: SummaryEntryID) async throws -> [SummaryEntry]

    /// The current version of a record's items of these kinds, in the order their current versions
    /// were recorded; deleted ones (whose current version is the deletion) only when asked — the
    /// history still names them, so its reader's filter must know them too.
    func summaryEntries(recordID: RecordID, kinds: Set<SummaryKind>, includingDeleted: Bool) async throws -> [SummaryEntry]
}

extension SummaryStore {
    /// The current version of a record's items of these kinds, deleted ones left out, in the order their current versions were recorded.
    public func summaryEntries(recordID: RecordID, kinds: Set<SummaryKind>) async throws -> [SummaryEntry] {
        try await summaryEntries(recordID: recordID, kinds: kinds, includingDeleted: false)
    }
}

extension SummaryEntry {
    /// The order of ``SummaryStore/summaryEntries(recordID:kinds:)``: by when the current version was recorded, then id.
    public static func byRecordingTime(_ lhs: SummaryEntry, _ rhs: SummaryEntry) -> Bool {
        (lhs.recordedAt, lhs.id.description) < (rhs.recordedAt, rhs.id.description)
    }
}

/// A summary version as the columns both engines store: the searchable columns, the metadata as
/// JSON and the FHIR resource as JSON text (`jsonb` on PostgreSQL).
public struct SummaryRow: Sendable {
    public var recordID: String
    public var id: String
    public var version: Int
    public var kind: String
    public var metadataJSON: String
    public var resourceJSON: String

    /// The columns of a version, not its clinical content, which is ``resourceJSON``.
    struct Metadata: Codable {
        var status: String
        var code: Code?
        var date: Date?
        var authorID: String
        var recordedByPatient: Bool
        var deleted: Bool
        var recordedAt: Date
        /// Absent from versions stored before items had a visibility (they had none: visible as any item).
        var visibility: DocumentVisibility?
    }

    public init(_ entry: SummaryEntry) throws {
        recordID = entry.recordID.description
        id = entry.id.description
        version = entry.version
        kind = entry.kind.rawValue
        metadataJSON = try StoredForms.encodeJSON(Metadata(status: entry.status, code: entry.code, date: entry.date, authorID: entry.authorID,
                                                           recordedByPatient: entry.recordedByPatient, deleted: entry.deleted,
                                                           recordedAt: entry.recordedAt,
                                                           visibility: entry.visibility == DocumentVisibility() ? nil : entry.visibility))
        resourceJSON = String(decoding: entry.resource, as: UTF8.self)
    }

    public init(recordID: String, id: String, version: Int, kind: String, metadataJSON: String, resourceJSON: String) {
        self.recordID = recordID
        self.id = id
        self.version = version
        self.kind = kind
        self.metadataJSON = metadataJSON
        self.resourceJSON = resourceJSON
    }

    public func entry() throws -> SummaryEntry {
        guard let recordID = RecordID(recordID), let id = SummaryEntryID(id) else { throw StoreError.corruptRow("summary entry ids \(recordID) \(id)") }
        let metadata = try StoredForms.decodeJSON(Metadata.self, from: metadataJSON)
        return SummaryEntry(id: id, recordID: recordID, kind: try StoredForms.enumValue(SummaryKind.self, kind), version: version,
                            status: metadata.status, code: metadata.code, date: metadata.date, authorID: metadata.authorID,
                            recordedByPatient: metadata.recordedByPatient, deleted: metadata.deleted, recordedAt: metadata.recordedAt,
                            resource: Data(resourceJSON.utf8), visibility: metadata.visibility ?? DocumentVisibility())
    }
}
