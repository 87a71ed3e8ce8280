import CarnetCore
import CarnetFHIR
import CarnetService
import Crypto
import Foundation

/// An ITI-41 Provide and Register Document Set-b request read into what ITI-65 gives the service: the
/// documents (metadata and bytes), the submission set, and the patient — so both doors push through
/// the one ``RecordService/publish(_:as:for:by:)``.
///
/// Mapping (ITI TF-3 §4.2.3, DMP metadata): `typeCode` → type, `classCode` → category,
/// `healthcareFacilityTypeCode`, `practiceSettingCode`, `eventCodeList`, `formatCode` as such,
/// `confidentialityCode` → the visibility labels (`MASQUE_PS`, `INVISIBLE_PATIENT`,
/// `INVISIBLE_REPRESENTANTS_LEGAUX`, TRE_A07) and the HL7 level, `uniqueId`, `creationTime`,
/// `serviceStartTime`/`serviceStopTime`, `languageCode`, `title`, `comments`, the authors, an `RPLC`
/// association → the document it replaces, and `APND`, `XFRM`, `signs` → MHD's `relatesTo` appends,
/// transforms, signs (their targets checked by the service as over MHD). Every refusal is an ``XDSFailure`` with its XDS code.
struct XDSSubmission {
    var documents: [RecordService.Submission]
    var submissionSet: SubmissionSetDraft?
    var subject: RecordService.Subject

    static func read(_ envelope: SOAPEnvelope, keyChecking: INS.KeyChecking, maxContentSize: Int) throws -> XDSSubmission {
        let rim = XDSVocabulary.Namespace.rim
        let request = envelope.request
        guard request.name == "ProvideAndRegisterDocumentSetRequest", request.namespace == XDSVocabulary.Namespace.xdsb,
              let list = request.child("SubmitObjectsRequest", XDSVocabulary.Namespace.lcm)?.child("RegistryObjectList", rim) else {
            throw XDSFailure(XDSVocabulary.ErrorCode.repositoryError,
                             "the body is not a ProvideAndRegisterDocumentSetRequest with a SubmitObjectsRequest and its RegistryObjectList")
        }
        let objects = EbRIMObjects(list)
        guard !objects.extrinsicObjects.isEmpty else { throw XDSFailure.metadata("the submission has no DocumentEntry (ExtrinsicObject)") }
        guard objects.extrinsicObjects.count <= 100 else { throw XDSFailure.metadata("the submission has more than 100 documents: split it") }
        var bytes: [String: Data] = [:]
        for element in request.children("Document", XDSVocabulary.Namespace.xdsb) {
            guard let id = element.attributes["id"], let data = envelope.documentBytes(element) else {
                throw XDSFailure(XDSVocabulary.ErrorCode.missingDocument, "a Document has no id, or no content (base64, or an xop:Include naming a part)")
            }
            bytes[id] = data
        }
        // One patient for the whole submission, as the DMP and XDS require.
        var patientIDs: [String] = []
        let setPackages = objects.registryPackages.filter(objects.isSubmissionSet)
        guard setPackages.count <= 1 else { throw XDSFailure.metadata("the submission has more than one SubmissionSet") }
        if let set = setPackages.first, let patient = set.externalIdentifier(XDSVocabulary.SubmissionSet.patientID) { patientIDs.append(patient) }
        for object in objects.extrinsicObjects {
            guard let patient = object.externalIdentifier(XDSVocabulary.DocumentEntry.patientID) else {
                throw XDSFailure.metadata("a DocumentEntry has no patientId (ExternalIdentifier \(XDSVocabulary.DocumentEntry.patientID))",
                                          at: object.attributes["id"])
            }
            patientIDs.append(patient)
        }
        let patients = try patientIDs.map { try XDSCoding.ins(fromCX: $0, keyChecking: keyChecking) }
        guard let ins = patients.first, patients.allSatisfy({ $0 == ins }) else {
            throw XDSFailure(XDSVocabulary.ErrorCode.patientIDDoesNotMatch, "the SubmissionSet and its DocumentEntries name different patients")
        }
        let (replaced, related) = try links(objects)
        var documents: [RecordService.Submission] = []
        for object in objects.extrinsicObjects {
            let id = object.attributes["id"] ?? ""
            guard let data = bytes.removeValue(forKey: id) else {
                throw XDSFailure(XDSVocabulary.ErrorCode.missingDocument, "DocumentEntry \(id.prefix(100)) has no Document in the request", at: id)
            }
            var draft = try draft(object, objects, data: data, replaces: replaced[id], maxContentSize: maxContentSize)
            draft.relations = related[id, default: []].map(\.relation)
            draft.relationPaths = related[id, default: []].map(\.path)
            documents.append(RecordService.Submission(draft: draft, content: data))
        }
        if let orphan = bytes.keys.first {
            throw XDSFailure(XDSVocabulary.ErrorCode.missingDocumentMetadata, "Document \(orphan.prefix(100)) has no DocumentEntry", at: orphan)
        }
        return XDSSubmission(documents: documents, submissionSet: setPackages.first.map { submissionSet($0, objects) }, subject: .ins(ins))
    }

