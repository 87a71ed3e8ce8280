public import Foundation

/// A CDA document's header checked against the metadata pushed with it, and used to fill what they
/// left out (issue 18, "CDA understood").
///
/// A CDA written for one patient and filed in another's record is the worst error a record can hold:
/// it is refused, saying both INS — the one in the document and the one the submitter targeted, both
/// values the submitter sent (DOMAIN.md, "Saying no without saying too much"); when the submitter named
/// the record by id, its INS is not said, only that it is another. A type that disagrees with the
/// document's own code is refused too, since searches and the habilitation matrix read the type.
public enum CDAHeaderCheck {
    /// Type codes that mean the same document (DOMAIN.md: the patient summary is `60591-5` or `SYNTH`).
    static let equivalentTypes: [Set<String>] = [["60591-5", "SYNTH"]]

    /// `draft` checked against its CDA header (``DocumentDraft/cdaHeader``), with the date, authors,
    /// title and language it left out taken from the header; unchanged without a header.
    ///
    /// - Parameters:
    ///   - recordINS: the INS of the record the document is pushed to.
    ///   - insNamedBySubmitter: whether the submitter named that INS (a subject by identifier), so the
    ///     refusal may repeat it; otherwise it says only that the record is another patient's.
    public static func checked(_ draft: DocumentDraft, recordINS: INS, insNamedBySubmitter: Bool) throws(CDAHeaderMismatch) -> DocumentDraft {
        guard let header = draft.cdaHeader else { return draft }
        let target = recordINS.value.uppercased()
        if let other = header.insValues.first(where: { $0 != target }), !header.insValues.contains(target) {
            throw .patient(inDocument: other, targeted: insNamedBySubmitter ? recordINS.value : nil)
        }
        if let type = header.type, !sameType(type, draft.type) {
            throw .type(inDocument: type.code, declared: draft.type.code)
        }
        var filled = draft
        if filled.date == nil { filled.date = header.effectiveTime }
        if filled.authors.isEmpty {
            filled.authors = header.authors.map { author in
                DocumentAuthor(identifierSystem: author.id.map { "urn:oid:\($0.root)" }, identifierValue: author.id?.extension, display: author.name)
            }
        }
        if filled.title == nil { filled.title = header.title }
        if filled.language == nil { filled.language = header.languageCode }
        return filled
    }

    /// Whether the document's own type and the declared one agree. Codes of two different systems are
    /// not compared: a patient files a lab report they received under the DMP's patient-side types
    /// (TRE_A05 `DOCPAT05`), which classify it from another point of view than its LOINC code.
    static func sameType(_ document: Code, _ declared: Code) -> Bool {
        if document.code == declared.code || equivalentTypes.contains(where: { $0.contains(document.code) && $0.contains(declared.code) }) {
            return true
        }
        guard let one = canonical(document.system), let other = canonical(declared.system) else { return false }
        return one != other
    }

    /// A code system's name for comparison: LOINC's URI and OID are one system.
    static func canonical(_ system: String?) -> String? {
        guard let system, !system.isEmpty else { return nil }
        let oid = system.hasPrefix("urn:oid:") ? String(system.dropFirst(8)) : system
        return oid == "2.16.840.1.113883.6.1" || system == "http://loinc.org" ? "loinc" : oid
    }
}

/// A CDA document whose header contradicts the metadata pushed with it (FHIR: 422, naming the field).
public enum CDAHeaderMismatch: Error, Equatable, Sendable, CustomStringConvertible {
    /// The document names patient INS `inDocument`; the record is `targeted`'s, or, when `nil`, another
    /// patient's that the submitter named by id.
    case patient(inDocument: String, targeted: String?)
    /// The document's own type (`ClinicalDocument/code`) is not the one declared.
    case type(inDocument: String, declared: String)

    /// The metadata element the document contradicts.
    public var field: String {
        switch self {
        case .patient: "DocumentReference.subject"
        case .type: "DocumentReference.type"
        }
    }

    public var description: String {
        switch self {
        case .patient(let document, let targeted?):
            "the CDA document is for the patient with INS \(document) (recordTarget/patientRole/id), but it is pushed to the record of INS \(targeted): a document goes to its own patient's record"
        case .patient(let document, nil):
            "the CDA document is for the patient with INS \(document) (recordTarget/patientRole/id), but it is pushed to another patient's record: a document goes to its own patient's record"
        case .type(let document, let declared):
            "the CDA document's type is \(document) (ClinicalDocument/code), but the metadata declare \(declared): they must agree"
        }
    }
}
