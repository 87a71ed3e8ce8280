import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// Loading the national directory through the one door (issue 16): decided as an operator's bulk
/// action, audited, idempotent, bad lines to the rejects file; then professionals found by name.
@Suite("Directory import")
struct DirectoryImportTests {
    static let header = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Libellé civilité d'exercice|Nom d'exercice|Prénom d'exercice|"
        + "Code profession|Libellé profession|Libellé savoir-faire|Code postal (coord. structure)|Libellé commune (coord. structure)|"
    static let lines = [
        header,
        "8|99700000011|899700000011|Docteur|LEMOINE|Alice|10|Médecin|Médecine générale|69003|LYON|",
        "8|99700000011|899700000011|Docteur|LEMOINE|Alice|10|Médecin|Médecine générale|69100|VILLEURBANNE|",
        "8|99700000021|899700000021|Monsieur|CARON|Bruno|21|Pharmacien||69007|LYON|",
        "0|699999999|0699999999|Madame|BLANC|Lucie|91|Orthophoniste||69001|LYON|",
        "8|12345|812345|Docteur|FAUX|Numéro|10|Médecin||69001|LYON|",
    ]

    @Test("a file loads once: a second run changes nothing; the further activity, the ADELI line and the bad line are counted",
          arguments: TestEngine.available)
    func importTwice(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, directory in
            let file = directory.appendingPathComponent("PS_LibreAcces_Personne_activite_test.txt")
            try Self.lines.joined(separator: "\r\n").write(to: file, atomically: true, encoding: .utf8)
            let operator_ = Actor(role: .insurer(id: "directory-import:test"))
            let first = try await service.importDirectory(file: file, by: operator_)
            #expect(first.added == 2 && first.updated == 0 && first.otherActivities == 1 && first.withoutRPPS == 1 && first.rejected == 1,
                    "\(first)")
            let rejects = try String(contentsOf: file.appendingPathExtension("rejects"), encoding: .utf8)
            #expect(rejects.hasPrefix("line 6: Identifiant PP: RPPS must have 11 digits"), "\(rejects)")
            let second = try await service.importDirectory(file: file, by: operator_)
            #expect(second.added == 0 && second.updated == 0 && second.unchanged == 2, "\(second)")

            let names = try await service.professionals(["99700000011", "99700000021", "99700000099", "not an rpps"])
            #expect(names["99700000011"]?.displayName == "Dr Alice LEMOINE" && names["99700000011"]?.town == "LYON", "the first activity is kept")
            #expect(names["99700000021"]?.practice == "Pharmacien — Lyon")
            #expect(names["99700000099"] == nil)
            #expect(try await service.findProfessionals(named: "lemoine").map(\.rpps.value) == ["99700000011"])
            #expect(try await service.findProfessionals(named: "Bruno car").map(\.rpps.value) == ["99700000021"])
            #expect(try await service.findProfessionals(named: "99700000021").map(\.lastName) == ["CARON"], "an RPPS typed in the box")
            #expect(try await service.findProfessionals(named: "l").isEmpty, "one letter is not a search")

            let events = try await store.chainedAuditEvents(after: nil, limit: 1_000).map(\.event).filter { $0.action == .importDirectory }
            #expect(events.count == 2 && events.allSatisfy { $0.outcome == .success && $0.rule == .operatorLoadsDirectory && $0.recordID == nil })
        }
    }

    @Test("nobody else loads the directory: refused, audited, nothing loaded", arguments: TestEngine.available)
    func othersRefused(_ engine: TestEngine) async throws {
        try await withService(engine) { service, store, directory in
            let file = directory.appendingPathComponent("extract.txt")
            try Self.lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            for actor in [Actor.patient(.fixture()), Actor(role: .agent(id: "agent-1")), Actor.doctor()] {
                await #expect(throws: AccessError.denied(.roleNotAllowed)) { try await service.importDirectory(file: file, by: actor) }
            }
            #expect(try await service.professionals(["99700000011"])["99700000011"] == nil)
            let refusals = try await store.chainedAuditEvents(after: nil, limit: 1_000).map(\.event).filter { $0.action == .importDirectory }
            #expect(refusals.count == 3 && refusals.allSatisfy { $0.outcome == .denied })
        }
    }

    @Test("a file that is not the extract is refused before anything is loaded", arguments: TestEngine.available)
    func wrongFile(_ engine: TestEngine) async throws {
        try await withService(engine) { service, _, directory in
            let file = directory.appendingPathComponent("claims.csv")
            try "claimId;ins;serviceDate\n1;2;3\n".write(to: file, atomically: true, encoding: .utf8)
            await #expect(throws: DirectoryExtractError.self) {
                try await service.importDirectory(file: file, by: Actor(role: .insurer(id: "directory-import:test")))
            }
        }
    }
}
