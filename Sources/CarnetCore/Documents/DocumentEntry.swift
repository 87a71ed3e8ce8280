public import Foundation

/// One version of a document in a record, with the XDS/MHD metadata DOMAIN.md lists.
///
/// The content itself lives in the blob store; the entry keeps its address (SHA-256), size and the
/// SHA-1 that FHIR R4's `attachment.hash` carries. Versions of one document share a ``lineageID``;
/// replacing a document creates a new entry and supersedes the old one (ARCHITECTURE.md, invariant 4).
public struct DocumentEntry: Hashable, Sendable, Codable, Identifiable {
    public let id: DocumentID
    public let recordID: RecordID
    /// The producer's unique id of this document (`masterIdentifier`, XDS uniqueId).
    public var uniqueID: String
    /// Shared by every version of the same document.
    public var lineageID: UUID
    /// The entry this one replaces, if any.
    public var replaces: DocumentID?
    public var status: DocumentStatus
    public var type: Code
    public var category: Code?
    public var title: String?
    public var comment: String?
    public var authors: [DocumentAuthor]
    /// The actor who pushed it (INS, RPPS or staff id): the one who may later delete it as its author.
    public var submitterID: String
    /// When the document was written (`DocumentReference.date`, XDS creationTime).
    public var date: Date
    /// When Carnet recorded it.
    public var recordedAt: Date
    public var servicePeriod: DatePeriod?
    public var facilityType: Code?
    public var practiceSetting: Code?
    public var events: [Code]
    public var format: Code?
    public var visibility: DocumentVisibility
    /// Security labels from other systems, kept as sent.
    public var otherLabels: [Code]
    public var content: DocumentContent
    /// Counts metadata changes from 1; each version is kept (`_history`).
    public var metadataVersion: Int
    /// When this metadata version was recorded; `nil` for the first (then ``recordedAt``).
    public var lastUpdated: Date?
    /// The sender's elements Carnet keeps as sent without reading them (``DocumentDraft/keptElements``):
    /// a JSON object, so nothing a sender sends is lost; absent from rows written before.
    public var keptElements: String?
    /// Links to other documents other than replacement (``DocumentRelation``); absent when none, and from rows written before.
    public var relations: [DocumentRelation]?
    /// The submission that stored it (one push: a `POST DocumentReference` or one ITI-65 transaction), so
    /// that documents with the same content are folded only when they came in different submissions
    /// (issue 18); absent from rows written before, whose submission is told by submitter and time
    /// (``submissionKey``).
    public var submissionID: String?
    /// The other documents of the record with the same content, from other submissions, that a search
    /// folded into this one for its reader (issue 18: "shown once, with their several submissions
    /// listed"). Decided per reader and per search, among what that reader may see; never stored.
    public var foldedDuplicates: [FoldedDuplicate]?

    public init(id: DocumentID = DocumentID(), recordID: RecordID, uniqueID: String, lineageID: UUID = UUID(), replaces: DocumentID? = nil,
                status: DocumentStatus = .current, type: Code, category: Code? = nil, title: String? = nil, comment: String? = nil,
                authors: [DocumentAuthor] = [], submitterID: String, date: Date, recordedAt: Date, servicePeriod: DatePeriod? = nil,
                facilityType: Code? = nil, practiceSetting: Code? = nil, events: [Code] = [], format: Code? = nil,
                visibility: DocumentVisibility = DocumentVisibility(), otherLabels: [Code] = [], content: DocumentContent,
                metadataVersion: Int = 1) {
        self.id = id
        self.recordID = recordID
        self.uniqueID = uniqueID
        self.lineageID = lineageID
        self.replaces = replaces
        self.status = status
        self.type = type
        self.category = category
        self.title = title
        self.comment = comment
        self.authors = authors
        self.submitterID = submitterID
        self.date = date
        self.recordedAt = recordedAt
        self.servicePeriod = servicePeriod
        self.facilityType = facilityType
        self.practiceSetting = practiceSetting
        self.events = events
        self.format = format
        self.visibility = visibility
        self.otherLabels = otherLabels
        self.content = content
        self.metadataVersion = metadataVersion
    }

    /// The submission that stored the entry: ``submissionID``, or for entries written before it was
    /// kept, the submitter and the millisecond of recording — one push records all its documents at once.
    public var submissionKey: String {
        submissionID ?? "\(submitterID)@\(Int64((recordedAt.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// Starts the next metadata version, recorded at `date`.
    public mutating func beginNextVersion(at date: Date) {
        metadataVersion += 1
        lastUpdated = date
    }
}

/// A coded value: system, code, optional display (FHIR `Coding`).
public struct Code: Hashable, Sendable, Codable {
    public var system: String?
    public var code: String
    public var display: String?

    public init(system: String?, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }

    /// Whether this code matches a FHIR token search value (`code`, `system|code`, `|code` or `system|`).
    public func matches(token: String) -> Bool {
        guard let bar = token.firstIndex(of: "|") else { return code == token }
        let system = String(token[..<bar])
        let code = String(token[token.index(after: bar)...])
        if !code.isEmpty && code != self.code { return false }
        // `|code` means a code with no system; `system|` any code of that system.
        return system.isEmpty ? self.system == nil : self.system == system
    }
}

/// Who wrote the document: a professional and/or an organisation, as identified on the wire.
public struct DocumentAuthor: Hashable, Sendable, Codable {
    /// e.g. `urn:oid:1.2.250.1.71.4.2.1` with `8` + RPPS for a professional.
    public var identifierSystem: String?
    public var identifierValue: String?
    public var display: String?
    public var reference: String?
    /// The author's role in writing the document (XDS `authorRole`, MHD's PractitionerRole `code`).
    public var role: Code?
    /// The author's profession and specialty (XDS `authorSpecialty`, the DMP's G15/R01 codes such as
    /// `G15_10/SM54`; MHD's PractitionerRole `specialty`). Kept so the two doors give the same author.
    public var specialty: Code?

    public init(identifierSystem: String? = nil, identifierValue: String? = nil, display: String? = nil, reference: String? = nil,
                role: Code? = nil, specialty: Code? = nil) {
        self.identifierSystem = identifierSystem
        self.identifierValue = identifierValue
        self.display = display
        self.reference = reference
        self.role = role
        self.specialty = specialty
    }
}

/// A period with optional ends (FHIR `Period`), e.g. the service period of a stay.
public struct DatePeriod: Hashable, Sendable, Codable {
    public var start: Date?
    public var end: Date?

    public init(start: Date?, end: Date?) {
        self.start = start
        self.end = end
    }
}

/// Where a document's bytes are and how to check them.
public struct DocumentContent: Hashable, Sendable, Codable {
    public var contentType: String
    public var language: String?
    public var size: Int
    /// Lowercase hex SHA-256 of the bytes: the content address inside Carnet.
    public var sha256: String
    /// Base64 SHA-1 of the bytes, as FHIR R4 `attachment.hash` defines it.
    public var sha1Base64: String
    /// The data key that encrypted the bytes at rest.
    public var keyID: String
    public var title: String?

    public init(contentType: String, language: String?, size: Int, sha256: String, sha1Base64: String, keyID: String, title: String? = nil) {
        self.contentType = contentType
        self.language = language
        self.size = size
        self.sha256 = sha256
        self.sha1Base64 = sha1Base64
        self.keyID = keyID
        self.title = title
    }
}
