import CarnetCore
import Foundation

/// The elements of a pushed DocumentReference that MHD and PDSm map but Carnet does not search on:
/// kept as sent in one JSON object (``DocumentEntry/keptElements``) and served back, so nothing a
/// sender sends is lost (issue 22). Keys are sorted, so the same input stores the same text.
struct DocumentKeptElements: Codable, Hashable {
    var authenticator: Reference?
    /// The resource's extensions, whole (any `value[x]`, `valueReference` included), but PDSm's
    /// is-archived flag, which is the document's state and said by Carnet.
    var `extension`: [Extension]?
    /// Whole, as sent: a contained author read back as `{}` would break R4's ele-1.
    var contained: [ContainedResource]?
    /// `content[0].attachment.creation`.
    var creation: String?
    var related: [Reference]?
    var sourcePatientInfo: Reference?
    /// `docStatus`, `language`, the narrative and `context.encounter`, as sent.
    var docStatus: String?
    var language: String?
    var text: JSONValue?
    var encounter: [Reference]?
    /// The coded elements Carnet reads one coding of (`type`, `category`, `context.facilityType`,
    /// `practiceSetting`, `event`), kept whole only when the sender sent more: other codings, a text.
    var type: CodeableConcept?
    var category: [CodeableConcept]?
    var facilityType: CodeableConcept?
    var practiceSetting: CodeableConcept?
    var event: [CodeableConcept]?
    /// `context.period` as sent when Carnet would write it otherwise: a date without a time (`2026-01-01`)
    /// is searched as the instant it starts, but read back as the date it was.
    var period: Period?

    /// Bytes of the stored form: far above any real author or patient, far below a row that would burden every search.
    static let maxSize = 64 * 1024
    /// Nesting depth of one contained resource or extension: a real Practitioner, PractitionerRole or Organization is a few levels deep.
    static let maxDepth = 12
}

extension DocumentReferenceResource {
    /// The kept elements of a pushed resource as stored text, `nil` when there are none; refused, naming
    /// the element, when output would not be valid R4 (a contained resource without id, nested or
    /// referenced by nothing, a local reference to no contained resource) or when too large.
    func keptElements(path: String) throws(FHIRInputError) -> String? {
        let extensions = (`extension` ?? []).filter { $0.url != Self.isArchivedExtension }
        var kept = DocumentKeptElements(authenticator: authenticator, extension: extensions.isEmpty ? nil : extensions,
                                        contained: contained?.isEmpty == false ? contained : nil,
                                        creation: content?.first?.attachment?.creation, related: context?.related,
                                        sourcePatientInfo: context?.sourcePatientInfo)
        kept.docStatus = docStatus
        kept.language = language
        kept.text = text
        kept.encounter = context?.encounter
        kept.type = Self.richer(type)
        kept.category = category.flatMap { concepts in concepts == [Self.firstCoding(concepts.first)].compactMap { $0 } ? nil : concepts }
        kept.facilityType = Self.richer(context?.facilityType)
        kept.practiceSetting = Self.richer(context?.practiceSetting)
        kept.event = context?.event.flatMap { events in events.allSatisfy { Self.richer($0) == nil } ? nil : events }
        kept.period = context?.period.flatMap { period in
            let written = [period.start, period.end].map { text in
                text.flatMap { try? FHIRDate.instant($0, at: "") }.map(FHIRDateTime.string)
            }
            return written == [period.start, period.end] ? nil : period
        }
        guard kept != DocumentKeptElements() else { return nil }
        if let docStatus, !["preliminary", "final", "amended", "entered-in-error"].contains(docStatus) {
            throw FHIRInputError("must be one of amended, entered-in-error, final, preliminary", at: "\(path).docStatus")
        }
        if let text {
            try SummaryResource.checkFHIRJSON(text, at: "\(path).text")
            guard let status = text["status"]?.string, ["generated", "extensions", "additional", "empty"].contains(status),
                  text["div"]?.string?.hasPrefix("<div") == true else {
                throw FHIRInputError("a Narrative has a status (generated, extensions, additional, empty) and an XHTML div", at: "\(path).text")
            }
        }
        for (index, sent) in (kept.extension ?? []).enumerated() {
            let raw = sent.raw ?? .object([:]), at = "\(path).extension[\(index)]"
            guard raw.depth <= DocumentKeptElements.maxDepth else {
                throw FHIRInputError("nests deeper than \(DocumentKeptElements.maxDepth) levels", at: at, code: "too-costly")
            }
            // No nulls or empty elements (R4 JSON), one value or nested extensions (ext-1): served back, it must be valid R4.
            try SummaryResource.checkFHIRJSON(raw, at: at)
            try Self.checkExtension(raw, at: at)
        }
        if let creation = kept.creation {
            _ = try FHIRDate.instant(creation, at: "\(path).content[0].attachment.creation")
        }
        let json: Data
        let value: JSONValue
        do {
            json = try FHIRJSON.encode(kept)
            value = try JSONValue(parsing: json)
        } catch {
            throw FHIRInputError("could not be kept as JSON", at: path, code: "structure")
        }
        guard json.count <= DocumentKeptElements.maxSize else {
            throw FHIRInputError("the contained resources and kept elements take \(json.count) bytes, more than the \(DocumentKeptElements.maxSize) this server keeps",
                                 at: "\(path).contained", code: "too-costly")
        }
        // Every local reference, in the kept elements and the authors, as R4's dom-3 and reference resolution see them.
        let references = Set(Self.references(in: value) + (author ?? []).compactMap(\.reference)).filter { $0.hasPrefix("#") }
        var ids: Set<String> = []
        for (index, resource) in (kept.contained ?? []).enumerated() {
            let at = "\(path).contained[\(index)]"
            guard let id = resource.id, !id.isEmpty else {
                throw FHIRInputError("is required: a contained resource is named by its id", at: "\(at).id", code: "required")
            }
            guard ids.insert(id).inserted else { throw FHIRInputError("'\(id)' names another contained resource too", at: "\(at).id") }
            guard resource.raw["contained"] == nil else {
                throw FHIRInputError("a contained resource cannot contain others (R4 dom-2)", at: "\(at).contained")
            }
            guard resource.raw.depth <= DocumentKeptElements.maxDepth else {
                throw FHIRInputError("nests deeper than \(DocumentKeptElements.maxDepth) levels", at: at, code: "too-costly")
            }
            guard references.contains("#\(id)") else {
                throw FHIRInputError("'\(id)' is referenced by nothing in this DocumentReference (R4 dom-3)", at: at)
            }
        }
        let keptReferences = Set(Self.references(in: value)).filter { $0.hasPrefix("#") }
        if let dangling = keptReferences.sorted().first(where: { !ids.contains(String($0.dropFirst())) }) {
            throw FHIRInputError("'\(dangling)' names no contained resource of this DocumentReference", at: path)
        }
        return String(decoding: json, as: UTF8.self)
    }

