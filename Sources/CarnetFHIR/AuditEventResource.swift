public import CarnetCore
import Foundation
import CarnetJSON

/// One audit trail line as a FHIR R4 `AuditEvent`, shaped after IHE BALP: who (with profession and
/// purpose of use), what, when, on which record, the outcome — and, in `outcomeDesc`, the rule that
/// decided in plain words, with the reason given for an emergency access.
public struct AuditEventResource: Encodable, Sendable {
    public let resourceType = "AuditEvent"
    public var id: String
    public var type: Coding
    public var subtype: [Coding]
    public var action: String
    public var recorded: String
    public var outcome: String
    public var outcomeDesc: String?
    public var purposeOfEvent: [CodeableConcept]?
    public var agent: [Agent]
    public var source: Source
    public var entity: [Entity]?

    public struct Agent: Encodable, Sendable {
        public var type: CodeableConcept?
        public var role: [CodeableConcept]?
        public var who: Reference
        public var requestor: Bool
    }

    public struct Source: Encodable, Sendable {
        public var observer: Reference
    }

    public struct Entity: Encodable, Sendable {
        public var what: Reference?
        public var role: Coding?
        /// A search the event returned the results of (its query string, base64), where no single
        /// resource names them: the claims a care-history read returned.
        public var query: String?
    }

    enum CodingKeys: String, CodingKey {
        case resourceType, id, type, subtype, action, recorded, outcome, outcomeDesc, purposeOfEvent, agent, source, entity
    }

    public init(_ event: AuditEvent) {
        id = event.id.lowercasedText
        type = Coding(system: "http://dicom.nema.org/resources/ontology/DCM", code: "110110", display: "Patient Record")
        subtype = [Coding(system: "https://carnet.example/fhir/CodeSystem/action", code: event.action.rawValue)]
        action = Self.crude(event.action)
        recorded = FHIRDateTime.string(event.recordedAt)
        outcome = switch event.outcome {
        case .success: "0"
        case .denied: "4"
        case .failed: "8"
        }
        var description = event.rule?.explanation ?? ""
        if let reason = event.emergencyReason { description += (description.isEmpty ? "" : "; ") + "reason given: \(reason)" }
        if let detail = event.detail { description += (description.isEmpty ? "" : "; ") + detail }
        outcomeDesc = description.isEmpty ? nil : description
        let purpose: Coding = switch event.accessMode {
        case .normal: Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "TREAT")
        case .breakTheGlass: Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "ETREAT")
        case .centre15: Coding(system: "urn:oid:1.2.250.1.213.1.1.4.248", code: "centre_15")
        }
        purposeOfEvent = event.actorKind == .professional || event.actorKind == .regulator
            ? [CodeableConcept(coding: [purpose, Coding(system: "urn:oid:1.2.250.1.213.1.1.4.248", code: event.accessMode.rawValue)])] : nil
        let identifierSystem: String? = switch event.actorKind {
        case .professional, .regulator: "urn:oid:1.2.250.1.71.4.2.1"
        case .patient: nil
        case .agent, .insurer: "https://carnet.example/fhir/NamingSystem/staff"
        }
        let value = event.actorKind == .professional || event.actorKind == .regulator ? "8\(event.actorID)" : event.actorID
        agent = [Agent(
            type: CodeableConcept(coding: [Coding(system: "https://carnet.example/fhir/CodeSystem/actor-kind", code: event.actorKind.rawValue)]),
            role: event.profession.map { [CodeableConcept(coding: [Coding(system: "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante", code: $0)])] },
            who: Reference(identifier: Identifier(system: identifierSystem, value: value), display: event.actorKind.rawValue),
            requestor: true)]
        source = Source(observer: Reference(display: "Carnet"))
        let entities = event.resources.map { reference in
            reference.contains("?")
                ? Entity(what: nil, role: nil, query: Data(reference.utf8).base64EncodedString())
                : Entity(what: Reference(reference: reference),
                         role: reference.hasPrefix("Patient/") ? Coding(system: "http://terminology.hl7.org/CodeSystem/object-role", code: "1", display: "Patient") : nil)
        }
        entity = entities.isEmpty ? nil : entities
    }

    /// FHIR's crude action code: Create, Read, Update, Delete, Execute.
    static func crude(_ action: Action) -> String {
        // Exhaustive on purpose: a new action must say what it is.
        switch action {
        case .createRecord, .createDocument, .importCareHistory, .importDirectory: "C"
        case .readIdentity, .readDocument, .readAccessControls, .readAuditTrail, .readCareHistory, .readSummary, .readEverything: "R"
        case .searchDocuments, .requestSignInCode, .signIn: "E"
        case .deleteRecord, .purgeCareHistory: "D"
        case .closeRecord, .reopenRecord, .restoreRecord, .changeDocument, .maskDocument, .revealDocumentToPatient, .manageAccess,
             .declareConsent, .manageLegalRepresentatives, .writeSummary, .changeContact: "U"
        }
    }
}