    /// The links of the submitted documents to stored ones, by the submitted DocumentEntry's id: the
    /// document each `RPLC` replaces, and the `APND`, `XFRM` and `signs` links (MHD's `relatesTo`
    /// `appends`, `transforms`, `signs`), each target the entryUUID of a stored document.
    private static func links(_ objects: EbRIMObjects) throws
        -> (replaced: [String: DocumentID], related: [String: [(relation: DocumentRelation, path: String)]]) {
        let types = XDSVocabulary.AssociationType.self
        let kinds: [String: DocumentRelation.Kind] = [types.append: .appends, types.transform: .transforms, types.signs: .signs]
        var replaced: [String: DocumentID] = [:]
        var related: [String: [(relation: DocumentRelation, path: String)]] = [:]
        for association in objects.associations {
            let type = association.attributes["associationType"] ?? ""
            guard type != types.hasMember else { continue }
            guard type == types.replace || kinds[type] != nil else {
                throw XDSFailure(XDSVocabulary.ErrorCode.registryMetadataError,
                                 "association type '\(type.prefix(100))' is not supported: HasMember, RPLC, APND, XFRM and signs are")
            }
            let target = association.attributes["targetObject"] ?? ""
            let name = type.split(separator: ":").last.map(String.init) ?? type
            guard let source = association.attributes["sourceObject"],
                  let id = DocumentID(target.hasPrefix("urn:uuid:") ? String(target.dropFirst(9)) : target) else {
                throw XDSFailure(XDSVocabulary.ErrorCode.unresolvedReference,
                                 "the \(name) association's target '\(target.prefix(100))' is not the entryUUID of a document (urn:uuid:…)")
            }
            if let kind = kinds[type] {
                related[source, default: []].append((DocumentRelation(code: kind, target: id), "the \(name) association's targetObject"))
            } else {
                replaced[source] = id
            }
        }
        return (replaced, related)
    }

