public import CarnetCore
public import CarnetJSON
import Foundation

/// A document entry's stored form (the `metadata` JSON column), read and written by hand.
///
/// Every search decodes its page of entries, so `JSONDecoder` here was a tenth of a search's CPU.
/// The form is exactly what the entry's `Codable` conformance writes — keys named after the
/// properties, dates as seconds since 2001, UUIDs upper-case — so rows written by either path read
/// back equal (the store tests compare both ways), and older rows need no migration.
extension DocumentEntry {
    public init(storedJSON text: String) throws(JSONReadError) {
        var reader = JSONReader(text)
        self = try Self(reading: &reader)
        try reader.end()
    }

    public func storedJSON() -> String {
        var writer = JSONWriter(capacity: 1536, escapingSlashes: true)
        writeJSON(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func read(from reader: inout JSONReader) throws(JSONReadError) -> DocumentEntry { try Self(reading: &reader) }

    private init(reading reader: inout JSONReader) throws(JSONReadError) {
        var id: DocumentID?, recordID: RecordID?, uniqueID: String?, lineageID: UUID?, replaces: DocumentID?
        var status: DocumentStatus?, type: Code?, category: Code?, title: String?, comment: String?
        var authors: [DocumentAuthor]?, submitterID: String?, date: Date?, recordedAt: Date?, servicePeriod: DatePeriod?
        var facilityType: Code?, practiceSetting: Code?, events: [Code]?, format: Code?, visibility: DocumentVisibility?
        var otherLabels: [Code]?, content: DocumentContent?, metadataVersion: Int?, lastUpdated: Date?, keptElements: String?
        var relations: [DocumentRelation]?, submissionID: String?
        try reader.beginObject()
        while let key = try reader.nextKey(in: DocumentEntryKey.keys) {
            if try reader.null() { continue }
            switch key {
            case .id: id = DocumentID(try reader.uuid())
            case .recordID: recordID = RecordID(try reader.uuid())
            case .uniqueID: uniqueID = try reader.string()
            case .lineageID: lineageID = try reader.uuid()
            case .replaces: replaces = DocumentID(try reader.uuid())
            case .status: status = try reader.enumValue(DocumentStatus.self)
            case .type: type = try Code(reading: &reader)
            case .category: category = try Code(reading: &reader)
            case .title: title = try reader.string()
            case .comment: comment = try reader.string()
            case .authors: authors = try reader.array { reader throws(JSONReadError) in try DocumentAuthor(reading: &reader) }
            case .submitterID: submitterID = try reader.string()
            case .date: date = try reader.date()
            case .recordedAt: recordedAt = try reader.date()
            case .servicePeriod: servicePeriod = try DatePeriod(reading: &reader)
            case .facilityType: facilityType = try Code(reading: &reader)
            case .practiceSetting: practiceSetting = try Code(reading: &reader)
            case .events: events = try reader.array { reader throws(JSONReadError) in try Code(reading: &reader) }
            case .format: format = try Code(reading: &reader)
            case .visibility: visibility = try DocumentVisibility(reading: &reader)
            case .otherLabels: otherLabels = try reader.array { reader throws(JSONReadError) in try Code(reading: &reader) }
            case .content: content = try DocumentContent(reading: &reader)
            case .metadataVersion: metadataVersion = try reader.int()
            case .lastUpdated: lastUpdated = try reader.date()
            case .keptElements: keptElements = try reader.string()
            case .relations: relations = try reader.array { reader throws(JSONReadError) in try DocumentRelation(reading: &reader) }
            case .submissionID: submissionID = try reader.string()
            }
        }
        guard let id, let recordID, let uniqueID, let lineageID, let status, let type, let authors, let submitterID, let date,
              let recordedAt, let events, let visibility, let otherLabels, let content, let metadataVersion
        else { throw .invalid("every required field of a stored document entry") }
        self.init(id: id, recordID: recordID, uniqueID: uniqueID, lineageID: lineageID, replaces: replaces, status: status, type: type,
                  category: category, title: title, comment: comment, authors: authors, submitterID: submitterID, date: date,
                  recordedAt: recordedAt, servicePeriod: servicePeriod, facilityType: facilityType, practiceSetting: practiceSetting,
                  events: events, format: format, visibility: visibility, otherLabels: otherLabels, content: content,
                  metadataVersion: metadataVersion)
        self.lastUpdated = lastUpdated
        self.keptElements = keptElements
        self.relations = relations
        self.submissionID = submissionID
    }
}

extension DocumentEntry: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("authors", authors)
        writer.field("category", category)
        writer.field("comment", comment)
        writer.field("content", content)
        writer.key("date"); writer.date(date)
        writer.key("events"); writer.array(events)
        writer.field("facilityType", facilityType)
        writer.field("format", format)
        writer.key("id"); writer.uuid(id.rawValue)
        writer.field("keptElements", keptElements)
        if let lastUpdated { writer.key("lastUpdated"); writer.date(lastUpdated) }
        writer.key("lineageID"); writer.uuid(lineageID)
        writer.field("metadataVersion", metadataVersion)
        writer.key("otherLabels"); writer.array(otherLabels)
        writer.field("practiceSetting", practiceSetting)
        writer.key("recordID"); writer.uuid(recordID.rawValue)
        writer.key("recordedAt"); writer.date(recordedAt)
        if let relations { writer.key("relations"); writer.array(relations) }
        if let replaces { writer.key("replaces"); writer.uuid(replaces.rawValue) }
        writer.field("servicePeriod", servicePeriod)
        writer.field("status", status.rawValue)
        writer.field("submissionID", submissionID)
        writer.field("submitterID", submitterID)
        writer.field("title", title)
        writer.field("type", type)
        writer.field("uniqueID", uniqueID)
        writer.field("visibility", visibility)
        writer.endObject()
    }
}

