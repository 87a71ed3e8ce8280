public import CarnetCore
import Foundation

/// The patient's access controls as FHIR R4 `Consent` resources (scope `patient-privacy`), one per
/// decision: an authorisation, a block, the treating physician, each emergency mode, a legal
/// representative, documents hidden from professionals. Read-only views; the `$` operations change them.
public struct ConsentResource: Encodable, Sendable {
    public let resourceType = "Consent"
    public var id: String
    public var meta: Meta?
    public var status = "active"
    public var scope = CodeableConcept(coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/consentscope", code: "patient-privacy")])
    public var category = [CodeableConcept(coding: [Coding(system: "http://loinc.org", code: "59284-0", display: "Patient Consent")])]
    public var patient: Reference
    public var dateTime: String?
    public var policyRule: CodeableConcept
    public var provision: Provision

    public struct Provision: Encodable, Sendable {
        public var type: String
        public var actor: [ProvisionActor]?
        public var purpose: [Coding]?
    }

    public struct ProvisionActor: Encodable, Sendable {
        public var role: CodeableConcept
        public var reference: Reference
    }

    enum CodingKeys: String, CodingKey {
        case resourceType, id, meta, status, scope, category, patient, dateTime, policyRule, provision
    }

    static let participation = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
    static let roleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
    static let actReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
    /// TRE_R248, the DMP's access modes.
    static let accessModes = "urn:oid:1.2.250.1.213.1.1.4.248"

    /// Every Consent of a record's controls.
    public static func all(_ controls: AccessControls, recordID: RecordID) -> [ConsentResource] {
        let patient = Reference(reference: "Patient/\(recordID)")
        let version = Meta(versionId: String(max(controls.version, 1)))
        func professional(_ rpps: String, role: Coding) -> ProvisionActor {
            ProvisionActor(role: CodeableConcept(coding: [role]),
                           reference: Reference(identifier: Identifier(system: AccessOperationInput.professionalSystem, value: "8\(rpps)")))
        }
        func rule(_ text: String) -> CodeableConcept { CodeableConcept(text: text) }
        let recipient = Coding(system: participation, code: "IRCP", display: "information recipient")
        var consents: [ConsentResource] = []
        for (rpps, authorisation) in controls.authorisations.sorted(by: { $0.key < $1.key }) {
            let effective = controls.effectiveAuthorisation(of: rpps) != nil
            consents.append(ConsentResource(
                id: Authorisation.consentID(recordID: recordID, rpps: rpps), meta: version, patient: patient, dateTime: FHIRDateTime.string(authorisation.since),
                policyRule: rule("authorisation: \(authorisation.basis.rawValue)\(effective ? "" : " (opposed by the patient)")"),
                provision: Provision(type: effective ? "permit" : "deny", actor: [professional(rpps, role: recipient)], purpose: nil)))
        }
        for (rpps, since) in controls.blocked.sorted(by: { $0.key < $1.key }) {
            consents.append(ConsentResource(
                id: "\(recordID)-blocked-\(rpps)", meta: version, patient: patient, dateTime: FHIRDateTime.string(since),
                policyRule: rule("blocked professional: no access in any mode"),
                provision: Provision(type: "deny", actor: [professional(rpps, role: recipient)], purpose: nil)))
        }
        if let treating = controls.treatingPhysician {
            consents.append(ConsentResource(
                id: "\(recordID)-treating-physician", meta: version, patient: patient, dateTime: FHIRDateTime.string(treating.since),
                policyRule: rule("treating physician (médecin traitant DMP): also reads documents masked to professionals"),
                provision: Provision(type: "permit", actor: [professional(treating.rpps, role: Coding(system: roleCode, code: "PCP", display: "primary care physician"))],
                                     purpose: nil)))
        }
        consents.append(ConsentResource(
            id: "\(recordID)-break-the-glass", meta: version, patient: patient, dateTime: nil,
            policyRule: rule("break-the-glass emergency access \(controls.breakTheGlassAllowed ? "allowed" : "opposed by the patient")"),
            provision: Provision(type: controls.breakTheGlassAllowed ? "permit" : "deny", actor: nil,
                                 purpose: [Coding(system: actReason, code: "ETREAT", display: "emergency treatment"),
                                           Coding(system: accessModes, code: "bris_de_glace")])))
        consents.append(ConsentResource(
            id: "\(recordID)-centre-15", meta: version, patient: patient, dateTime: nil,
            policyRule: rule("Centre 15 regulation access \(controls.regulationAllowed ? "allowed" : "opposed by the patient")"),
            provision: Provision(type: controls.regulationAllowed ? "permit" : "deny", actor: nil,
                                 purpose: [Coding(system: accessModes, code: "centre_15")])))
        if controls.documentsHiddenFromProfessionals {
            consents.append(ConsentResource(
                id: "\(recordID)-documents-hidden", meta: version, patient: patient, dateTime: nil,
                policyRule: rule("every document hidden from professionals but its author, even in emergencies"),
                provision: Provision(type: "deny", actor: nil, purpose: nil)))
        }
        for ins in controls.legalRepresentatives.sorted() {
            consents.append(ConsentResource(
                id: "\(recordID)-rep-\(ins)", meta: version, patient: patient, dateTime: nil,
                policyRule: rule("legal representative of the minor holder"),
                provision: Provision(type: "permit", actor: [ProvisionActor(
                    role: CodeableConcept(coding: [Coding(system: roleCode, code: "GUARD", display: "guardian")]),
                    reference: Reference(identifier: Identifier(system: INSSystem.nir.uri, value: ins)))], purpose: nil)))
        }
        return consents
    }
}
