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
        id = Self.resourceID(claim, recordID: recordID)
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

    /// A stable FHIR id for a claim (its own id may hold any character): the record's id, a dot, and
    /// 24 hex digits of SHA-256 of INS and claim id — so that a read finds the record, and the claim
    /// among that record's few, without a lookup table (61 characters, within FHIR's 64).
    public static func resourceID(_ claim: Claim, recordID: RecordID) -> String {
        "\(recordID).\(claimDigest(claim))"
    }

    /// The record an id names, and a test of whether a claim is the one it names; `nil` when the id
    /// is not one this server gives.
    public static func parse(_ id: String) -> (recordID: RecordID, matches: @Sendable (Claim) -> Bool)? {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let recordID = RecordID(String(parts[0])), parts[1].count == 24,
              parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        let digest = String(parts[1])
        return (recordID, { claimDigest($0) == digest })
    }

    static func claimDigest(_ claim: Claim) -> String {
        SHA256.hash(data: Data("\(claim.ins.value)|\(claim.id)".utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
