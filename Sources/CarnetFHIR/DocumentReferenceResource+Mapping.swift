public import CarnetCore
public import Foundation

/// What a pushed `DocumentReference` asks for: the draft metadata, the content bytes, and the patient.
public struct DocumentInput: Sendable, Equatable {
    public var draft: DocumentDraft
    public var content: Data
    public var subject: DocumentSubjectReference
}

/// How a document names its patient: `Patient/{id}`, or the INS (`Patient?identifier=system|value`,
/// or an identifier reference), as PDSm's TD2 does.
public enum DocumentSubjectReference: Sendable, Equatable {
    case recordID(RecordID)
    case ins(INS)
}

extension DocumentReferenceResource {
    /// Reads a pushed DocumentReference with inline content, naming the faulty element in any error.
    ///
    /// - Parameters:
    ///   - path: the FHIRPath prefix of this resource in errors (`DocumentReference`, or
    ///     `Bundle.entry[2].resource` inside a transaction).
    ///   - maxContentSize: bytes; larger content is refused (the caller answers 413).
    public func input(path: String = "DocumentReference", keyChecking: INS.KeyChecking, now: Date,
                      maxContentSize: Int) throws(FHIRInputError) -> DocumentInput {
        guard resourceType == "DocumentReference" else {
            throw FHIRInputError("is '\(resourceType)', expected 'DocumentReference'", at: "\(path).resourceType")
        }
        let uniqueID = masterIdentifier?.value?.trimmingCharacters(in: .whitespaces)
        if masterIdentifier != nil && (uniqueID ?? "").isEmpty {
            throw FHIRInputError("is empty: give the document's unique id (XDS uniqueId) or leave masterIdentifier out",
                                 at: "\(path).masterIdentifier.value", code: "required")
        }
        if let status, status != "current" {
            throw FHIRInputError("'\(status)' cannot be pushed: a new document is 'current'", at: "\(path).status")
        }
        let typeCoding = type?.coding?.first(where: { $0.code?.isEmpty == false })
        if typeCoding == nil, (content?.first?.attachment?.contentType).map(DocumentDraft.mediaType).map(CDAHeaderReader.isXML) != true {
            throw FHIRInputError("is required: the document type (e.g. LOINC 11488-4)", at: "\(path).type", code: "required")
        }
        let subject = try Self.subject(subject, path: "\(path).subject", keyChecking: keyChecking)
        guard let attachment = content?.first?.attachment else {
            throw FHIRInputError("is required: the document's content", at: "\(path).content[0].attachment", code: "required")
        }
        let contentType = try Self.contentType(attachment.contentType, path: "\(path).content[0].attachment.contentType")
        let data = try Self.data(attachment, path: "\(path).content[0].attachment", maxContentSize: maxContentSize)
        if let problem = ContentInspection.problem(with: data, mediaType: DocumentDraft.mediaType(of: contentType),
                                                     charset: Self.charset(contentType)) {
            throw FHIRInputError("the content \(problem)", at: "\(path).content[0].attachment.data")
        }
        // A CDA's header: checked against these metadata by the service, and the type when none was given (issue 18).
        let cdaHeader = CDAHeaderReader.header(of: data, mediaType: contentType)
        guard let type = typeCoding.flatMap({ coding in coding.code.map { Code(system: coding.system, code: $0, display: coding.display) } })
                ?? cdaHeader?.type else {
            throw FHIRInputError("is required: the document type (e.g. LOINC 11488-4), here or in the CDA document's code", at: "\(path).type",
                                 code: "required")
        }
        let visibility: DocumentVisibility
        do {
            visibility = try DocumentVisibility(labels: (securityLabel ?? []).flatMap { $0.coding ?? [] }.compactMap { coding in
                coding.code.map { (system: coding.system, code: $0) }
            })
        } catch {
            throw FHIRInputError(error.description, at: "\(path).securityLabel")
        }
        let otherLabels = (securityLabel ?? []).flatMap { $0.coding ?? [] }.compactMap { coding -> Code? in
            guard let code = coding.code, ![DocumentVisibility.system, DocumentVisibility.oid, Confidentiality.system].contains(coding.system ?? "")
            else { return nil }
            return Code(system: coding.system, code: code, display: coding.display)
        }
        let replaces = try Self.replaced(relatesTo, path: "\(path).relatesTo")
        let kept = try keptElements(path: path)
        let relations = try Self.relations(relatesTo, path: "\(path).relatesTo")
        var draft = DocumentDraft(
            uniqueID: uniqueID, type: type, category: category?.first?.coding?.first.flatMap(Code.init),
            title: description, comment: nil,
            authors: (author ?? []).map(resolvedAuthor),
            date: try date.map { text throws(FHIRInputError) in try FHIRDate.instant(text, at: "\(path).date") },
            servicePeriod: try Self.period(context?.period, path: "\(path).context.period"),
            facilityType: context?.facilityType?.coding?.first.flatMap(Code.init),
            practiceSetting: context?.practiceSetting?.coding?.first.flatMap(Code.init),
            events: (context?.event ?? []).compactMap { $0.coding?.first.flatMap(Code.init) },
            format: content?.first?.format.flatMap(Code.init), visibility: visibility, otherLabels: otherLabels,
            contentType: contentType, language: attachment.language, contentTitle: attachment.title, replaces: replaces,
            keptElements: kept)
        draft.cdaHeader = cdaHeader
        draft.relations = relations.map(\.relation)
        draft.relationPaths = relations.map(\.path)
        return DocumentInput(draft: draft, content: data, subject: subject)
    }

