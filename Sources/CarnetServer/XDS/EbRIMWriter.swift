import CarnetCore
import Foundation

/// Writes Carnet's documents and submission sets as ebRIM (ITI-18's LeafClass answers): a
/// DocumentEntry as an `ExtrinsicObject`, a SubmissionSet as a `RegistryPackage`, their links as
/// `Association`s — the inverse of ``XDSSubmission``, so what was pushed reads back the same.
///
/// Ids: a document's entryUUID is `urn:uuid:<DocumentReference id>`, a submission set's
/// `urn:uuid:<List id>`: the same object has the same id through both doors.
enum EbRIMWriter {
    static func entryUUID(_ id: DocumentID) -> String { "urn:uuid:\(id)" }
    static func entryUUID(_ id: SubmissionSetID) -> String { "urn:uuid:\(id)" }

    static func slot(_ name: String, _ values: [String]) -> String {
        "<rim:Slot name=\"\(SOAPWriter.escape(name))\"><rim:ValueList>"
            + values.map { "<rim:Value>\(SOAPWriter.escape($0))</rim:Value>" }.joined() + "</rim:ValueList></rim:Slot>"
    }

    static func localized(_ element: String, _ value: String?) -> String {
        value.map { "<rim:\(element)><rim:LocalizedString value=\"\(SOAPWriter.escape($0))\"/></rim:\(element)>" } ?? ""
    }

    static func classification(_ scheme: String, object: String, code: Code, index: Int) -> String {
        "<rim:Classification id=\"\(object)-c\(index)\" classificationScheme=\"\(scheme)\" classifiedObject=\"\(object)\" "
            + "nodeRepresentation=\"\(SOAPWriter.escape(code.code))\" objectType=\"\(XDSVocabulary.ObjectType.classification)\">"
            + slot("codingScheme", [XDSCoding.scheme(ofSystem: code.system)]) + localized("Name", code.display ?? code.code)
            + "</rim:Classification>"
    }

    static func externalIdentifier(_ scheme: String, object: String, value: String, name: String) -> String {
        "<rim:ExternalIdentifier id=\"\(object)-\(name)\" identificationScheme=\"\(scheme)\" registryObject=\"\(object)\" "
            + "value=\"\(SOAPWriter.escape(value))\" objectType=\"\(XDSVocabulary.ObjectType.externalIdentifier)\">"
            + localized("Name", name) + "</rim:ExternalIdentifier>"
    }

    /// The registry status: Approved while current, Deprecated once superseded or archived (DMP: archived documents are deprecated).
    static func status(_ status: DocumentStatus) -> String {
        status == .current ? XDSVocabulary.Status.approved : XDSVocabulary.Status.deprecated
    }

    static func extrinsicObject(_ entry: DocumentEntry, ins: INS, repositoryUniqueID: String) -> String {
        let object = entryUUID(entry.id)
        let scheme = XDSVocabulary.DocumentEntry.self
        var index = 0
        func coded(_ classification: String, _ code: Code?) -> String {
            guard let code else { return "" }
            index += 1
            return Self.classification(classification, object: object, code: code, index: index)
        }
        var slots = slot("creationTime", [XDSCoding.dtm(entry.date)])
        if let language = entry.content.language { slots += slot("languageCode", [language]) }
        slots += slot("repositoryUniqueId", [repositoryUniqueID])
        slots += slot("hash", [Data(base64Encoded: entry.content.sha1Base64)?.map { String(format: "%02x", $0) }.joined() ?? ""])
        slots += slot("size", [String(entry.content.size)])
        if let start = entry.servicePeriod?.start { slots += slot("serviceStartTime", [XDSCoding.dtm(start)]) }
        if let stop = entry.servicePeriod?.end { slots += slot("serviceStopTime", [XDSCoding.dtm(stop)]) }
        slots += slot("sourcePatientId", [XDSCoding.cx(ins)])
        let labels = entry.visibility.labels.map { Code(system: $0.system, code: $0.code) } + entry.otherLabels
        var classifications = XDSAuthors.write(entry.authors, scheme: scheme.author, object: object)
        classifications += coded(scheme.classCode, entry.category)
        classifications += labels.map { coded(scheme.confidentialityCode, $0) }.joined()
        classifications += entry.events.map { coded(scheme.eventCode, $0) }.joined()
        classifications += coded(scheme.formatCode, entry.format)
        classifications += coded(scheme.healthcareFacilityTypeCode, entry.facilityType)
        classifications += coded(scheme.practiceSettingCode, entry.practiceSetting)
        classifications += coded(scheme.typeCode, entry.type)
        // The logical id is the entryUUID: Carnet keeps one id through a document's metadata versions (versionName).
        return "<rim:ExtrinsicObject id=\"\(object)\" lid=\"\(object)\" "
            + "mimeType=\"\(SOAPWriter.escape(DocumentDraft.mediaType(of: entry.content.contentType)))\" "
            + "objectType=\"\(XDSVocabulary.ObjectType.stableDocument)\" status=\"\(status(entry.status))\">"
            + slots + localized("Name", entry.title) + localized("Description", entry.comment)
            + "<rim:VersionInfo versionName=\"\(entry.metadataVersion)\"/>"
            + classifications
            + externalIdentifier(scheme.patientID, object: object, value: XDSCoding.cx(ins), name: "XDSDocumentEntry.patientId")
            + externalIdentifier(scheme.uniqueID, object: object, value: entry.uniqueID, name: "XDSDocumentEntry.uniqueId")
            + "</rim:ExtrinsicObject>"
    }

    static func registryPackage(_ set: SubmissionSet, ins: INS) -> String {
        let object = entryUUID(set.id)
        let scheme = XDSVocabulary.SubmissionSet.self
        return "<rim:RegistryPackage id=\"\(object)\" lid=\"\(object)\" objectType=\"\(XDSVocabulary.ObjectType.registryPackage)\" "
            + "status=\"\(XDSVocabulary.Status.approved)\">"
            + slot("submissionTime", [XDSCoding.dtm(set.submittedAt)])
            + localized("Name", set.title) + localized("Description", set.comment)
            + XDSAuthors.write(set.authors, scheme: scheme.author, object: object)
            + (set.designationType.map { classification(scheme.contentTypeCode, object: object, code: $0, index: 0) } ?? "")
            + "<rim:Classification id=\"\(object)-node\" classificationNode=\"\(scheme.classificationNode)\" classifiedObject=\"\(object)\" "
            + "objectType=\"\(XDSVocabulary.ObjectType.classification)\"/>"
            + externalIdentifier(scheme.patientID, object: object, value: XDSCoding.cx(ins), name: "XDSSubmissionSet.patientId")
            + externalIdentifier(scheme.uniqueID, object: object, value: set.uniqueID, name: "XDSSubmissionSet.uniqueId")
            + (set.sourceID.map { externalIdentifier(scheme.sourceID, object: object, value: $0, name: "XDSSubmissionSet.sourceId") } ?? "")
            + "</rim:RegistryPackage>"
    }

    static func association(id: String, type: String, source: String, target: String) -> String {
        "<rim:Association id=\"\(SOAPWriter.escape(id))\" associationType=\"\(type)\" sourceObject=\"\(SOAPWriter.escape(source))\" "
            + "targetObject=\"\(SOAPWriter.escape(target))\" objectType=\"\(XDSVocabulary.ObjectType.association)\" "
            + "status=\"\(XDSVocabulary.Status.approved)\"/>"
    }

    static func objectRef(_ id: String) -> String { "<rim:ObjectRef id=\"\(SOAPWriter.escape(id))\"/>" }
}
