import CarnetCore
import CarnetService
import Foundation

/// ITI-18 Registry Stored Query onto the same searches as MHD: FindDocuments onto
/// ``RecordService/findDocuments(of:_:lastAccess:by:)`` (ITI-67's), FindSubmissionSets onto
/// ``RecordService/searchSubmissionSets(of:_:by:)`` (ITI-66's), GetDocuments onto the reads by id or
/// unique id, GetAssociations onto the documents' submission sets and replacements — so a document
/// the reader may not see is absent from the answer, as from every FHIR answer (the leak suite).
///
/// `returnType` LeafClass writes the objects whole (``EbRIMWriter``), ObjectRef only their ids.
struct XDSStoredQuery {
    let service: RecordService
    let keyChecking: INS.KeyChecking

    struct Found {
        var objects: [String] = []
        var refs: [String] = []

        mutating func add(_ associations: [(id: String, xml: String)]) {
            objects += associations.map(\.xml)
            refs += associations.map(\.id)
        }
    }

    func answer(_ envelope: SOAPEnvelope, by actor: Actor) async throws -> (body: String, documents: [Data]) {
        let rim = XDSVocabulary.Namespace.rim
        let request = envelope.request
        guard request.name == "AdhocQueryRequest", request.namespace == XDSVocabulary.Namespace.query,
              let query = request.child("AdhocQuery", rim) else {
            throw XDSFailure(XDSVocabulary.ErrorCode.registryError, "the body is not an AdhocQueryRequest with an AdhocQuery")
        }
        let returnType = request.child("ResponseOption", XDSVocabulary.Namespace.query)?.attributes["returnType"] ?? "ObjectRef"
        guard returnType == "LeafClass" || returnType == "ObjectRef" else {
            throw XDSFailure(XDSVocabulary.ErrorCode.registryError, "returnType '\(returnType.prefix(40))' is not served: LeafClass or ObjectRef")
        }
        let parameters = try XDSQueryParameters(query)
        let found: Found
        switch query.attributes["id"] ?? "" {
        case XDSVocabulary.StoredQuery.findDocuments: found = try await findDocuments(parameters, by: actor)
        case XDSVocabulary.StoredQuery.getDocuments: found = try await getDocuments(parameters, by: actor)
        case XDSVocabulary.StoredQuery.findSubmissionSets: found = try await findSubmissionSets(parameters, by: actor)
        case XDSVocabulary.StoredQuery.getAssociations: found = try await getAssociations(parameters, by: actor)
        case XDSVocabulary.StoredQuery.getAll: found = try await getAll(parameters, by: actor)
        case XDSVocabulary.StoredQuery.getSubmissionSetAndContents: found = try await getSubmissionSetAndContents(parameters, by: actor)
        case let id:
            throw XDSFailure(XDSVocabulary.ErrorCode.unknownStoredQuery, "stored query \(id.prefix(100)) is not served: FindDocuments, GetDocuments, "
                             + "FindSubmissionSets, GetAssociations, GetAll and GetSubmissionSetAndContents are")
        }
        let list = returnType == "LeafClass" ? found.objects.joined() : found.refs.map(EbRIMWriter.objectRef).joined()
        return (Self.body(status: XDSVocabulary.ResponseStatus.success, list: list, failure: nil), [])
    }

    static func body(status: String, list: String, failure: XDSFailure?) -> String {
        "<query:AdhocQueryResponse xmlns:query=\"\(XDSVocabulary.Namespace.query)\" xmlns:rim=\"\(XDSVocabulary.Namespace.rim)\" "
            + "xmlns:rs=\"\(XDSVocabulary.Namespace.rs)\" status=\"\(status)\">"
            + (failure.map(SOAPWriter.errorList) ?? "") + "<rim:RegistryObjectList>\(list)</rim:RegistryObjectList></query:AdhocQueryResponse>"
    }

    static func failureBody(_ failure: XDSFailure) -> String {
        body(status: XDSVocabulary.ResponseStatus.failure, list: "", failure: failure)
    }

    /// The statuses asked for: Approved is current, Deprecated superseded or archived.
    func statuses(_ values: [String]) throws -> Set<DocumentStatus> {
        guard !values.isEmpty else {
            throw XDSFailure(XDSVocabulary.ErrorCode.storedQueryParamNumber, "a status parameter is required (Approved, Deprecated)")
        }
        var statuses: Set<DocumentStatus> = []
        for value in values {
            switch value {
            case XDSVocabulary.Status.approved: statuses.insert(.current)
            case XDSVocabulary.Status.deprecated: statuses.formUnion([.superseded, .archived])
            default: continue
            }
        }
        return statuses
    }