    /// An author, with a `#id` reference to a contained resource resolved to its identifier and name;
    /// the `#id` itself is kept, since the contained resource is kept with the document.
    func resolvedAuthor(_ reference: Reference) -> DocumentAuthor {
        Self.author(reference, contained: contained ?? [], keepingLocalReference: true)
    }

    /// An author reference, `#id` resolved against the `contained` resources of the resource holding it.
    ///
    /// - Parameter keepingLocalReference: whether a resolved `#id` stays (the contained resource is
    ///   stored with it); an unresolved one, or one whose resource is not kept, is dropped.
    static func author(_ reference: Reference, contained: [ContainedResource], keepingLocalReference: Bool = false) -> DocumentAuthor {
        var identifier = reference.identifier
        var display = reference.display
        var resolved = false
        var role: Code?, specialty: Code?
        if let local = reference.reference, local.hasPrefix("#"),
           var resource = contained.first(where: { $0.id == String(local.dropFirst()) }) {
            resolved = true
            // A PractitionerRole carries the author's role (`code`) and specialty (XDS authorRole, authorSpecialty).
            (role, specialty) = roleAndSpecialty(of: resource)
            // A PractitionerRole names its professional through its own `#id`, or by identifier: the professional is who is identified.
            let practitioner = resource.raw["practitioner"]
            if resource.identifier == nil, let local = practitioner?["reference"]?.string, local.hasPrefix("#"),
               let person = contained.first(where: { $0.id == String(local.dropFirst()) }) {
                resource = person
            } else if resource.resourceType == "PractitionerRole", let named = practitioner?["identifier"], let value = named["value"]?.string {
                identifier = identifier ?? Identifier(system: named["system"]?.string, value: value)
                display = display ?? practitioner?["display"]?.string
            }
            identifier = identifier ?? resource.identifier?.first
            display = display ?? resource.name?.display
        }
        let isLocal = reference.reference?.hasPrefix("#") == true
        return DocumentAuthor(identifierSystem: identifier?.system, identifierValue: identifier?.value, display: display,
                              reference: isLocal && !(keepingLocalReference && resolved) ? nil : reference.reference,
                              role: role, specialty: specialty)
    }

    static func subject(_ reference: Reference?, path: String, keyChecking: INS.KeyChecking) throws(FHIRInputError) -> DocumentSubjectReference {
        if let identifier = reference?.identifier, let value = identifier.value {
            do {
                return .ins(try INS(value, system: try INSSystem(uri: identifier.system ?? ""), keyChecking: keyChecking))
            } catch {
                throw FHIRInputError(error.description, at: "\(path).identifier")
            }
        }
        guard let text = reference?.reference, !text.isEmpty else {
            throw FHIRInputError("is required: Patient/{id} or Patient?identifier=<INS system>|<INS>", at: path, code: "required")
        }
        if text.hasPrefix("Patient?identifier=") {
            let token = String(text.dropFirst("Patient?identifier=".count)).removingPercentEncoding ?? ""
            let parts = token.split(separator: "|", maxSplits: 1)
            guard parts.count == 2 else { throw FHIRInputError("must be Patient?identifier=system|value", at: "\(path).reference") }
            do {
                return .ins(try INS(String(parts[1]), system: try INSSystem(uri: String(parts[0])), keyChecking: keyChecking))
            } catch {
                throw FHIRInputError(error.description, at: "\(path).reference")
            }
        }
        let id = text.split(separator: "/").last.map(String.init) ?? ""
        guard text.contains("Patient/"), let recordID = RecordID(id) else {
            throw FHIRInputError("'\(text)' is not a Patient reference", at: "\(path).reference")
        }
        return .recordID(recordID)
    }

