public import CarnetCore
import Foundation

extension DocumentReferenceResource {
    /// PDSm's extension marking an archived document (TD3.3d), which stays `current` on the wire.
    public static let isArchivedExtension = "https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived"

    /// Carnet's extension on a search's entry naming another document of the record with the same content,
    /// from another submission, that the search folded into this one (issue 18: shown once, its several
    /// submissions listed): nested `document` (valueReference to that DocumentReference) and `recorded`
    /// (valueDateTime, when Carnet recorded it), one extension per folded document. Only documents the
    /// reader may see are ever folded, so the extension names nothing they could not read.
    public static let duplicateSubmissionExtension = "https://carnet.example/fhir/StructureDefinition/duplicate-submission"

    /// The FHIR view of a document entry; the content is referenced by URL (`Binary/{id}`), never inlined.
    public init(_ entry: DocumentEntry, baseURL: String) {
        self.init(id: entry.id.description)
        meta = Meta(versionId: String(entry.metadataVersion), lastUpdated: FHIRDateTime.string(entry.lastUpdated ?? entry.recordedAt))
        if entry.status == .archived { `extension` = [Extension(url: Self.isArchivedExtension, valueBoolean: true)] }
        masterIdentifier = Identifier(system: "urn:ietf:rfc:3986", value: entry.uniqueID)
        identifier = [Identifier(use: "official", system: "urn:ietf:rfc:3986", value: "urn:uuid:\(entry.id)")]
        status = entry.status.fhirStatus
        type = CodeableConcept(coding: [entry.type.coding])
        category = entry.category.map { [CodeableConcept(coding: [$0.coding])] }
        subject = Reference(reference: "Patient/\(entry.recordID)")
        date = FHIRDateTime.string(entry.date)
        author = entry.authors.isEmpty ? nil : entry.authors.map { author in
            Reference(reference: author.reference,
                      identifier: author.identifierValue.map { Identifier(system: author.identifierSystem, value: $0) },
                      display: author.display)
        }
        description = entry.title
        securityLabel = (entry.visibility.labels.map { Coding(system: $0.system, code: $0.code) } + entry.otherLabels.map(\.coding))
            .map { CodeableConcept(coding: [$0]) }
        content = [Content(attachment: Attachment(contentType: entry.content.contentType, language: entry.content.language,
                                                  url: "\(baseURL)/Binary/\(entry.id)", size: entry.content.size,
                                                  hash: entry.content.sha1Base64, title: entry.content.title),
                           format: entry.format?.coding)]
        let period = entry.servicePeriod.map { Period(start: $0.start.map(FHIRDateTime.string), end: $0.end.map(FHIRDateTime.string)) }
        if period != nil || entry.facilityType != nil || entry.practiceSetting != nil || !entry.events.isEmpty {
            context = Context(event: entry.events.isEmpty ? nil : entry.events.map { CodeableConcept(coding: [$0.coding]) }, period: period,
                              facilityType: entry.facilityType.map { CodeableConcept(coding: [$0.coding]) },
                              practiceSetting: entry.practiceSetting.map { CodeableConcept(coding: [$0.coding]) })
        }
        restoreKeptElements(entry.keptElements)
        containAuthorRoles(entry.authors)
        if let duplicates = entry.foldedDuplicates, !duplicates.isEmpty {
            `extension` = (`extension` ?? []) + duplicates.map(Self.duplicateSubmission)
        }
        let relations = (entry.replaces.map { [RelatesTo(code: "replaces", target: Reference(reference: "DocumentReference/\($0)"))] } ?? [])
            + (entry.relations ?? []).map { RelatesTo(code: $0.code.rawValue, target: Reference(reference: "DocumentReference/\($0.target)")) }
        relatesTo = relations.isEmpty ? nil : relations
    }

    private static func duplicateSubmission(_ duplicate: FoldedDuplicate) -> Extension {
        var folded = Extension(url: duplicateSubmissionExtension)
        folded.raw = .object([
            "url": .string(duplicateSubmissionExtension),
            "extension": .array([
                .object(["url": .string("document"), "valueReference": .object(["reference": .string("DocumentReference/\(duplicate.id)")])]),
                .object(["url": .string("recorded"), "valueDateTime": .string(FHIRDateTime.string(duplicate.recordedAt))]),
            ]),
        ])
        return folded
    }
}