    private func findDocuments(_ parameters: XDSQueryParameters, by actor: Actor) async throws -> Found {
        try parameters.refuseOthers(than: ["$XDSDocumentEntryPatientId", "$XDSDocumentEntryStatus", "$XDSDocumentEntryClassCode",
                                           "$XDSDocumentEntryTypeCode", "$XDSDocumentEntryPracticeSettingCode",
                                           "$XDSDocumentEntryHealthcareFacilityTypeCode", "$XDSDocumentEntryEventCodeList",
                                           "$XDSDocumentEntryConfidentialityCode", "$XDSDocumentEntryFormatCode",
                                           "$XDSDocumentEntryCreationTimeFrom", "$XDSDocumentEntryCreationTimeTo", "$XDSDocumentEntryType",
                                           "$XDSDocumentEntryAuthorPerson", "$XDSDocumentEntryServiceStartTimeFrom",
                                           "$XDSDocumentEntryServiceStartTimeTo", "$XDSDocumentEntryServiceStopTimeFrom",
                                           "$XDSDocumentEntryServiceStopTimeTo"])
        let ins = try XDSCoding.ins(fromCX: try parameters.required("$XDSDocumentEntryPatientId"), keyChecking: keyChecking)
        var query = DocumentQuery()
        query.statuses = try statuses(parameters.all("$XDSDocumentEntryStatus"))
        query.categories = parameters.tokens("$XDSDocumentEntryClassCode")
        query.types = parameters.tokens("$XDSDocumentEntryTypeCode")
        query.settings = parameters.tokens("$XDSDocumentEntryPracticeSettingCode")
        query.facilities = parameters.tokens("$XDSDocumentEntryHealthcareFacilityTypeCode")
        query.events = parameters.tokens("$XDSDocumentEntryEventCodeList")
        query.securityLabels = parameters.tokens("$XDSDocumentEntryConfidentialityCode")
        if let from = try parameters.date("$XDSDocumentEntryCreationTimeFrom") { query.dates.append(DateCondition(.ge, lower: from, upper: from)) }
        if let to = try parameters.date("$XDSDocumentEntryCreationTimeTo") { query.dates.append(DateCondition(.lt, lower: to, upper: to)) }
        query.foldsDuplicates = false
        query.count = DocumentQuery.maximumCount
        let filter = try XDSEntryFilter(parameters)
        guard !query.statuses.isEmpty else { return Found() }
        let result = try await service.findDocuments(of: .ins(ins), query, by: actor)
        guard result.total <= query.count else {
            throw XDSFailure(XDSVocabulary.ErrorCode.tooManyResults,
                             "\(result.total) documents match, more than the \(query.count) one answer carries: narrow the query (dates, codes)")
        }
        // formatCode, authorPerson and the service times are no search of the service's: filtered here, on what the reader may see.
        let entries = result.page.filter(filter.matches)
        return Found(objects: entries.map { EbRIMWriter.extrinsicObject($0, ins: ins, repositoryUniqueID: XDSRoutes.repositoryUniqueID) },
                     refs: entries.map { EbRIMWriter.entryUUID($0.id) })
    }

    private func getDocuments(_ parameters: XDSQueryParameters, by actor: Actor) async throws -> Found {
        try parameters.refuseOthers(than: ["$XDSDocumentEntryEntryUUID", "$XDSDocumentEntryUniqueId", "$homeCommunityId", "$MetadataLevel"])
        let uuids = parameters.all("$XDSDocumentEntryEntryUUID")
        let uniqueIDs = parameters.all("$XDSDocumentEntryUniqueId")
        guard uuids.isEmpty != uniqueIDs.isEmpty else {
            throw XDSFailure(XDSVocabulary.ErrorCode.storedQueryParamNumber, "GetDocuments takes either $XDSDocumentEntryEntryUUID or $XDSDocumentEntryUniqueId")
        }
        guard uuids.count + uniqueIDs.count <= 100 else {
            throw XDSFailure(XDSVocabulary.ErrorCode.tooManyResults, "GetDocuments names more than 100 documents: split it")
        }
        var entries: [DocumentEntry] = []
        for uuid in uuids {
            // Only "not found / not yours" drops an id, as ITI-67's `_id` does; anything else fails the query.
            guard let id = Self.documentID(uuid) else { continue }
            do { entries.append(try await service.readDocument(id, by: actor)) } catch AccessError.notFound { continue }
        }
        for uniqueID in uniqueIDs {
            do {
                entries.append(try await service.readDocument(try await service.documentID(uniqueID: uniqueID, by: actor), by: actor))
            } catch AccessError.notFound { continue }
        }
        var found = Found()
        var patients: [RecordID: INS] = [:]
        for entry in entries {
            if patients[entry.recordID] == nil { patients[entry.recordID] = try await service.readRecord(entry.recordID, by: actor).ins }
            guard let ins = patients[entry.recordID] else { continue }
            found.objects.append(EbRIMWriter.extrinsicObject(entry, ins: ins, repositoryUniqueID: XDSRoutes.repositoryUniqueID))
            found.refs.append(EbRIMWriter.entryUUID(entry.id))
        }
        return found
    }

