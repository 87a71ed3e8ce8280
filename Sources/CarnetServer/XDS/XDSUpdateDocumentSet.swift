import CarnetCore
import CarnetService
import Foundation

/// ITI-57 Update Document Set onto the same document changes as MHD's PATCH: an availability status
/// change (`UpdateAvailabilityStatus` association: Approved → Deprecated archives, Deprecated →
/// Approved unarchives, TD3.3d) goes through ``RecordService/changeDocument(_:_:expectedVersion:by:)``;
/// a DocumentEntry metadata update (an ExtrinsicObject with the document's `lid` and its
/// `PreviousVersion`) applies its `confidentialityCode` through
/// ``RecordService/changeLabels(of:expectedVersion:by:_:)`` (TD3.3a/b: MASQUE_PS, INVISIBLE_PATIENT,
/// INVISIBLE_REPRESENTANTS_LEGAUX), each flag decided by the same policy.
///
/// One change per request, so a request is applied whole or not at all; other metadata of an update
/// are not applied (README, "XDS.b gateway").
struct XDSUpdateDocumentSet {
    let service: RecordService

    static let updateAvailabilityStatus = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"

    func answer(_ envelope: SOAPEnvelope, by actor: Actor) async throws -> (body: String, documents: [Data]) {
        let rim = XDSVocabulary.Namespace.rim
        let codes = XDSVocabulary.ErrorCode.self
        guard envelope.request.name == "SubmitObjectsRequest", envelope.request.namespace == XDSVocabulary.Namespace.lcm,
              let list = envelope.request.child("RegistryObjectList", rim) else {
            throw XDSFailure(codes.metadataUpdateError, "the body is not a SubmitObjectsRequest with its RegistryObjectList")
        }
        let objects = EbRIMObjects(list)
        let statusChanges = objects.associations.filter { $0.attributes["associationType"] == Self.updateAvailabilityStatus }
        let updates = objects.extrinsicObjects
        guard statusChanges.count + updates.count == 1 else {
            throw XDSFailure(codes.metadataUpdateError,
                             "send one change per request (an UpdateAvailabilityStatus association or one DocumentEntry update), so it is applied whole")
        }
        if let change = statusChanges.first {
            try await changeStatus(change, by: actor)
        } else if let update = updates.first {
            try await updateLabels(update, objects, by: actor)
        }
        return (SOAPWriter.registryResponse(nil), [])
    }

    private func changeStatus(_ association: XMLElementNode, by actor: Actor) async throws {
        let codes = XDSVocabulary.ErrorCode.self
        let target = association.attributes["targetObject"] ?? ""
        guard let id = XDSStoredQuery.documentID(target) else {
            throw XDSFailure(codes.unresolvedReference, "targetObject '\(target.prefix(100))' is not a DocumentEntry's entryUUID", at: target)
        }
        let transition: DocumentTransition
        let (from, to) = (association.slot("OriginalStatus").first, association.slot("NewStatus").first)
        if from == XDSVocabulary.Status.approved && to == XDSVocabulary.Status.deprecated {
            transition = .archive
        } else if from == XDSVocabulary.Status.deprecated && to == XDSVocabulary.Status.approved {
            transition = .unarchive
        } else {
            throw XDSFailure(codes.metadataUpdateError, "the status change must be Approved → Deprecated (archive) or Deprecated → Approved (unarchive)",
                             at: target)
        }
        _ = try await service.changeDocument(id, transition, by: actor)
    }

    private func updateLabels(_ object: XMLElementNode, _ objects: EbRIMObjects, by actor: Actor) async throws {
        let codes = XDSVocabulary.ErrorCode.self
        let lid = object.attributes["lid"] ?? ""
        guard let id = XDSStoredQuery.documentID(lid) else {
            throw XDSFailure(codes.unresolvedReference, "the DocumentEntry's lid '\(lid.prefix(100))' is not a document's entryUUID", at: lid)
        }
        let objectID = object.attributes["id"] ?? ""
        let previous = objects.associations.first { $0.attributes["targetObject"] == objectID }?.slot("PreviousVersion").first
        guard let previous, let version = Int(previous) else {
            throw XDSFailure(codes.metadataUpdateError, "the update's HasMember association needs its PreviousVersion slot", at: lid)
        }
        let labels = objects.classifications(of: object, scheme: XDSVocabulary.DocumentEntry.confidentialityCode).compactMap(\.classificationCode)
        guard !labels.isEmpty else { throw XDSFailure(codes.metadataUpdateError, "the update has no confidentialityCode", at: lid) }
        do {
            _ = try await service.changeLabels(of: id, expectedVersion: version, by: actor) { _ in labels }
        } catch DocumentInputError.versionMismatch(let current) {
            throw XDSFailure(codes.metadataVersionError, "PreviousVersion \(version) is not the document's version (\(current)): query it again", at: lid)
        }
    }
}
