import CarnetCore
import CarnetService
import Foundation

/// ITI-18 GetSubmissionSetAndContents (ITI TF-2a §3.18.4.1.2.3.7.6): a submission set named by its
/// entryUUID or unique id, its documents and the HasMember associations between them, as the reader
/// sees them — onto the same searches as FindSubmissionSets and FindDocuments, so the set lists only
/// documents the reader may see and a set with none of them is not found. Carnet has no folders.
///
/// The query names no patient, and Carnet keeps and searches submission sets within a patient's
/// record: the set is looked for in the record of the patient the caller is bound to — the VIHF's
/// patient (`resource-id`), or the patient's own record for the patient side. A caller bound to no
/// patient (a bearer token or a client certificate) is refused with XDSRegistryError, told to send a
/// VIHF or use FindSubmissionSets and GetAssociations, which name the patient.
extension XDSStoredQuery {
    func getSubmissionSetAndContents(_ parameters: XDSQueryParameters, by actor: Actor) async throws -> Found {
        try parameters.refuseOthers(than: ["$XDSSubmissionSetEntryUUID", "$XDSSubmissionSetUniqueId", "$XDSDocumentEntryFormatCode",
                                           "$XDSDocumentEntryConfidentialityCode", "$homeCommunityId", "$MetadataLevel"])
        let codes = XDSVocabulary.ErrorCode.self
        let uuid = try parameters.single("$XDSSubmissionSetEntryUUID")
        let uniqueID = try parameters.single("$XDSSubmissionSetUniqueId")
        guard (uuid == nil) != (uniqueID == nil) else {
            throw XDSFailure(codes.storedQueryParamNumber,
                             "GetSubmissionSetAndContents takes either $XDSSubmissionSetEntryUUID or $XDSSubmissionSetUniqueId")
        }
        var patient = actor.patientScope
        if patient == nil, case .patient(let ins) = actor.role { patient = ins }
        guard let ins = patient else {
            throw XDSFailure(codes.registryError, "GetSubmissionSetAndContents needs the patient: send a VIHF naming them (resource-id), "
                             + "or use FindSubmissionSets and GetAssociations with the patient id")
        }
        var query = SubmissionSetQuery()
        if let uuid {
            guard let id = SubmissionSetID(uuid.hasPrefix("urn:uuid:") ? String(uuid.dropFirst(9)) : uuid) else { return Found() }
            query.ids = [id]
        } else if let uniqueID {
            query.uniqueIDs = [uniqueID]
        }
        query.count = DocumentQuery.maximumCount
        // A unique id is unique per submitter within a record: several submitters' sets may share it, each answered.
        let sets = try await service.searchSubmissionSets(of: .ins(ins), query, by: actor).page
        guard !sets.isEmpty else { return Found() }
        var documents = DocumentQuery()
        documents.statuses = Set(DocumentStatus.allCases.filter(\.isReadable))
        documents.ids = sets.flatMap(\.documentIDs)
        documents.securityLabels = parameters.tokens("$XDSDocumentEntryConfidentialityCode")
        documents.foldsDuplicates = false
        documents.count = DocumentQuery.maximumCount
        let filter = try XDSEntryFilter(parameters)
        let entries = try await service.findDocuments(of: .ins(ins), documents, by: actor).page.filter(filter.matches)
        var found = Found()
        for set in sets {
            found.objects.append(EbRIMWriter.registryPackage(set, ins: ins))
            found.refs.append(EbRIMWriter.entryUUID(set.id))
        }
        for entry in entries {
            found.objects.append(EbRIMWriter.extrinsicObject(entry, ins: ins, repositoryUniqueID: XDSRoutes.repositoryUniqueID))
            found.refs.append(EbRIMWriter.entryUUID(entry.id))
        }
        let returned = Set(entries.map(\.id))
        for set in sets {
            for id in set.documentIDs where returned.contains(id) {
                let associationID = "urn:uuid:\(set.id)-\(id)"
                found.objects.append(EbRIMWriter.association(id: associationID, type: XDSVocabulary.AssociationType.hasMember,
                                                             source: EbRIMWriter.entryUUID(set.id), target: EbRIMWriter.entryUUID(id)))
                found.refs.append(associationID)
            }
        }
        return found
    }
}
