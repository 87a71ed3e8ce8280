public import Foundation

/// What a submitter says about a new document, before Carnet stores it: the metadata of a
/// `DocumentReference` without the parts Carnet assigns (ids, status, content address, times).
public struct DocumentDraft: Hashable, Sendable {
    /// The producer's unique id; Carnet assigns `urn:uuid:<entry id>` when the submitter sends none
    /// (PDSm's own TD2.1 example has no masterIdentifier).
    public var uniqueID: String?
    public var type: Code
    public var category: Code?
    public var title: String?
    public var comment: String?
    public var authors: [DocumentAuthor]
    /// When the document was written; Carnet's clock when the submitter gives none.
    public var date: Date?
    public var servicePeriod: DatePeriod?
    public var facilityType: Code?
    public var practiceSetting: Code?
    public var events: [Code]
    public var format: Code?
    public var visibility: DocumentVisibility
    public var otherLabels: [Code]
    public var contentType: String
    public var language: String?
    public var contentTitle: String?
    /// The entry this document replaces (`relatesTo.code = replaces`, DMP TD2.1).
    public var replaces: DocumentID?
    /// The sender's elements Carnet keeps without reading them (contained resources, legal
    /// authenticator, …): a JSON object, checked and bounded by the FHIR layer, served back as sent.
    public var keptElements: String?
    /// Links to other documents of the record (`appends`, `transforms`, `signs`).
    public var relations: [DocumentRelation] = []
    /// Where each of ``relations`` was said (`Bundle.entry[2].resource.relatesTo[1].target`), named when its target is refused.
    public var relationPaths: [String] = []
    /// The id the entry will have, when it had to be named before it was stored: a document of an
    /// ITI-65 transaction that another of the same submission relates to (by its `urn:uuid` fullUrl).
    /// Fresh, never a client's; `nil` lets the service choose.
    public var id: DocumentID?
    /// What the content's own header says, when it is a CDA R2 document: checked against this draft
    /// and filling what it left out before it is stored (``CDAHeaderCheck``, issue 18).
    public var cdaHeader: CDAHeader?

    public init(uniqueID: String?, type: Code, category: Code? = nil, title: String? = nil, comment: String? = nil,
                authors: [DocumentAuthor] = [], date: Date? = nil, servicePeriod: DatePeriod? = nil, facilityType: Code? = nil,
                practiceSetting: Code? = nil, events: [Code] = [], format: Code? = nil, visibility: DocumentVisibility = DocumentVisibility(),
                otherLabels: [Code] = [], contentType: String, language: String? = nil, contentTitle: String? = nil,
                replaces: DocumentID? = nil, keptElements: String? = nil) {
        self.uniqueID = uniqueID
        self.type = type
        self.category = category
        self.title = title
        self.comment = comment
        self.authors = authors
        self.date = date
        self.servicePeriod = servicePeriod
        self.facilityType = facilityType
        self.practiceSetting = practiceSetting
        self.events = events
        self.format = format
        self.visibility = visibility
        self.otherLabels = otherLabels
        self.contentType = contentType
        self.language = language
        self.contentTitle = contentTitle
        self.replaces = replaces
        self.keptElements = keptElements
    }

    /// The media type of a content type, lower-cased, without its parameters.
    public static func mediaType(of contentType: String) -> String {
        contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// Content types Carnet accepts (issue 3): PDF, plain text, CDA R2 XML, FHIR JSON, JPEG, PNG.
    public static let acceptedContentTypes: Set<String> = [
        "application/pdf", "text/plain", "text/xml", "application/xml", "application/hl7-v3+xml", "application/fhir+json",
        "application/json", "image/jpeg", "image/png",
    ]
}
