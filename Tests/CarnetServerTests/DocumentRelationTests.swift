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

    /// An ITI-65 bundle of two documents (and their submission set), the second linked by `code` to `target`.
    static func linkedPair(code: String = "appends", target: String, ins: INS = .fixture()) -> ByteBuffer {
        let first = "urn:uuid:aaaaaaaa-0000-0000-0000-000000000002", second = "urn:uuid:aaaaaaaa-0000-0000-0000-000000000004"
        let linked = TransactionRoutesTests.document(second, binary: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000005", ins: ins,
                                                     uniqueID: "urn:oid:1.2.250.1.999.\(Int.random(in: 1...9_999_999))", content: TransactionRoutesTests.cda2,
                                                     replaces: "TARGET")
            .replacingOccurrences(of: #""code": "replaces""#, with: #""code": "\#(code)""#)
            .replacingOccurrences(of: "DocumentReference/TARGET", with: target)
        return TransactionRoutesTests.bundle([
            TransactionRoutesTests.submissionSet(entries: [first, second]),
            TransactionRoutesTests.document(first, binary: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000003", ins: ins,
                                            uniqueID: "urn:oid:1.2.250.1.999.\(Int.random(in: 1...9_999_999))", content: TransactionRoutesTests.cda1),
            TransactionRoutesTests.binary("urn:uuid:aaaaaaaa-0000-0000-0000-000000000003", TransactionRoutesTests.cda1),
            linked,
            TransactionRoutesTests.binary("urn:uuid:aaaaaaaa-0000-0000-0000-000000000005", TransactionRoutesTests.cda2),
        ])
    }

    @Test("in an ITI-65 bundle, a relatesTo naming another document of the bundle by its urn:uuid fullUrl names that document once stored",
          arguments: TestEngine.available)
    func linkWithinBundle(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            for code in ["appends", "transforms", "signs"] {
                let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON,
                                                        body: Self.linkedPair(code: code, target: "urn:uuid:aaaaaaaa-0000-0000-0000-000000000002"))
                #expect(response.status == .ok, "\(response.text)")
                let locations = (response.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["response"] as? [String: Any])?["location"] as? String }
                let ids = locations.filter { $0.contains("/DocumentReference/") }.map { $0.components(separatedBy: "/DocumentReference/")[1].components(separatedBy: "/")[0] }
                #expect(ids.count == 2, "\(locations)")
                guard ids.count == 2 else { continue }
                let read = try await client.execute(uri: "/fhir/DocumentReference/\(ids[1])", method: .get, headers: doctor)
                let relation = (read.json["relatesTo"] as? [[String: Any]])?.first
                #expect(relation?["code"] as? String == code)
                #expect((relation?["target"] as? [String: Any])?["reference"] as? String == "DocumentReference/\(ids[0])", "\(read.text)")
                // The target is the document stored from the first entry.
                #expect(try await client.execute(uri: "/fhir/DocumentReference/\(ids[0])", method: .get, headers: doctor).status == .ok)
            }
        }
    }

    @Test("a urn:uuid naming no document of the bundle, the document itself, or a replacement within it is refused, naming it; nothing is stored",
          arguments: TestEngine.available)
    func danglingLinkWithinBundle(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let dangling = "urn:uuid:\(UUID().uuidString.lowercased())"
            for (code, target, says) in [("appends", dangling, dangling), ("signs", "urn:uuid:aaaaaaaa-0000-0000-0000-000000000004", "itself"),
                                         ("appends", "urn:uuid:aaaaaaaa-0000-0000-0000-000000000003", "names no DocumentReference"),
                                         ("replaces", "urn:uuid:aaaaaaaa-0000-0000-0000-000000000002", "cannot be replaced")] {
                let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON,
                                                        body: Self.linkedPair(code: code, target: target))
                #expect(response.status == .badRequest, "\(response.text)")
                #expect(response.json["resourceType"] as? String == "OperationOutcome")
                #expect(response.expression == "Bundle.entry[3].resource.relatesTo[0].target", "\(response.text)")
                #expect(response.diagnostics.contains(target) && response.diagnostics.contains(says), "\(response.diagnostics)")
            }
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 0)
        }
    }
}