extension DocumentRelation: JSONWritable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var code: Kind?, target: DocumentID?
        try reader.beginObject()
        while let key = try reader.nextKey(in: DocumentRelationKey.keys) {
            if try reader.null() { continue }
            switch key {
            case .code: code = try reader.enumValue(Kind.self)
            case .target: target = DocumentID(try reader.uuid())
            }
        }
        guard let code, let target else { throw .invalid("a document relation's code and target") }
        self.init(code: code, target: target)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("code", code.rawValue)
        writer.key("target"); writer.uuid(target.rawValue)
        writer.endObject()
    }
}

extension Code: JSONWritable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var system: String?, code: String?, display: String?
        try reader.beginObject()
        while let key = try reader.nextKey(in: CodeKey.keys) {
            if try reader.null() { continue }
            switch key {
            case .system: system = try reader.string()
            case .code: code = try reader.string()
            case .display: display = try reader.string()
            }
        }
        guard let code else { throw .invalid("a code's value") }
        self.init(system: system, code: code, display: display)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("code", code)
        writer.field("display", display)
        writer.field("system", system)
        writer.endObject()
    }
}

extension DocumentAuthor: JSONWritable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init()
        try reader.beginObject()
        while let key = try reader.nextKey(in: DocumentAuthorKey.keys) {
            if try reader.null() { continue }
            switch key {
            case .identifierSystem: identifierSystem = try reader.string()
            case .identifierValue: identifierValue = try reader.string()
            case .display: display = try reader.string()
            case .reference: reference = try reader.string()
            case .role: role = try Code(reading: &reader)
            case .specialty: specialty = try Code(reading: &reader)
            }
        }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("display", display)
        writer.field("identifierSystem", identifierSystem)
        writer.field("identifierValue", identifierValue)
        writer.field("reference", reference)
        writer.field("role", role)
        writer.field("specialty", specialty)
        writer.endObject()
    }
}

extension DatePeriod: JSONWritable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init(start: nil, end: nil)
        try reader.beginObject()
        while let key = try reader.nextKey(in: DatePeriodKey.keys) {
            if try reader.null() { continue }
            switch key {
            case .start: start = try reader.date()
            case .end: end = try reader.date()
            }
        }
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        if let end { writer.key("end"); writer.date(end) }
        if let start { writer.key("start"); writer.date(start) }
        writer.endObject()
    }
}

