public import CarnetCore
import Crypto
public import Foundation

/// One claim of the care history as a FHIR R4 `ExplanationOfBenefit` (read-only): what was done,
/// when, prescribed by whom, performed by whom, charged and reimbursed.
public struct ExplanationOfBenefitResource: Encodable, Sendable {
    public let resourceType = "ExplanationOfBenefit"
    public var id: String
    public var identifier: [Identifier]
    public var status = "active"
    public var type = CodeableConcept(coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/claim-type", code: "professional")])
    public var use = "claim"
    public var patient: Reference
    public var created: String
    public var insurer = Reference(display: "Assurance Maladie")
    public var provider: Reference
    public var outcome = "complete"
    public var careTeam: [CareTeam]?
    public var insurance = [Insurance(focal: true, coverage: Reference(display: "Assurance Maladie obligatoire"))]
    public var item: [Item]
    public var total: [Total]?

    public struct CareTeam: Encodable, Sendable {
        public var sequence: Int
        public var provider: Reference
        public var role: CodeableConcept
    }

    public struct Insurance: Encodable, Sendable {
        public var focal: Bool
        public var coverage: Reference
    }

    public struct Item: Encodable, Sendable {
        public var sequence: Int
        public var productOrService: CodeableConcept
        public var servicedDate: String
    }

    public struct Total: Encodable, Sendable {
        public var category: CodeableConcept
        public var amount: Money
    }

    public struct Money: Encodable, Sendable {
        public var value: Decimal
        public var currency = "EUR"
    }

    enum CodingKeys: String, CodingKey {
        case resourceType, id, identifier, status, type, use, patient, created, insurer, provider, outcome, careTeam, insurance, item, total
    }

    public static let claimIdentifierSystem = "https://carnet.example/fhir/NamingSystem/insurer-claim"

    public init(_ claim: Claim, recordID: RecordID) {
        id = Self.resourceID(claim)
        identifier = [Identifier(system: Self.claimIdentifierSystem, value: claim.id)]
        patient = Reference(reference: "Patient/\(recordID)")
        created = claim.serviceDate.description
        provider = Reference(display: claim.performer ?? "non renseigné")
        careTeam = claim.prescriberRPPS.map { rpps in
            [CareTeam(sequence: 1, provider: Reference(identifier: Identifier(system: "urn:oid:1.2.250.1.71.4.2.1", value: "8\(rpps)")),
                      role: CodeableConcept(coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/claimcareteamrole", code: "primary",
                                                            display: "prescriber")]))]
        }
        item = [Item(sequence: 1, productOrService: CodeableConcept(coding: [Coding(system: claim.code.system, code: claim.code.code)], text: claim.label),
                     servicedDate: claim.serviceDate.description)]
        let adjudication = "http://terminology.hl7.org/CodeSystem/adjudication"
        var totals: [Total] = []
        if let charged = claim.chargedCents {
            totals.append(Total(category: CodeableConcept(coding: [Coding(system: adjudication, code: "submitted")]), amount: Money(value: Decimal(charged) / 100)))
        }
        if let reimbursed = claim.reimbursedCents {
            totals.append(Total(category: CodeableConcept(coding: [Coding(system: adjudication, code: "benefit")]), amount: Money(value: Decimal(reimbursed) / 100)))
        }
        total = totals.isEmpty ? nil : totals
    }

    /// A stable FHIR id for a claim (its own id may hold any character): a UUID from SHA-256 of INS and claim id.
    static func resourceID(_ claim: Claim) -> String {
        let digest = Array(SHA256.hash(data: Data("\(claim.ins.value)|\(claim.id)".utf8)))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                           bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])).uuidString.lowercased()
    }
}
