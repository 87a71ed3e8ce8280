import CarnetCore
import CarnetStore
import CarnetTestSupport
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /fhir/ExplanationOfBenefit/{id}`, what a search entry's `fullUrl` names: the same claim,
/// within 24 months only, for exactly the actors who may search the history.
@Suite("Care history: read by id")
struct CareHistoryReadTests {
    static func claim(_ id: String, ins: INS = .fixture(), daysAgo: Int) throws -> Claim {
        Claim(id: id, ins: ins, serviceDate: try PartialDate(CareHistoryTests.day(daysAgo)),
              code: Code(system: "https://www.ameli.fr/ngap", code: "C"), label: "Consultation (synthetic)", prescriberRPPS: "99700000011",
              performer: "Cabinet (synthetic)", chargedCents: 2_650, reimbursedCents: 1_855)
    }

    /// The id as the server documents it, computed here on its own: record id, a dot, 24 hex digits of SHA-256("INS|claim id").
    static func resourceID(_ claim: Claim, record: String) -> String {
        record + "." + SHA256.hash(data: Data("\(claim.ins.value)|\(claim.id)".utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// A refusal, whichever way the rules shape it: 403, 404, or a search that finds nothing.
    static func refused(_ response: TestResponse) -> Bool {
        [.forbidden, .notFound].contains(response.status) || (response.status == .ok && response.json["total"] as? Int == 0)
    }

    @Test("every search entry reads back at its fullUrl; old, foreign and malformed ids are not found", arguments: TestEngine.available)
    func readBack(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let claims = [try Self.claim("R1", daysAgo: 10), try Self.claim("R2", daysAgo: 100), try Self.claim("OLD", daysAgo: 800),
                          try Self.claim("THEIRS", ins: .fixture(2), daysAgo: 20)]
            _ = try await store.addClaims(claims, checkpoint: ClaimImportCheckpoint(source: "test", linesDone: 4, imported: 0, duplicates: 0, rejected: 0))
            let patient = try await createPatient(client, tokens)
            let other = try await createPatient(client, tokens, .fixture(2))
            let holder = try await tokens.bearer(.patient(.fixture()))

            let search = try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patient)", method: .get, headers: holder)
            let entries = (search.json["entry"] as? [[String: Any]]) ?? []
            #expect(search.status == .ok && entries.count == 2, "\(search.text.prefix(300))")
            for entry in entries {
                let fullUrl = try #require(entry["fullUrl"] as? String)
                let resource = try #require(entry["resource"] as? [String: Any])
                let read = try await client.execute(uri: fullUrl.replacingOccurrences(of: "http://carnet.test", with: ""), method: .get, headers: holder)
                #expect(read.status == .ok && read.json["id"] as? String == resource["id"] as? String, "\(fullUrl): \(read.text.prefix(300))")
                #expect(read.json["resourceType"] as? String == "ExplanationOfBenefit")
                #expect(((read.json["identifier"] as? [[String: Any]])?.first?["value"] as? String).map { ["R1", "R2"].contains($0) } == true)
                #expect((read.json["patient"] as? [String: Any])?["reference"] as? String == "Patient/\(patient)")
            }
            let recent = Self.resourceID(claims[0], record: patient)
            #expect(entries.contains { ($0["resource"] as? [String: Any])?["id"] as? String == recent }, "the id is the documented one")

            let notFound = [
                Self.resourceID(claims[2], record: patient),  // older than 24 months: never served
                Self.resourceID(claims[3], record: patient),  // another patient's claim under this record
                "\(RecordID()).\(String(recent.suffix(24)))",  // no such record
                String(recent.dropLast()), recent.uppercased(), "R1", "\(patient)",
            ]
            for id in notFound {
                let response = try await client.execute(uri: "/fhir/ExplanationOfBenefit/\(id)", method: .get, headers: holder)
                #expect(response.status == .notFound, "\(id): \(response.status) \(response.text.prefix(200))")
            }
            let theirs = try await client.execute(uri: "/fhir/ExplanationOfBenefit/\(Self.resourceID(claims[3], record: other))", method: .get, headers: holder)
            #expect(Self.refused(theirs), "a patient never reads another's claim: \(theirs.status)")
            let theirsByThem = try await client.execute(uri: "/fhir/ExplanationOfBenefit/\(Self.resourceID(claims[3], record: other))", method: .get,
                                                        headers: try await tokens.bearer(.patient(.fixture(2))))
            #expect(theirsByThem.status == .ok)
            let parameter = try await client.execute(uri: "/fhir/ExplanationOfBenefit/\(recent)?_elements=id", method: .get, headers: holder)
            #expect(parameter.status == .badRequest && parameter.expression == "_elements", "\(parameter.text)")
        }
    }

    @Test("insurer, agent, regulator, break-the-glass, a blocked and an unauthorised professional: search and read agree",
          arguments: TestEngine.available)
    func actors(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let claim = try Self.claim("A1", daysAgo: 30)
            _ = try await store.addClaims([claim], checkpoint: ClaimImportCheckpoint(source: "test", linesDone: 1, imported: 0, duplicates: 0, rejected: 0))
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let id = Self.resourceID(claim, record: patient)

            func answers(_ headers: HTTPFields) async throws -> (search: TestResponse, read: TestResponse) {
                (try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patient)", method: .get, headers: headers),
                 try await client.execute(uri: "/fhir/ExplanationOfBenefit/\(id)", method: .get, headers: headers))
            }
            func expectAllowed(_ who: String, _ headers: HTTPFields) async throws {
                let (search, read) = try await answers(headers)
                #expect(search.status == .ok && search.json["total"] as? Int == 1, "\(who) searches: \(search.status) \(search.text.prefix(200))")
                #expect(read.status == .ok && read.json["id"] as? String == id, "\(who) reads: \(read.status) \(read.text.prefix(200))")
            }
            func expectRefused(_ who: String, _ headers: HTTPFields) async throws {
                let (search, read) = try await answers(headers)
                #expect(Self.refused(search), "\(who) searches: \(search.status) \(search.text.prefix(200))")
                #expect([.forbidden, .notFound].contains(read.status), "\(who) reads: \(read.status) \(read.text.prefix(200))")
            }

            try await expectAllowed("the holder", holder)
            try await expectRefused("the insurer", try await tokens.bearer(.insurer))
            try await expectRefused("an insurer agent", try await tokens.bearer(.agent))
            try await expectRefused("another patient", try await tokens.bearer(.patient(.fixture(2))))
            try await expectAllowed("a Centre 15 regulator", try await tokens.bearer(.regulator()))
            try await expectAllowed("a physician breaking the glass", try await tokens.bearer(.doctor("99700000033", mode: .breakTheGlass, reason: "unconscious")))
            let physician = try await tokens.bearer(.doctor("99700000022"))
            try await expectRefused("a physician without a basis", physician)
            _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + fhirJSON,
                                         body: AccessControlRoutesTests.professional("99700000022"))
            try await expectAllowed("an authorised physician", physician)
            let blocked = try await client.execute(uri: "/fhir/Patient/\(patient)/$block", method: .post, headers: holder + fhirJSON,
                                                   body: AccessControlRoutesTests.professional("99700000022"))
            #expect(blocked.status == .ok, "\(blocked.text)")
            let (search, read) = try await answers(physician)
            #expect(search.status == .forbidden && read.status == .forbidden, "a blocked professional is told so: \(search.status) \(read.status)")
            _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$emergency-access", method: .post, headers: holder + fhirJSON,
                                         body: .json(#"{"resourceType": "Parameters", "parameter": [{"name": "breakTheGlass", "valueBoolean": false}, {"name": "regulation", "valueBoolean": false}]}"#))
            try await expectRefused("a physician breaking the glass when the patient opposed it",
                                    try await tokens.bearer(.doctor("99700000033", mode: .breakTheGlass, reason: "unconscious")))
            try await expectRefused("a regulator when the patient opposed it", try await tokens.bearer(.regulator()))
        }
    }
}
