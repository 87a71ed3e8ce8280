public import CarnetCore
import Foundation

/// The IHE MHD SubmissionSet: a FHIR `List` with code `submissionset`, sent in an ITI-65 Bundle and
/// found with ITI-66. Carnet keeps who sent it, from which system, and which documents it brought.
public struct SubmissionSetList: Codable, Hashable, Sendable {
    public var resourceType: String
    public var id: String?
    public var meta: Meta?
    public var contained: [ContainedResource]?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    public var status: String?
    public var mode: String?
    public var title: String?
    public var code: CodeableConcept?
    public var subject: Reference?
    public var date: String?
    public var source: Reference?
    public var note: [Note]?
    public var entry: [ListEntry]?

    public struct Note: Codable, Hashable, Sendable {
        public var text: String?
    }

    public struct ListEntry: Codable, Hashable, Sendable {
        public var item: Reference?
    }

    public static let listTypes = "https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes"
    public static let sourceIDExtension = "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId"
    public static let designationTypeExtension = "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType"
    public static let profile = "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.SubmissionSet"

    /// Whether this List is an MHD Folder (code `folder`), which Carnet does not store: it is refused
    /// as such, so a sender is not told its Folder is a second SubmissionSet.
    public var isFolder: Bool {
        code?.coding?.contains { $0.code == "folder" && ($0.system == nil || $0.system == Self.listTypes) } == true
    }

    /// What the submitter says about its submission. `path` names the List in errors.
    public func draft(path: String) throws(FHIRInputError) -> SubmissionSetDraft {
        if let codings = code?.coding, !codings.isEmpty,
           !codings.contains(where: { $0.code == "submissionset" && ($0.system == nil || $0.system == Self.listTypes) }) {
            throw FHIRInputError("a List in a document Bundle is the SubmissionSet: its code must be \(Self.listTypes)|submissionset",
                                 at: "\(path).code")
        }
        if let status, status != "current" {
            throw FHIRInputError("'\(status)' cannot be submitted: a new SubmissionSet is 'current'", at: "\(path).status")
        }
        let uniqueIdentifier = identifier?.first(where: { $0.use == "usual" }) ?? identifier?.first(where: { $0.use != "official" })
        let uniqueID = uniqueIdentifier?.value?.trimmingCharacters(in: .whitespaces)
        if uniqueIdentifier != nil, uniqueID?.isEmpty != false {
            throw FHIRInputError("is empty: give the submission's unique id or leave it out", at: "\(path).identifier", code: "required")
        }
        let sourceID = `extension`?.first(where: { $0.url == Self.sourceIDExtension })?.valueIdentifier?.value
        let designation = `extension`?.first(where: { $0.url == Self.designationTypeExtension })?.valueCodeableConcept?.coding?.first
        let authors = source.map { reference in
            DocumentReferenceResource.author(reference, contained: contained ?? [])
        }
        return SubmissionSetDraft(uniqueID: uniqueID, sourceID: sourceID, title: title, comment: note?.first?.text,
                                  authors: authors.map { [$0] } ?? [], designationType: designation.flatMap(Code.init))
    }

    /// The FHIR view of a stored submission set, listing the documents given (those the reader may see).
    public init(_ set: SubmissionSet) {
        resourceType = "List"
        id = set.id.description
        meta = Meta(lastUpdated: FHIRDateTime.string(set.submittedAt), profile: [Self.profile])
        var extensions: [Extension] = []
        if let sourceID = set.sourceID {
            extensions.append(Extension(url: Self.sourceIDExtension, valueIdentifier: Identifier(system: "urn:ietf:rfc:3986", value: sourceID)))
        }
        if let designation = set.designationType {
            extensions.append(Extension(url: Self.designationTypeExtension, valueCodeableConcept: CodeableConcept(coding: [designation.coding])))
        }
        `extension` = extensions.isEmpty ? nil : extensions
        identifier = [Identifier(use: "usual", system: "urn:ietf:rfc:3986", value: set.uniqueID),
                      Identifier(use: "official", system: "urn:ietf:rfc:3986", value: "urn:uuid:\(set.id)")]
        status = "current"
        mode = "working"
        title = set.title
        code = CodeableConcept(coding: [Coding(system: Self.listTypes, code: "submissionset")])
        subject = Reference(reference: "Patient/\(set.recordID)")
        date = FHIRDateTime.string(set.submittedAt)
        source = set.authors.first.map { author in
            Reference(reference: author.reference,
                      identifier: author.identifierValue.map { Identifier(system: author.identifierSystem, value: $0) }, display: author.display)
        }
        note = set.comment.map { [Note(text: $0)] }
        entry = set.documentIDs.map { ListEntry(item: Reference(reference: "DocumentReference/\($0)")) }
    }
}