extension DocumentVisibility: JSONWritable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var masked: Bool?, invisibleToPatient: Bool?, invisibleToLegal: Bool?, maskedSocial: Bool?, maskedThird: Bool?
        var maskSetByPatient: Bool?
        var confidentiality: Confidentiality?
        try reader.beginObject()
        while let key = try reader.nextKey(in: DocumentVisibilityKey.keys) {
            switch key {
            case .confidentiality: confidentiality = try reader.enumValue(Confidentiality.self)
            case .maskedToProfessionals: masked = try reader.bool()
            case .invisibleToPatient: invisibleToPatient = try reader.bool()
            case .invisibleToLegalRepresentatives: invisibleToLegal = try reader.bool()
            case .maskedToSocialProfessionals: maskedSocial = try reader.bool()
            case .maskedToThirdParties: maskedThird = try reader.bool()
            case .maskSetByPatient: maskSetByPatient = try reader.bool()
            }
        }
        guard let confidentiality, let masked, let invisibleToPatient, let invisibleToLegal, let maskedSocial, let maskedThird
        else { throw .invalid("every flag of a document's visibility") }
        self.init(maskedToProfessionals: masked, invisibleToPatient: invisibleToPatient, invisibleToLegalRepresentatives: invisibleToLegal,
                  maskedToSocialProfessionals: maskedSocial, maskedToThirdParties: maskedThird, confidentiality: confidentiality)
        self.maskSetByPatient = maskSetByPatient
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("confidentiality", confidentiality.rawValue)
        writer.field("invisibleToLegalRepresentatives", invisibleToLegalRepresentatives)
        writer.field("invisibleToPatient", invisibleToPatient)
        if let maskSetByPatient { writer.field("maskSetByPatient", maskSetByPatient) }
        writer.field("maskedToProfessionals", maskedToProfessionals)
        writer.field("maskedToSocialProfessionals", maskedToSocialProfessionals)
        writer.field("maskedToThirdParties", maskedToThirdParties)
        writer.endObject()
    }
}

extension DocumentContent: JSONWritable {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var contentType: String?, language: String?, size: Int?, sha256: String?, sha1Base64: String?, keyID: String?, title: String?
        try reader.beginObject()
        while let key = try reader.nextKey(in: DocumentContentKey.keys) {
            if try reader.null() { continue }
            switch key {
            case .contentType: contentType = try reader.string()
            case .language: language = try reader.string()
            case .size: size = try reader.int()
            case .sha256: sha256 = try reader.string()
            case .sha1Base64: sha1Base64 = try reader.string()
            case .keyID: keyID = try reader.string()
            case .title: title = try reader.string()
            }
        }
        guard let contentType, let size, let sha256, let sha1Base64, let keyID else { throw .invalid("every required field of a document's content") }
        self.init(contentType: contentType, language: language, size: size, sha256: sha256, sha1Base64: sha1Base64, keyID: keyID,
                  title: title)
    }

    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("contentType", contentType)
        writer.field("keyID", keyID)
        writer.field("language", language)
        writer.field("sha1Base64", sha1Base64)
        writer.field("sha256", sha256)
        writer.field("size", size)
        writer.field("title", title)
        writer.endObject()
    }
}

/// The stored forms' keys, matched on bytes (``JSONKeys``): each enumeration's raw values are the keys
/// its type's `Codable` conformance writes.
private enum DocumentEntryKey: String, CaseIterable, Sendable {
    case id, recordID, uniqueID, lineageID, replaces, status, type, category, title, comment, authors, submitterID, date, recordedAt
    case servicePeriod, facilityType, practiceSetting, events, format, visibility, otherLabels, content, metadataVersion, lastUpdated
    case keptElements, relations, submissionID

    static let keys = JSONKeys<DocumentEntryKey>()
}

private enum DocumentRelationKey: String, CaseIterable, Sendable {
    case code, target

    static let keys = JSONKeys<DocumentRelationKey>()
}

private enum CodeKey: String, CaseIterable, Sendable {
    case system, code, display

    static let keys = JSONKeys<CodeKey>()
}

private enum DocumentAuthorKey: String, CaseIterable, Sendable {
    case identifierSystem, identifierValue, display, reference, role, specialty

    static let keys = JSONKeys<DocumentAuthorKey>()
}

private enum DatePeriodKey: String, CaseIterable, Sendable {
    case start, end

    static let keys = JSONKeys<DatePeriodKey>()
}

private enum DocumentVisibilityKey: String, CaseIterable, Sendable {
    case confidentiality, maskedToProfessionals, invisibleToPatient, invisibleToLegalRepresentatives, maskedToSocialProfessionals
    case maskedToThirdParties, maskSetByPatient

    static let keys = JSONKeys<DocumentVisibilityKey>()
}

private enum DocumentContentKey: String, CaseIterable, Sendable {
    case contentType, language, size, sha256, sha1Base64, keyID, title

    static let keys = JSONKeys<DocumentContentKey>()
}
