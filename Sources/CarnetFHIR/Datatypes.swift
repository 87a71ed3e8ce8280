/// FHIR R4 data types, limited to the elements Carnet reads or writes. Unknown elements in input are
/// ignored (FHIR's "must-ignore" is the receiver's choice; we never echo them back).

public struct Identifier: Codable, Hashable, Sendable {
    public var use: String?
    public var type: CodeableConcept?
    public var system: String?
    public var value: String?

    public init(use: String? = nil, type: CodeableConcept? = nil, system: String? = nil, value: String? = nil) {
        self.use = use
        self.type = type
        self.system = system
        self.value = value
    }
}

public struct Coding: Codable, Hashable, Sendable {
    public var system: String?
    public var code: String?
    public var display: String?

    public init(system: String? = nil, code: String? = nil, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}

public struct CodeableConcept: Codable, Hashable, Sendable {
    public var coding: [Coding]?
    public var text: String?

    public init(coding: [Coding]? = nil, text: String? = nil) {
        self.coding = coding
        self.text = text
    }
}

public struct HumanName: Codable, Hashable, Sendable {
    public var `extension`: [Extension]?
    public var use: String?
    public var text: String?
    public var family: String?
    public var given: [String]?

    public init(extension: [Extension]? = nil, use: String? = nil, text: String? = nil, family: String? = nil, given: [String]? = nil) {
        self.extension = `extension`
        self.use = use
        self.text = text
        self.family = family
        self.given = given
    }
}

public struct Address: Codable, Hashable, Sendable {
    public var `extension`: [Extension]?
    public var city: String?
    public var postalCode: String?
    public var country: String?

    public init(extension: [Extension]? = nil, city: String? = nil, postalCode: String? = nil, country: String? = nil) {
        self.extension = `extension`
        self.city = city
        self.postalCode = postalCode
        self.country = country
    }
}

/// A FHIR extension. The value types Carnet reads are decoded; a decoded extension also keeps what
/// was sent whole in ``raw`` (any `value[x]`, `valueReference` included, and nested extensions), and
/// is written back from it, so an extension a sender sends is never cut down to the types Carnet reads.
public struct Extension: Codable, Hashable, Sendable {
    public var url: String
    public var `extension`: [Extension]?
    public var valueString: String?
    public var valueBoolean: Bool?
    public var valueCode: String?
    public var valueCoding: Coding?
    public var valueAddress: Address?
    public var valueDateTime: String?
    public var valueIdentifier: Identifier?
    public var valueCodeableConcept: CodeableConcept?
    /// The extension as sent, when it was decoded; `nil` for one Carnet builds.
    public var raw: JSONValue?

    public init(url: String, extension: [Extension]? = nil, valueString: String? = nil, valueBoolean: Bool? = nil,
                valueCode: String? = nil, valueCoding: Coding? = nil, valueAddress: Address? = nil, valueDateTime: String? = nil,
                valueIdentifier: Identifier? = nil, valueCodeableConcept: CodeableConcept? = nil) {
        self.valueIdentifier = valueIdentifier
        self.valueCodeableConcept = valueCodeableConcept
        self.url = url
        self.extension = `extension`
        self.valueString = valueString
        self.valueBoolean = valueBoolean
        self.valueCode = valueCode
        self.valueCoding = valueCoding
        self.valueAddress = valueAddress
        self.valueDateTime = valueDateTime
    }

    private enum CodingKeys: String, CodingKey {
        case url, `extension`, valueString, valueBoolean, valueCode, valueCoding, valueAddress, valueDateTime, valueIdentifier, valueCodeableConcept
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        `extension` = try container.decodeIfPresent([Extension].self, forKey: .extension)
        valueString = try container.decodeIfPresent(String.self, forKey: .valueString)
        valueBoolean = try container.decodeIfPresent(Bool.self, forKey: .valueBoolean)
        valueCode = try container.decodeIfPresent(String.self, forKey: .valueCode)
        valueCoding = try container.decodeIfPresent(Coding.self, forKey: .valueCoding)
        valueAddress = try container.decodeIfPresent(Address.self, forKey: .valueAddress)
        valueDateTime = try container.decodeIfPresent(String.self, forKey: .valueDateTime)
        valueIdentifier = try container.decodeIfPresent(Identifier.self, forKey: .valueIdentifier)
        valueCodeableConcept = try container.decodeIfPresent(CodeableConcept.self, forKey: .valueCodeableConcept)
        raw = try JSONValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        if let raw {
            try raw.encode(to: encoder)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(url, forKey: .url)
        try container.encodeIfPresent(`extension`, forKey: .extension)
        try container.encodeIfPresent(valueString, forKey: .valueString)
        try container.encodeIfPresent(valueBoolean, forKey: .valueBoolean)
        try container.encodeIfPresent(valueCode, forKey: .valueCode)
        try container.encodeIfPresent(valueCoding, forKey: .valueCoding)
        try container.encodeIfPresent(valueAddress, forKey: .valueAddress)
        try container.encodeIfPresent(valueDateTime, forKey: .valueDateTime)
        try container.encodeIfPresent(valueIdentifier, forKey: .valueIdentifier)
        try container.encodeIfPresent(valueCodeableConcept, forKey: .valueCodeableConcept)
    }
}

public struct Meta: Codable, Hashable, Sendable {
    public var versionId: String?
    public var lastUpdated: String?
    public var profile: [String]?

    public init(versionId: String? = nil, lastUpdated: String? = nil, profile: [String]? = nil) {
        self.versionId = versionId
        self.lastUpdated = lastUpdated
        self.profile = profile
    }
}
