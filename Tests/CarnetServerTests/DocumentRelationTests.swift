import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `relatesTo` with `appends`, `transforms` and `signs` (issue 22): stored and returned; a target that
/// does not exist, or that the sender may not see, is refused alike, naming `relatesTo[n].target`.
@Suite("Document relations")
struct DocumentRelationTests {
    static func relatesTo(_ relations: [(code: String, target: String)]) -> String {
        #""relatesTo": [\#(relations.map { #"{"code": "\#($0.code)", "target": {"reference": "DocumentReference/\#($0.target)"}}"# }.joined(separator: ", "))],"#
    }

    @Test("appends and signs are stored and returned, by id and by search", arguments: TestEngine.available)
    func storedAndReturned(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let first = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody())
            let firstID = try #require(first.json["id"] as? String)
            let second = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(
                extra: Self.relatesTo([("appends", firstID), ("signs", firstID), ("transforms", firstID)])))
            #expect(second.status == .created, "\(second.text)")
            let secondID = try #require(second.json["id"] as? String)
            let expected = ["appends", "signs", "transforms"].map { "\($0) DocumentReference/\(firstID)" }
            func relations(_ resource: [String: Any]) -> [String] {
                (resource["relatesTo"] as? [[String: Any]] ?? []).map {
                    "\($0["code"] as? String ?? "") \((($0["target"] as? [String: Any])?["reference"] as? String) ?? "")"
                }
            }
            #expect(relations(second.json) == expected)
            #expect(relations(try await client.execute(uri: "/fhir/DocumentReference/\(secondID)", method: .get, headers: doctor).json) == expected)
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&_id=\(secondID)", method: .get, headers: doctor)
            #expect(relations(try #require((search.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])) == expected)
            // The related document is untouched: still current.
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(firstID)", method: .get, headers: doctor).json["status"] as? String == "current")
        }
    }

    @Test("a missing target, one in another record and one hidden from the sender are refused alike, naming relatesTo[n].target; nothing is stored",
          arguments: TestEngine.available)
    func missingOrHiddenTarget(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            _ = try await createPatient(client, tokens, .fixture(2))
            let doctor = try await tokens.bearer(.doctor())
            let elsewhere = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(.fixture(2)))
            let elsewhereID = try #require(elsewhere.json["id"] as? String)
            let missingID = UUID().uuidString.lowercased()
            var answers: [String] = []
            for target in [missingID, elsewhereID] {
                let response = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(
                    extra: Self.relatesTo([("appends", target)])))
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.expression == "DocumentReference.relatesTo[0].target", "\(response.text)")
                #expect(response.issue["code"] as? String == "not-found")
                answers.append(response.text.replacingOccurrences(of: target, with: "ID"))
            }
            #expect(answers[0] == answers[1])
            // A document hidden from the patient (INVISIBLE_PATIENT): the patient's own push relating to it hears the same.
            let invisible = #"{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument", "code": "INVISIBLE_PATIENT"}]}"#
            let hidden = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(labels: invisible))
            let hiddenID = try #require(hidden.json["id"] as? String)
            let holder = try await tokens.bearer(.patient(.fixture()))
            var holderAnswers: [String] = []
            for target in [missingID, hiddenID] {
                let response = try await DocumentRoutesTests.push(client, holder, DocumentRoutesTests.documentBody(extra: Self.relatesTo([("signs", target)])))
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.expression == "DocumentReference.relatesTo[0].target")
                holderAnswers.append(response.text.replacingOccurrences(of: target, with: "ID"))
            }
            #expect(holderAnswers[0] == holderAnswers[1])
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 1)  // the hidden one only
        }
    }

    @Test("in an ITI-65 bundle, the refused target is named by its entry", arguments: TestEngine.available)
    func inTransaction(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let document = TransactionRoutesTests.document("urn:uuid:aaaaaaaa-0000-0000-0000-000000000002", binary: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000003",
                                                           ins: .fixture(), uniqueID: "urn:oid:1.2.250.1.999.41", content: TransactionRoutesTests.cda1,
                                                           replaces: UUID().uuidString.lowercased())
                .replacingOccurrences(of: #""code": "replaces""#, with: #""code": "transforms""#)
            let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: TransactionRoutesTests.bundle([
                TransactionRoutesTests.submissionSet(entries: ["urn:uuid:aaaaaaaa-0000-0000-0000-000000000002"]), document,
                TransactionRoutesTests.binary("urn:uuid:aaaaaaaa-0000-0000-0000-000000000003", TransactionRoutesTests.cda1),
            ]))
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(response.expression == "Bundle.entry[1].resource.relatesTo[0].target", "\(response.text)")
        }
    }
}
