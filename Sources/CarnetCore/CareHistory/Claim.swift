public import Foundation

/// One line of the care history (*historique des remboursements*): a reimbursed act or medicine,
/// sent in bulk by the health insurer and kept for 24 months (DOMAIN.md, What it contains, 3).
///
/// Keyed by the insurer's claim id, so that the same feed imported twice stores each claim once. A
/// claim is filed under the INS, not a record: claims received before the record exists become
/// visible when it is created.
public struct Claim: Hashable, Sendable, Codable {
    /// The insurer's identifier of the claim, unique across its feed.
    public var id: String
    public var ins: INS
    /// The day the care was given.
    public var serviceDate: PartialDate
    /// The act or medicine: CCAM, NGAP, NABM, CIP13/UCD, LPP… as system and code.
    public var code: Code
    public var label: String
    public var prescriberRPPS: String?
    /// Who performed the care: an RPPS, a FINESS or a name, as the insurer knows it.
    public var performer: String?
    /// Amounts in euro cents, to avoid binary fractions.
    public var chargedCents: Int?
    public var reimbursedCents: Int?

    public init(id: String, ins: INS, serviceDate: PartialDate, code: Code, label: String, prescriberRPPS: String? = nil,
                performer: String? = nil, chargedCents: Int? = nil, reimbursedCents: Int? = nil) {
        self.id = id
        self.ins = ins
        self.serviceDate = serviceDate
        self.code = code
        self.label = label
        self.prescriberRPPS = prescriberRPPS
        self.performer = performer
        self.chargedCents = chargedCents
        self.reimbursedCents = reimbursedCents
    }

    enum CodingKeys: String, CodingKey {
        case id, ins, insSystem, serviceDate, code, label, prescriberRPPS, performer, chargedCents, reimbursedCents
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        let value = try container.decode(String.self, forKey: .ins)
        let system = try container.decode(String.self, forKey: .insSystem)
        do {
            // Stored claims were checked on the way in; only the key check is relaxed for test identities.
            ins = try INS(value, system: try INSSystem(uri: system), keyChecking: .relaxedForTestIdentities)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .ins, in: container, debugDescription: "\(error)")
        }
        serviceDate = try container.decode(PartialDate.self, forKey: .serviceDate)
        code = try container.decode(Code.self, forKey: .code)
        label = try container.decode(String.self, forKey: .label)
        prescriberRPPS = try container.decodeIfPresent(String.self, forKey: .prescriberRPPS)
        performer = try container.decodeIfPresent(String.self, forKey: .performer)
        chargedCents = try container.decodeIfPresent(Int.self, forKey: .chargedCents)
        reimbursedCents = try container.decodeIfPresent(Int.self, forKey: .reimbursedCents)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ins.value, forKey: .ins)
        try container.encode(ins.system.uri, forKey: .insSystem)
        try container.encode(serviceDate, forKey: .serviceDate)
        try container.encode(code, forKey: .code)
        try container.encode(label, forKey: .label)
        try container.encodeIfPresent(prescriberRPPS, forKey: .prescriberRPPS)
        try container.encodeIfPresent(performer, forKey: .performer)
        try container.encodeIfPresent(chargedCents, forKey: .chargedCents)
        try container.encodeIfPresent(reimbursedCents, forKey: .reimbursedCents)
    }

    /// How long claims stay in the record.
    public static let retentionMonths = 24

    /// The first day still inside the 24-month window at `now` (Paris time).
    public static func windowStart(at now: Date) -> PartialDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let start = calendar.date(byAdding: .month, value: -retentionMonths, to: now) ?? now
        let parts = calendar.dateComponents([.year, .month, .day], from: start)
        let text = String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
        return try! PartialDate(text)  // safe: the components of a real calendar date.
    }
}
