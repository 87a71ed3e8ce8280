public import Foundation

/// What a CDA R2 document's header says about itself (HL7 CDA R2 as ANS's CI-SIS profiles it), read
/// before the document is stored (issue 18, "CDA understood").
///
/// Most DMP documents are CDA: their header repeats what the `DocumentReference` says — whose document
/// it is, its type, author and date. Reading it lets Carnet refuse a document pushed to the wrong
/// patient or under the wrong type, and fill what a submitter left out. Built by the FHIR layer's
/// reader (`CDAHeaderReader`), which never resolves an entity; a value, so the policy and the service
/// decide on it without parsing anything.
public struct CDAHeader: Hashable, Sendable {
    /// An `II` (instance identifier): an OID `root` and an optional `extension`.
    public struct InstanceID: Hashable, Sendable, CustomStringConvertible {
        public var root: String
        public var `extension`: String?

        public init(root: String, extension: String? = nil) {
            self.root = root
            self.extension = `extension`
        }

        /// `root^extension` as XDS writes an id with an extension, else the root.
        public var description: String { `extension`.map { "\(root)^\($0)" } ?? root }
    }

    /// An author as the header names them (`author/assignedAuthor`).
    public struct Author: Hashable, Sendable {
        /// `assignedAuthor/id`: for a professional, root `1.2.250.1.71.4.2.1` and `8` + RPPS.
        public var id: InstanceID?
        /// `assignedPerson/name`: given names, then family name.
        public var name: String?

        public init(id: InstanceID?, name: String?) {
            self.id = id
            self.name = name
        }
    }

    /// `ClinicalDocument/id`: this version's unique id.
    public var id: InstanceID?
    /// `ClinicalDocument/code`: the document type (XDS typeCode), with its code system as an OID.
    public var typeCode: String?
    public var typeCodeSystem: String?
    public var typeDisplay: String?
    public var title: String?
    /// `effectiveTime`: when the document was created (XDS creationTime).
    public var effectiveTime: Date?
    /// `confidentialityCode/@code`: `N`, `R` or `V` (HL7 v3 Confidentiality).
    public var confidentiality: String?
    public var languageCode: String?
    /// `setId` and `versionNumber`: every version of one document shares the set id.
    public var setID: InstanceID?
    public var versionNumber: Int?
    /// `recordTarget/patientRole/id`: the patient's ids, the INS among them (roots ``insRoots``).
    public var patientIDs: [InstanceID] = []
    public var authors: [Author] = []
    /// `relatedDocument[@typeCode=RPLC]/parentDocument/id`: the versions this one replaces.
    public var replacedDocumentIDs: [InstanceID] = []

    public init() {}

    /// The OIDs of the INS (DOMAIN.md: INS-NIR, INS-NIA, test and demo INS-NIR).
    public static let insRoots: Set<String> = ["1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11"]

    /// The patient's INS values the header carries (usually one).
    public var insValues: [String] {
        patientIDs.filter { Self.insRoots.contains($0.root) }.compactMap(\.extension).map { $0.filter { $0 != " " }.uppercased() }
    }

    /// The type as a FHIR coding: LOINC's OID as `http://loinc.org`, any other OID as `urn:oid:`.
    public var type: Code? {
        guard let typeCode, !typeCode.isEmpty else { return nil }
        let system = typeCodeSystem.map { $0 == "2.16.840.1.113883.6.1" ? "http://loinc.org" : "urn:oid:\($0)" }
        return Code(system: system, code: typeCode, display: typeDisplay)
    }
}
