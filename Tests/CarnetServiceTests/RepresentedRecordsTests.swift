import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// A legal representative's list of the minors they act for, through the one door: the policy decides
/// every line, every line is an audited read, anyone but a person signed in as themselves is refused.
@Suite("Represented records")
struct RepresentedRecordsTests {
    let parent = INS.fixture(900)

    func child(_ seed: Int, _ given: String, born: String) throws -> (INS, PatientIdentity) {
        (INS.fixture(seed), PatientIdentity(birthFamilyName: "BERNARD", givenNames: [given], birthDate: try PartialDate(born), sex: .female))
    }

    @Test("a parent sees the minors they represent, not an adult who still names them, nor after being removed; each line audited")
    func parentSeesMinors() async throws {
        try await RecordServiceTests().withService { service, store async throws in
            let (inesINS, ines) = try child(10, "Inès", born: "2016-05-01")
            let (julesINS, jules) = try child(11, "Jules", born: "2019-02-03")
            let (grownINS, grown) = try child(12, "Zoé", born: "1990-01-01")
            var records: [HealthRecord] = []
            for (ins, identity) in [(inesINS, ines), (julesINS, jules), (grownINS, grown)] {
                let record = try await service.createRecord(ins: ins, identity: identity, by: .agent).record
                _ = try await service.changeLegalRepresentative(of: record.id, parent, add: true, by: .agent)
                records.append(record)
            }
            #expect(try await service.representedRecords(by: .patient(parent)).map(\.id) == [records[0].id, records[1].id],
                    "the adult's controls still name the parent, but the policy no longer lets them act for her")
            #expect(try await service.representedRecords(by: .patient(.fixture(903))).isEmpty, "a person who represents nobody")
            let trail = try await store.auditEvents(recordID: records[0].id, limit: 20)
            #expect(trail.contains { $0.action == .readIdentity && $0.actorID == parent.value && $0.outcome == .success
                                     && $0.rule == .legalRepresentativeActsForMinor })
            #expect(!(try await store.auditEvents(recordID: records[2].id, limit: 20)).contains { $0.actorID == parent.value && $0.action == .readIdentity },
                    "nothing is read of a record left out")

            _ = try await service.changeLegalRepresentative(of: records[0].id, parent, add: false, by: .agent)
            #expect(try await service.representedRecords(by: .patient(parent)).map(\.id) == [records[1].id])
        }
    }

    @Test("deny by default: professionals, regulators, agents and the insurer are refused the list")
    func othersRefused() async throws {
        try await RecordServiceTests().withService { service, _ async throws in
            for actor in [Actor.doctor(), .agent, Actor(role: .insurer(id: "assurance-maladie"))] {
                await #expect(throws: AccessError.denied(.roleNotAllowed)) { try await service.representedRecords(by: actor) }
            }
        }
    }
}
