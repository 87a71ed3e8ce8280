public import Foundation

/// A summary item's identifier (the FHIR resource id).
public typealias SummaryEntryID = EntityID<SummaryEntry>

/// One version of one item of the patient's structured summary: an allergy, a condition, a treatment,
/// a vaccination, an observation, a contact, a directive or the organ-donation stance.
///
/// The clinical content is the FHIR resource the author sent (`resource`, JSON without `id` or `meta`,
/// which the service owns); the columns beside it are what the policy, the searches and the history
/// need without parsing it. Items are versioned like documents: a change adds a version, a deletion
/// is a version marked deleted, and nothing is ever overwritten.
public struct SummaryEntry: Sendable, Equatable, Codable {
    public var id: SummaryEntryID
    public var recordID: RecordID
    public var kind: SummaryKind
    /// 1 for the first version; each change adds one.
    public var version: Int
    /// The item's status as FHIR states it (`active`, `resolved`, `completed`, `final`, …).
    public var status: String
    /// The main code (allergen, condition, medicine, vaccine, observation, relationship), when coded.
    public var code: Code?
    /// The clinically relevant date (onset, occurrence, effective time), for date searches.
    public var date: Date?
    /// Who recorded this version: an RPPS for a professional, the INS of the patient or their representative.
    public var authorID: String
    /// Whether the patient side (the holder or a legal representative) recorded this version.
    public var recordedByPatient: Bool
    /// A deletion (FHIR DELETE): the item is gone from reads and searches, kept in its history.
    public var deleted: Bool
    public var recordedAt: Date
    /// The FHIR resource as JSON, without `id` and `meta`.
    public var resource: Data
    /// Who may not see the item, as for a document: an item a professional records in a minor's secret
    /// connection is invisible to the legal representatives, and every later version keeps it so
    /// (issue 24.1: the summary follows the documents' visibility).
    public var visibility: DocumentVisibility

    public init(id: SummaryEntryID = SummaryEntryID(), recordID: RecordID, kind: SummaryKind, version: Int = 1, status: String, code: Code?,
                date: Date?, authorID: String, recordedByPatient: Bool, deleted: Bool = false, recordedAt: Date, resource: Data,
                visibility: DocumentVisibility = DocumentVisibility()) {
        self.id = id
        self.recordID = recordID
        self.kind = kind
        self.version = version
        self.status = status
        self.code = code
        self.date = date
        self.authorID = authorID
        self.recordedByPatient = recordedByPatient
        self.deleted = deleted
        self.recordedAt = recordedAt
        self.resource = resource
        self.visibility = visibility
    }

    /// The item as the document the policy reasons about: its section's type, authored by whoever
    /// recorded the first version (an author keeps their own items, as with documents).
    public func asPolicyDocument(firstAuthorID: String) -> DocumentEntry {
        DocumentEntry(recordID: recordID, uniqueID: "summary:\(id)", type: kind.documentType,
                      category: Code(system: SummaryKind.tre_a05, code: "SUMMARY"), submitterID: firstAuthorID, date: recordedAt,
                      recordedAt: recordedAt, visibility: visibility,
                      content: DocumentContent(contentType: "application/fhir+json", language: "fr-FR", size: resource.count, sha256: "",
                                               sha1Base64: "", keyID: ""))
    }
}

/// What the service asks of a summary search: the kinds, and FHIR's usual date, code and status filters.
public struct SummaryQuery: Sendable, Equatable {
    public var kinds: Set<SummaryKind>
    public var dates: [DateCondition]
    /// Codes to match (any of them); a `nil` system matches the code in any system.
    public var codes: [Code]
    public var statuses: Set<String>

    public init(kinds: Set<SummaryKind>, dates: [DateCondition] = [], codes: [Code] = [], statuses: Set<String> = []) {
        self.kinds = kinds
        self.dates = dates
        self.codes = codes
        self.statuses = statuses
    }

    public func matches(_ entry: SummaryEntry) -> Bool {
        guard kinds.contains(entry.kind), !entry.deleted else { return false }
        if !statuses.isEmpty && !statuses.contains(entry.status) { return false }
        if !codes.isEmpty {
            guard let code = entry.code, codes.contains(where: { ($0.system == nil || $0.system == code.system) && $0.code == code.code }) else { return false }
        }
        if !dates.isEmpty {
            guard let date = entry.date, dates.allSatisfy({ $0.holds(for: date) }) else { return false }
        }
        return true
    }
}

/// What a writer sends for a summary item: the FHIR layer's reading of the resource, and the resource
/// itself. The service adds who recorded it, when, and the version.
public struct SummaryItem: Sendable, Equatable {
    public var kind: SummaryKind
    public var recordID: RecordID
    public var status: String
    public var code: Code?
    public var date: Date?
    /// The FHIR resource as JSON, without `id` and `meta`.
    public var resource: Data

    public init(kind: SummaryKind, recordID: RecordID, status: String, code: Code?, date: Date?, resource: Data) {
        self.kind = kind
        self.recordID = recordID
        self.status = status
        self.code = code
        self.date = date
        self.resource = resource
    }
}
