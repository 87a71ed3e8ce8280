import CarnetCore
import CarnetService
import Foundation

/// ITI-57 Update Document Set onto the same document changes as MHD's PATCH: an availability status
/// change (`UpdateAvailabilityStatus` association: Approved → Deprecated archives, Deprecated →
/// Approved unarchives, TD3.3d, as PDSm's is-archived patch does) is ``RecordService/DocumentChange/transition(_:_:expectedVersion:)``;
/// a DocumentEntry metadata update (an ExtrinsicObject with the document's `lid` and its
/// `PreviousVersion`) applies its `confidentialityCode` as ``RecordService/DocumentChange/labels(_:_:expectedVersion:)``
/// (TD3.3a/b: MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX), each flag decided by the same policy.
///
/// Several changes in one request are applied all or nothing (ITI TF-2b §3.57.4.1.3): every change is
/// read, then decided, before any is saved, and all are saved in one transaction by
/// ``RecordService/changeDocuments(_:in:by:)``. Every document named must be the SubmissionSet's
/// patient's (`XDSPatientIdDoesNotMatch`). Other metadata of an update are not applied (README, "XDS.b gateway").
struct XDSUpdateDocumentSet {
    let service: RecordService
    let keyChecking: INS.KeyChecking

    static let updateAvailabilityStatus = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
    /// At most this many changes in one request, as ITI-41 takes at most 100 documents.
    static let maximumChanges = 100

    func answer(_ envelope: SOAPEnvelope, by actor: Actor) async throws -> (body: String, documents: [Data]) {
        let rim = XDSVocabulary.Namespace.rim
        let codes = XDSVocabulary.ErrorCode.self
        guard envelope.request.name == "SubmitObjectsRequest", envelope.request.namespace == XDSVocabulary.Namespace.lcm,
              let list = envelope.request.child("RegistryObjectList", rim) else {
            throw XDSFailure(codes.metadataUpdateError, "the body is not a SubmitObjectsRequest with its RegistryObjectList")
        }
        let objects = EbRIMObjects(list)
        let sets = objects.registryPackages.filter(objects.isSubmissionSet)
        guard sets.count == 1, let patient = sets[0].externalIdentifier(XDSVocabulary.SubmissionSet.patientID) else {
            throw XDSFailure(codes.metadataUpdateError, "an update names its patient in one SubmissionSet (its patientId)")
        }
        let ins = try XDSCoding.ins(fromCX: patient, keyChecking: keyChecking)
        let statusChanges = objects.associations.filter { $0.attributes["associationType"] == Self.updateAvailabilityStatus }
        let updates = objects.extrinsicObjects
        guard !statusChanges.isEmpty || !updates.isEmpty else {
            throw XDSFailure(codes.metadataUpdateError, "the request changes nothing: send UpdateAvailabilityStatus associations or DocumentEntry updates")
        }
        guard statusChanges.count + updates.count <= Self.maximumChanges else {
            throw XDSFailure(codes.metadataUpdateError, "more than \(Self.maximumChanges) changes in one request: split it")
        }
        // Every change read before any is decided: a request that cannot be read changes nothing.
        var changes = try statusChanges.map(statusChange)
        changes += try updates.map { try labelUpdate($0, objects, ins: ins) }
        var named: Set<DocumentID> = []
        if let twice = changes.first(where: { !named.insert($0.documentID).inserted }) {
            throw XDSFailure(codes.metadataUpdateError, "urn:uuid:\(twice.documentID) is changed twice: one change per document in a request",
                             at: "urn:uuid:\(twice.documentID)")
        }
        do {
            _ = try await service.changeDocuments(changes, in: .ins(ins), by: actor)
        } catch DocumentInputError.versionMismatch(let current) {
            throw XDSFailure(codes.metadataVersionError, "a PreviousVersion is not the document's version (\(current)): query it again")
        }
        return (SOAPWriter.registryResponse(nil), [])
    }

    private func statusChange(_ association: XMLElementNode) throws -> RecordService.DocumentChange {
        let codes = XDSVocabulary.ErrorCode.self
        let target = association.attributes["targetObject"] ?? ""
        guard let id = XDSStoredQuery.documentID(target) else {
            throw XDSFailure(codes.unresolvedReference, "targetObject '\(target.prefix(100))' is not a DocumentEntry's entryUUID", at: target)
        }
        let (from, to) = (association.slot("OriginalStatus").first, association.slot("NewStatus").first)
        if from == XDSVocabulary.Status.approved && to == XDSVocabulary.Status.deprecated {
            return .transition(id, .archive)
        } else if from == XDSVocabulary.Status.deprecated && to == XDSVocabulary.Status.approved {
            return .transition(id, .unarchive)
        }
        throw XDSFailure(codes.metadataUpdateError, "the status change must be Approved → Deprecated (archive) or Deprecated → Approved (unarchive)",
                         at: target)
    }

    private func labelUpdate(_ object: XMLElementNode, _ objects: EbRIMObjects, ins: INS) throws -> RecordService.DocumentChange {
        let codes = XDSVocabulary.ErrorCode.self
        let lid = object.attributes["lid"] ?? ""
        guard let id = XDSStoredQuery.documentID(lid) else {
            throw XDSFailure(codes.unresolvedReference, "the DocumentEntry's lid '\(lid.prefix(100))' is not a document's entryUUID", at: lid)
        }
        if let patient = object.externalIdentifier(XDSVocabulary.DocumentEntry.patientID),
           try XDSCoding.ins(fromCX: patient, keyChecking: keyChecking) != ins {
            throw XDSFailure(codes.patientIDDoesNotMatch, "the DocumentEntry names another patient than the SubmissionSet", at: lid)
        }
        let objectID = object.attributes["id"] ?? ""
        let previous = objects.associations.first { $0.attributes["targetObject"] == objectID }?.slot("PreviousVersion").first
        guard let previous, let version = Int(previous) else {
            throw XDSFailure(codes.metadataUpdateError, "the update's HasMember association needs its PreviousVersion slot", at: lid)
        }
        let labels = objects.classifications(of: object, scheme: XDSVocabulary.DocumentEntry.confidentialityCode).compactMap(\.classificationCode)
        guard !labels.isEmpty else { throw XDSFailure(codes.metadataUpdateError, "the update has no confidentialityCode", at: lid) }
        return .labels(id, labels, expectedVersion: version)
    }
}