    private static func draft(_ object: XMLElementNode, _ objects: EbRIMObjects, data: Data, replaces: DocumentID?,
                              maxContentSize: Int) throws -> DocumentDraft {
        let scheme = XDSVocabulary.DocumentEntry.self
        let id = object.attributes["id"] ?? ""
        func code(_ classification: String) -> Code? { objects.classifications(of: object, scheme: classification).first?.classificationCode }
        guard let mimeType = object.attributes["mimeType"], !mimeType.isEmpty else {
            throw XDSFailure.metadata("DocumentEntry \(id.prefix(100)) has no mimeType", at: id)
        }
        let contentType = DocumentDraft.mediaType(of: mimeType)
        guard DocumentDraft.acceptedContentTypes.contains(contentType) else {
            throw XDSFailure.metadata("mimeType '\(mimeType.prefix(100))' is not accepted: expected PDF, plain text, CDA XML, FHIR JSON, JPEG or PNG", at: id)
        }
        guard data.count <= maxContentSize else {
            throw XDSFailure(XDSVocabulary.ErrorCode.repositoryError,
                             "the document has \(data.count) bytes, more than the \(maxContentSize) this server accepts", at: id)
        }
        if let size = object.slot("size").first, Int(size) != data.count {
            throw XDSFailure(XDSVocabulary.ErrorCode.repositoryMetadataError, "size \(size.prefix(20)) differs from the document's \(data.count) bytes", at: id)
        }
        if let hash = object.slot("hash").first, hash.lowercased() != Insecure.SHA1.hash(data: data).map({ String(format: "%02x", $0) }).joined() {
            throw XDSFailure(XDSVocabulary.ErrorCode.repositoryMetadataError, "hash \(hash.prefix(60)) is not the SHA-1 of the document", at: id)
        }
        if let problem = ContentInspection.problem(with: data, mediaType: contentType) {
            throw XDSFailure.metadata("the document \(problem)", at: id)
        }
        let header = CDAHeaderReader.header(of: data, mediaType: contentType)
        guard let type = code(scheme.typeCode) ?? header?.type else {
            throw XDSFailure.metadata("DocumentEntry \(id.prefix(100)) has no typeCode", at: id)
        }
        let confidentiality = objects.classifications(of: object, scheme: scheme.confidentialityCode).compactMap(\.classificationCode)
        let visibility: DocumentVisibility
        do {
            visibility = try DocumentVisibility(labels: confidentiality.map { (system: $0.system, code: $0.code) })
        } catch {
            throw XDSFailure.metadata("confidentialityCode: \(error.description)", at: id)
        }
        let dmpSystems: Set<String> = [DocumentVisibility.system, DocumentVisibility.oid, Confidentiality.system]
        let uniqueID = object.externalIdentifier(scheme.uniqueID)
        guard let uniqueID, !uniqueID.isEmpty else { throw XDSFailure.metadata("DocumentEntry \(id.prefix(100)) has no uniqueId", at: id) }
        func date(_ slot: String) throws -> Date? {
            guard let text = object.slot(slot).first else { return nil }
            guard let date = XDSCoding.date(text) else {
                throw XDSFailure.metadata("\(slot) '\(text.prefix(40))' is not a date: expected YYYYMMDDhhmmss in UTC", at: id)
            }
            return date
        }
        let start = try date("serviceStartTime")
        let stop = try date("serviceStopTime")
        var draft = DocumentDraft(
            uniqueID: uniqueID, type: type, category: code(scheme.classCode), title: object.localizedString("Name"),
            comment: object.localizedString("Description"),
            authors: XDSAuthors.read(objects.classifications(of: object, scheme: scheme.author)),
            date: try date("creationTime"), servicePeriod: start == nil && stop == nil ? nil : DatePeriod(start: start, end: stop),
            facilityType: code(scheme.healthcareFacilityTypeCode), practiceSetting: code(scheme.practiceSettingCode),
            events: objects.classifications(of: object, scheme: scheme.eventCode).prefix(16).compactMap(\.classificationCode),
            format: code(scheme.formatCode), visibility: visibility,
            otherLabels: confidentiality.filter { !dmpSystems.contains($0.system ?? "") },
            contentType: contentType, language: object.slot("languageCode").first, replaces: replaces)
        draft.cdaHeader = header
        return draft
    }

    private static func submissionSet(_ package: XMLElementNode, _ objects: EbRIMObjects) -> SubmissionSetDraft {
        SubmissionSetDraft(uniqueID: package.externalIdentifier(XDSVocabulary.SubmissionSet.uniqueID),
                           sourceID: package.externalIdentifier(XDSVocabulary.SubmissionSet.sourceID),
                           title: package.localizedString("Name"), comment: package.localizedString("Description"),
                           authors: XDSAuthors.read(objects.classifications(of: package, scheme: XDSVocabulary.SubmissionSet.author)),
                           designationType: objects.classifications(of: package, scheme: XDSVocabulary.SubmissionSet.contentTypeCode).first?.classificationCode)
    }
}
