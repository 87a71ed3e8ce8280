import CarnetCore
import CarnetService
import Foundation

/// ITI-18 GetAll (ITI TF-2a §3.18.4.1.2.3.7.9): a patient's DocumentEntries and SubmissionSets as the
/// reader sees them, with the associations between what is returned (each set's HasMember of its
/// documents, each RPLC, APND, XFRM and signs whose both ends are returned). Onto the same searches as FindDocuments and
/// FindSubmissionSets, so a document the reader may not see is absent, and so is every association
/// naming it. Carnet has no folders (as over MHD): `$XDSFolderStatus` is required, as the query
/// defines it, and finds none.
extension XDSStoredQuery {
    func getAll(_ parameters: XDSQueryParameters, by actor: Actor) async throws -> Found {
        try parameters.refuseOthers(than: ["$patientId", "$XDSDocumentEntryStatus", "$XDSSubmissionSetStatus", "$XDSFolderStatus",
                                           "$XDSDocumentEntryFormatCode", "$XDSDocumentEntryConfidentialityCode", "$XDSDocumentEntryType",
                                           "$homeCommunityId"])
        let codes = XDSVocabulary.ErrorCode.self
        let ins = try XDSCoding.ins(fromCX: try parameters.required("$patientId"), keyChecking: keyChecking)
        for required in ["$XDSSubmissionSetStatus", "$XDSFolderStatus"] where parameters.all(required).isEmpty {
            throw XDSFailure(codes.storedQueryParamNumber, "parameter \(required) is required")
        }
        var query = DocumentQuery()
        query.statuses = try statuses(parameters.all("$XDSDocumentEntryStatus"))
        query.securityLabels = parameters.tokens("$XDSDocumentEntryConfidentialityCode")
        query.foldsDuplicates = false
        query.count = DocumentQuery.maximumCount
        let filter = try XDSEntryFilter(parameters)
        var entries: [DocumentEntry] = []
        if !query.statuses.isEmpty {
            let result = try await service.findDocuments(of: .ins(ins), query, by: actor)
            guard result.total <= query.count else {
                throw XDSFailure(codes.tooManyResults, "\(result.total) documents match, more than the \(query.count) one answer carries: use FindDocuments")
            }
            entries = result.page.filter(filter.matches)
        }
        var sets: [SubmissionSet] = []
        if parameters.all("$XDSSubmissionSetStatus").contains(XDSVocabulary.Status.approved) {
            var setQuery = SubmissionSetQuery()
            setQuery.count = DocumentQuery.maximumCount
            let result = try await service.searchSubmissionSets(of: .ins(ins), setQuery, by: actor)
            guard result.total <= setQuery.count else {
                throw XDSFailure(codes.tooManyResults, "\(result.total) submission sets match: use FindSubmissionSets")
            }
            sets = result.page
        }
        var found = Found()
        for entry in entries {
            found.objects.append(EbRIMWriter.extrinsicObject(entry, ins: ins, repositoryUniqueID: XDSRoutes.repositoryUniqueID))
            found.refs.append(EbRIMWriter.entryUUID(entry.id))
        }
        for set in sets {
            found.objects.append(EbRIMWriter.registryPackage(set, ins: ins))
            found.refs.append(EbRIMWriter.entryUUID(set.id))
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
        for entry in entries {
            found.add(Self.relationAssociations(of: entry, keeping: returned.contains))
            guard let replaced = entry.replaces, returned.contains(replaced) else { continue }
            let associationID = "urn:uuid:\(entry.id)-rplc"
            found.objects.append(EbRIMWriter.association(id: associationID, type: XDSVocabulary.AssociationType.replace,
                                                         source: EbRIMWriter.entryUUID(entry.id), target: EbRIMWriter.entryUUID(replaced)))
            found.refs.append(associationID)
        }
        return found
    }
}
