/// The FHIR R4 `DocumentReference` as IHE MHD (and ANS's PDSm) use it: a document's metadata, with its
/// content either inline (`attachment.data`, on input) or by URL (`attachment.url`, on output).
public struct DocumentReferenceResource: Codable, Hashable, Sendable {
    public var resourceType: String
    public var id: String?
    public var meta: Meta?
    /// Contained resources: PDSm puts the author (Practitioner, PractitionerRole, Organization) here.
    public var contained: [ContainedResource]?
    public var `extension`: [Extension]?
    /// The resource's language and narrative, kept as sent.
    public var language: String?
    public var text: JSONValue?
    public var masterIdentifier: Identifier?
    public var identifier: [Identifier]?
    public var status: String?
    /// The document's own status (preliminary, final, amended), kept as sent.
    public var docStatus: String?
    public var type: CodeableConcept?
    public var category: [CodeableConcept]?
    public var subject: Reference?
    public var date: String?
    public var author: [Reference]?
    /// The legal authenticator (XDS legalAuthenticator), kept as sent.
    public var authenticator: Reference?
    public var description: String?
    public var securityLabel: [CodeableConcept]?
    public var content: [Content]?
    public var context: Context?
    public var relatesTo: [RelatesTo]?

    public init(id: String? = nil) {
        resourceType = "DocumentReference"
        self.id = id
    }

    public struct Content: Codable, Hashable, Sendable {
        public var attachment: Attachment?
        public var format: Coding?

        public init(attachment: Attachment?, format: Coding? = nil) {
            self.attachment = attachment
            self.format = format
        }
    }

    public struct Context: Codable, Hashable, Sendable {
        /// The encounters the document belongs to, kept as sent.
        public var encounter: [Reference]?
        public var event: [CodeableConcept]?
        public var period: Period?
        public var facilityType: CodeableConcept?
        public var practiceSetting: CodeableConcept?
        /// The patient as the source system knows them (XDS sourcePatientInfo), kept as sent.
        public var sourcePatientInfo: Reference?
        /// Related identifiers and resources (XDS referenceIdList), kept as sent.
        public var related: [Reference]?

        public init(event: [CodeableConcept]? = nil, period: Period? = nil, facilityType: CodeableConcept? = nil,
                    practiceSetting: CodeableConcept? = nil, sourcePatientInfo: Reference? = nil, related: [Reference]? = nil,
                    encounter: [Reference]? = nil) {
            self.encounter = encounter
            self.event = event
            self.period = period
            self.facilityType = facilityType
            self.practiceSetting = practiceSetting
            self.sourcePatientInfo = sourcePatientInfo
            self.related = related
        }
    }

    public struct RelatesTo: Codable, Hashable, Sendable {
        public var code: String?
        public var target: Reference?

        public init(code: String?, target: Reference?) {
            self.code = code
            self.target = target
        }
    }
}

/// A contained resource, read for what references to it need (its id, identifiers and name) and
/// kept whole in ``raw``: what is written back is what was sent, never an emptied resource (R4 ele-1).
public struct ContainedResource: Codable, Hashable, Sendable {
    public var resourceType: String
    public var id: String?
    public var identifier: [Identifier]?
    public var name: ContainedName?
    /// The resource as sent, every element included.
    public var raw: JSONValue

    private enum CodingKeys: String, CodingKey { case resourceType, id, identifier, name }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resourceType = try container.decode(String.self, forKey: .resourceType)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        identifier = try? container.decodeIfPresent([Identifier].self, forKey: .identifier)
        name = try? container.decodeIfPresent(ContainedName.self, forKey: .name)
        raw = try JSONValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws { try raw.encode(to: encoder) }

    /// `name` is a list of HumanName on a Practitioner and a string on an Organization.
    public enum ContainedName: Codable, Hashable, Sendable {
        case text(String)
        case human([HumanName])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .text(text) } else { self = .human(try container.decode([HumanName].self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .human(let names): try container.encode(names)
            }
        }

        var display: String? {
            switch self {
            case .text(let text): text
            case .human(let names): names.first.map { ([$0.given?.joined(separator: " "), $0.family].compactMap { $0 }).joined(separator: " ") }
            }
        }
    }
}

/// FHIR `Attachment`.
public struct Attachment: Codable, Hashable, Sendable {
    public var contentType: String?
    public var language: String?
    /// Base64 content, on input.
    public var data: String?
    public var url: String?
    public var size: Int?
    /// Base64 SHA-1 of the content (FHIR R4).
    public var hash: String?
    public var title: String?
    public var creation: String?

    public init(contentType: String? = nil, language: String? = nil, data: String? = nil, url: String? = nil, size: Int? = nil,
                hash: String? = nil, title: String? = nil, creation: String? = nil) {
        self.contentType = contentType
        self.language = language
        self.data = data
        self.url = url
        self.size = size
        self.hash = hash
        self.title = title
        self.creation = creation
    }
}

/// FHIR `Reference`.
public struct Reference: Codable, Hashable, Sendable {
    public var reference: String?
    public var type: String?
    public var identifier: Identifier?
    public var display: String?

    public init(reference: String? = nil, type: String? = nil, identifier: Identifier? = nil, display: String? = nil) {
        self.reference = reference
        self.type = type
        self.identifier = identifier
        self.display = display
    }
}

/// FHIR `Period`.
public struct Period: Codable, Hashable, Sendable {
    public var start: String?
    public var end: String?

    public init(start: String? = nil, end: String? = nil) {
        self.start = start
        self.end = end
    }
}