    static func contentType(_ value: String?, path: String) throws(FHIRInputError) -> String {
        guard let value, !value.isEmpty else { throw FHIRInputError("is required", at: path, code: "required") }
        let mediaType = DocumentDraft.mediaType(of: value)
        guard DocumentDraft.acceptedContentTypes.contains(mediaType) else {
            throw FHIRInputError("'\(value)' is not accepted: expected PDF, plain text, CDA XML, FHIR JSON, JPEG or PNG", at: path)
        }
        // The charset is part of what the bytes mean: kept, so retrieval serves them as they were sent.
        return charset(value).map { "\(mediaType); charset=\($0)" } ?? mediaType
    }

    /// The `charset` parameter of a media type, if any (`text/plain; charset=ISO-8859-1`).
    static func charset(_ value: String?) -> String? {
        value?.split(separator: ";").dropFirst().lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.lowercased().hasPrefix("charset=") }
            .map { String($0.dropFirst("charset=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }

    static func data(_ attachment: Attachment, path: String, maxContentSize: Int) throws(FHIRInputError) -> Data {
        guard let base64 = attachment.data else {
            throw FHIRInputError("is required: the content inline as base64 (or a Binary entry in a transaction)", at: "\(path).data", code: "required")
        }
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw FHIRInputError("is not valid base64", at: "\(path).data")
        }
        try checkContent(data, declaredSize: attachment.size, declaredHash: attachment.hash, path: path, maxContentSize: maxContentSize)
        return data
    }

    /// Checks content against its declared size and SHA-1 hash, and the size limit.
    static func checkContent(_ data: Data, declaredSize: Int?, declaredHash: String?, path: String, maxContentSize: Int) throws(FHIRInputError) {
        guard data.count <= maxContentSize else {
            throw FHIRInputError("the content has \(data.count) bytes, more than the \(maxContentSize) this server accepts", at: "\(path).data", code: "too-costly")
        }
        if let declaredSize, declaredSize != data.count {
            throw FHIRInputError("is \(declaredSize) but the content has \(data.count) bytes", at: "\(path).size")
        }
        if let declaredHash, declaredHash != SHA1.base64(data) {
            throw FHIRInputError("does not match the content: expected the base64 SHA-1 of the bytes", at: "\(path).hash")
        }
    }

    static func replaced(_ relations: [RelatesTo]?, path: String) throws(FHIRInputError) -> DocumentID? {
        guard let relation = relations?.enumerated().first(where: { $0.element.code == "replaces" }) else { return nil }
        let target = relation.element.target?.reference ?? ""
        guard let id = target.split(separator: "/").last.flatMap({ DocumentID(String($0)) }) else {
            throw FHIRInputError("'\(target)' is not a DocumentReference to replace", at: "\(path)[\(relation.offset)].target")
        }
        return id
    }

    /// The links other than `replaces`, each with the element it was read from; an unknown code or a
    /// target that names no DocumentReference is refused here, a missing target by the service.
    static func relations(_ relations: [RelatesTo]?, path: String) throws(FHIRInputError) -> [(relation: DocumentRelation, path: String)] {
        var found: [(relation: DocumentRelation, path: String)] = []
        for (index, relation) in (relations ?? []).enumerated() where relation.code != "replaces" {
            guard let code = relation.code.flatMap(DocumentRelation.Kind.init(rawValue:)) else {
                throw FHIRInputError("'\(relation.code ?? "")' is not a relation: expected replaces, appends, transforms or signs",
                                     at: "\(path)[\(index)].code", code: relation.code == nil ? "required" : "code-invalid")
            }
            let target = relation.target?.reference ?? ""
            guard target.hasPrefix("DocumentReference/") || !target.contains("/"),
                  let id = target.split(separator: "/").last.flatMap({ DocumentID(String($0)) }) else {
                throw FHIRInputError("'\(target)' is not a DocumentReference of this record", at: "\(path)[\(index)].target")
            }
            found.append((DocumentRelation(code: code, target: id), "\(path)[\(index)].target"))
        }
        return found
    }

    static func period(_ period: Period?, path: String) throws(FHIRInputError) -> DatePeriod? {
        guard let period else { return nil }
        let start = try period.start.map { text throws(FHIRInputError) in try FHIRDate.instant(text, at: "\(path).start") }
        let end = try period.end.map { text throws(FHIRInputError) in try FHIRDate.instant(text, at: "\(path).end") }
        if let start, let end, end < start { throw FHIRInputError("ends before it starts", at: path) }
        return DatePeriod(start: start, end: end)
    }
}

extension Code {
    init?(_ coding: Coding) {
        guard let code = coding.code, !code.isEmpty else { return nil }
        self.init(system: coding.system, code: code, display: coding.display)
    }

    var coding: Coding { Coding(system: system, code: code, display: display) }
}