    private func findSubmissionSets(_ parameters: XDSQueryParameters, by actor: Actor) async throws -> Found {
        try parameters.refuseOthers(than: ["$XDSSubmissionSetPatientId", "$XDSSubmissionSetStatus", "$XDSSubmissionSetSourceId",
                                           "$XDSSubmissionSetSubmissionTimeFrom", "$XDSSubmissionSetSubmissionTimeTo"])
        let ins = try XDSCoding.ins(fromCX: try parameters.required("$XDSSubmissionSetPatientId"), keyChecking: keyChecking)
        guard parameters.all("$XDSSubmissionSetStatus").contains(XDSVocabulary.Status.approved) else {
            // Submission sets are always Approved; asking for other statuses finds none.
            if parameters.all("$XDSSubmissionSetStatus").isEmpty {
                throw XDSFailure(XDSVocabulary.ErrorCode.storedQueryParamNumber, "parameter $XDSSubmissionSetStatus is required")
            }
            return Found()
        }
        var query = SubmissionSetQuery()
        query.sourceIDs = parameters.all("$XDSSubmissionSetSourceId")
        if let from = try parameters.date("$XDSSubmissionSetSubmissionTimeFrom") { query.dates.append(DateCondition(.ge, lower: from, upper: from)) }
        if let to = try parameters.date("$XDSSubmissionSetSubmissionTimeTo") { query.dates.append(DateCondition(.lt, lower: to, upper: to)) }
        query.count = DocumentQuery.maximumCount
        let result = try await service.searchSubmissionSets(of: .ins(ins), query, by: actor)
        guard result.total <= query.count else {
            throw XDSFailure(XDSVocabulary.ErrorCode.tooManyResults, "\(result.total) submission sets match: narrow the query")
        }
        return Found(objects: result.page.map { EbRIMWriter.registryPackage($0, ins: ins) }, refs: result.page.map { EbRIMWriter.entryUUID($0.id) })
    }

    /// The associations of DocumentEntries: the HasMember of the submission set that brought each
    /// (as the reader sees it) and the RPLC to the version it replaced.
    private func getAssociations(_ parameters: XDSQueryParameters, by actor: Actor) async throws -> Found {
        try parameters.refuseOthers(than: ["$uuid", "$homeCommunityId", "$MetadataLevel"])
        let uuids = parameters.all("$uuid")
        guard !uuids.isEmpty else { throw XDSFailure(XDSVocabulary.ErrorCode.storedQueryParamNumber, "parameter $uuid is required") }
        guard uuids.count <= 100 else { throw XDSFailure(XDSVocabulary.ErrorCode.tooManyResults, "GetAssociations names more than 100 objects: split it") }
        var found = Found()
        var setsByRecord: [RecordID: [SubmissionSet]] = [:]
        for uuid in uuids {
            guard let id = Self.documentID(uuid) else { continue }
            let entry: DocumentEntry
            do { entry = try await service.readDocument(id, by: actor) } catch AccessError.notFound { continue }
            if setsByRecord[entry.recordID] == nil {
                var all = SubmissionSetQuery()
                all.count = Int.max
                setsByRecord[entry.recordID] = try await service.searchSubmissionSets(of: .record(entry.recordID), all, by: actor).page
            }
            for set in setsByRecord[entry.recordID] ?? [] where set.documentIDs.contains(entry.id) {
                let associationID = "urn:uuid:\(set.id)-\(entry.id)"
                found.objects.append(EbRIMWriter.association(id: associationID, type: XDSVocabulary.AssociationType.hasMember,
                                                             source: EbRIMWriter.entryUUID(set.id), target: EbRIMWriter.entryUUID(entry.id)))
                found.refs.append(associationID)
            }
            if let replaced = entry.replaces {
                let associationID = "urn:uuid:\(entry.id)-rplc"
                found.objects.append(EbRIMWriter.association(id: associationID, type: XDSVocabulary.AssociationType.replace,
                                                             source: EbRIMWriter.entryUUID(entry.id), target: EbRIMWriter.entryUUID(replaced)))
                found.refs.append(associationID)
            }
            found.add(Self.relationAssociations(of: entry))
        }
        return found
    }

    /// A document's APND, XFRM and signs associations (MHD's `relatesTo` appends, transforms, signs),
    /// those whose target `keeps`. Their target may be a document the reader no longer sees: only its
    /// entryUUID is written, which the reader's own document names anyway.
    static func relationAssociations(of entry: DocumentEntry, keeping keeps: (DocumentID) -> Bool = { _ in true }) -> [(id: String, xml: String)] {
        let types = XDSVocabulary.AssociationType.self
        return (entry.relations ?? []).enumerated().filter { keeps($0.element.target) }.map { index, relation in
            let type = switch relation.code {
            case .appends: types.append
            case .transforms: types.transform
            case .signs: types.signs
            }
            let id = "urn:uuid:\(entry.id)-\(relation.code.rawValue)-\(index)"
            return (id, EbRIMWriter.association(id: id, type: type, source: EbRIMWriter.entryUUID(entry.id),
                                                target: EbRIMWriter.entryUUID(relation.target)))
        }
    }

    /// A DocumentEntry's entryUUID (`urn:uuid:<id>`) as its id; `nil` for anything else (it names nothing here).
    static func documentID(_ uuid: String) -> DocumentID? {
        DocumentID(uuid.hasPrefix("urn:uuid:") ? String(uuid.dropFirst(9)) : uuid)
    }
}