    /// Puts stored kept elements back in the resource; a row that does not read leaves it as it is.
    mutating func restoreKeptElements(_ text: String?) {
        guard let text, let kept = try? JSONDecoder().decode(DocumentKeptElements.self, from: Data(text.utf8)) else { return }
        contained = kept.contained
        authenticator = kept.authenticator
        if let extensions = kept.extension { `extension` = extensions + (`extension` ?? []) }
        if let creation = kept.creation, content?.isEmpty == false { content?[0].attachment?.creation = creation }
        self.docStatus = kept.docStatus
        self.language = kept.language
        self.text = kept.text
        if let type = kept.type { self.type = type }
        if let category = kept.category { self.category = category }
        if kept.related != nil || kept.sourcePatientInfo != nil || kept.encounter != nil || kept.facilityType != nil
            || kept.practiceSetting != nil || kept.event != nil || kept.period != nil {
            var context = self.context ?? Context()
            context.related = kept.related
            context.sourcePatientInfo = kept.sourcePatientInfo
            context.encounter = kept.encounter
            if let facilityType = kept.facilityType { context.facilityType = facilityType }
            if let practiceSetting = kept.practiceSetting { context.practiceSetting = practiceSetting }
            if let event = kept.event { context.event = event }
            if let period = kept.period { context.period = period }
            self.context = context
        }
    }

    /// A coded element as sent when it holds more than the one coding Carnet keeps of it; `nil` otherwise.
    static func richer(_ concept: CodeableConcept?) -> CodeableConcept? {
        guard let concept, concept != firstCoding(concept) else { return nil }
        return concept
    }

    /// What Carnet rebuilds of a coded element: its first coding with a code, alone.
    static func firstCoding(_ concept: CodeableConcept?) -> CodeableConcept? {
        guard let coding = concept?.coding?.first(where: { $0.code?.isEmpty == false }) else { return nil }
        return CodeableConcept(coding: [Coding(system: coding.system, code: coding.code, display: coding.display)])
    }

    /// R4's ext-1 on a kept extension and those it nests: a value or nested extensions, not both, and
    /// one value at most — what is served back must be valid R4.
    static func checkExtension(_ value: JSONValue, at path: String) throws(FHIRInputError) {
        guard case .object(let members) = value else { throw FHIRInputError("must be an object", at: path) }
        let values = members.keys.filter { $0.hasPrefix("value") }
        let nested = members["extension"]?.array ?? []
        guard values.count <= 1 else { throw FHIRInputError("has \(values.count) values (\(values.sorted().joined(separator: ", "))): one value[x] at most", at: path) }
        guard values.isEmpty != nested.isEmpty else {
            throw FHIRInputError("must have either a value[x] or nested extensions, not both nor neither (R4 ext-1)", at: path)
        }
        for (index, inner) in nested.enumerated() { try checkExtension(inner, at: "\(path).extension[\(index)]") }
    }

    /// Every `reference` string in a JSON value.
    static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            members.flatMap { key, member in key == "reference" ? member.string.map { [$0] } ?? [] : references(in: member) }
        case .array(let values): values.flatMap(references(in:))
        default: []
        }
    }
}
