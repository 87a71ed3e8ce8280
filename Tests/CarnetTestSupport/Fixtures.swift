public import CarnetCore
public import Foundation

/// Small builders for test values: synthetic INS with correct keys, identities and actors.
///
/// Every number here is made up; none belongs to a real person.
extension INS {
    /// A valid INS whose number is derived from `seed`, so tests get distinct, reproducible identities.
    public static func fixture(_ seed: Int = 1, system: INSSystem = .nir, sex: Character = "2") -> INS {
        let order = String(format: "%03d", seed % 1000)
        let commune = String(format: "%03d", (seed / 1000) % 1000)
        let number = "\(sex)850775\(commune)\(order)"
        let key = INS.expectedKey(for: number)
        // safe: the key is computed for this very number.
        return try! INS(number + String(format: "%02d", key), system: system)
    }
}

extension PatientIdentity {
    public static func fixture(family: String = "DURAND", given: [String] = ["Camille"], sex: AdministrativeSex = .female) -> PatientIdentity {
        // safe: a literal, valid date.
        PatientIdentity(birthFamilyName: family, givenNames: given, birthDate: try! PartialDate("1985-07-12"), sex: sex,
                        birthplaceCode: "75056")
    }
}

extension Actor {
    public static func doctor(_ rpps: String = "99700000011", mode: AccessMode = .normal, reason: String? = nil) -> Actor {
        Actor(role: .professional(professional(rpps, .physician)), accessMode: mode, emergencyReason: reason)
    }

    public static func pharmacist(_ rpps: String = "99700000021") -> Actor {
        Actor(role: .professional(professional(rpps, .pharmacist)))
    }

    public static func regulator(_ rpps: String = "99700000015") -> Actor {
        Actor(role: .regulator(professional(rpps, .physician)), accessMode: .centre15, emergencyReason: "SAMU call")
    }

    public static let agent = Actor(role: .agent(id: "agent-42"))
    public static let insurer = Actor(role: .insurer(id: "assurance-maladie"))

    private static func professional(_ rpps: String, _ profession: Profession) -> Professional {
        // safe: literal 11-digit numbers.
        Professional(rpps: try! RPPS(rpps), profession: profession)
    }
}

/// A fixed instant for tests, to the millisecond (the precision stores keep).
public let testInstant = Date(timeIntervalSince1970: 1_795_000_000.123)

extension DocumentEntry {
    /// A synthetic consultation report (LOINC 11488-4) in `record`; content fields describe made-up bytes.
    public static func fixture(in record: RecordID, uniqueID: String = "1.2.250.1.999.1.\(Int.random(in: 1...999_999))",
                               type: String = "11488-4", date: Date = testInstant, lineageID: UUID = UUID(),
                               replaces: DocumentID? = nil) -> DocumentEntry {
        DocumentEntry(recordID: record, uniqueID: uniqueID, lineageID: lineageID, replaces: replaces,
                      type: Code(system: "http://loinc.org", code: type, display: "CR de consultation"),
                      category: Code(system: "urn:oid:1.2.250.1.213.1.1.4.1", code: "10"), title: "Compte rendu (synthetic)",
                      authors: [DocumentAuthor(identifierSystem: RPPS.nationalIDSystem, identifierValue: "899700000011", display: "Dr Test")],
                      submitterID: "99700000011", date: date, recordedAt: testInstant,
                      content: DocumentContent(contentType: "text/plain", language: "fr-FR", size: 5,
                                               sha256: String(repeating: "ab", count: 32), sha1Base64: "AAAA", keyID: "data-test"))
    }
}
