import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-66 (find submission sets) and document `_history`: what arrived together, and every metadata
/// version, to those who may see the documents and to no one else.
@Suite("Submission sets and history")
struct SubmissionSetAndHistoryTests {
    static let setID = "urn:oid:1.2.250.1.999.70.1"

    @Test("ITI-66: the submission set is found by patient and criteria and lists its documents", arguments: TestEngine.available)
    func findSubmissionSet(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let pushed = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON,
                                                  body: TransactionRoutesTests.twoDocuments(setID: Self.setID))
            #expect(pushed.status == .ok, "\(pushed.text)")
            let listLocation = ((pushed.json["entry"] as? [[String: Any]])?.first?["response"] as? [String: Any])?["location"] as? String
            #expect(listLocation?.contains("/fhir/List/") == true)

            let found = try await client.execute(uri: "/fhir/List?patient=\(patientID)&code=submissionset", method: .get, headers: doctor)
            #expect(found.status == .ok && found.json["total"] as? Int == 1, "\(found.text)")
            let list = try #require((found.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
            #expect((list["identifier"] as? [[String: Any]])?.first?["value"] as? String == Self.setID)
            #expect(list["title"] as? String == "Sortie d'hospitalisation (synthetic)")
            let items = (list["entry"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? [String: Any])?["reference"] as? String }
            let documents = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&_sort=date", method: .get, headers: doctor)
            let documentIDs = (documents.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
            #expect(Set(items) == Set(documentIDs.map { "DocumentReference/\($0)" }) && items.count == 2)

            let ins = INS.fixture()
            for (query, total) in [("patient.identifier=\(ins.system.uri)|\(ins.value)&identifier=urn:ietf:rfc:3986|\(Self.setID)", 1),
                                   ("patient=\(patientID)&identifier=urn:oid:1.2.3", 0),
                                   ("patient=\(patientID)&sourceId=urn:oid:1.2.250.1.999", 1),
                                   ("patient=\(patientID)&date=ge2000-01-01", 1), ("patient=\(patientID)&date=lt2000-01-01", 0),
                                   ("patient=\(patientID)&status=current&_count=1", 1)] {
                let response = try await client.execute(uri: "/fhir/List?\(query)", method: .get, headers: doctor)
                #expect(response.json["total"] as? Int == total, "\(query): \(response.text)")
            }
            let holder = try await tokens.bearer(.patient(ins))
            #expect(try await client.execute(uri: "/fhir/List?patient=\(patientID)", method: .get, headers: holder).json["total"] as? Int == 1)
        }
    }

    @Test("a set whose documents the reader may not see is not listed; a repeated set id stores nothing")
    func hiddenAndRepeated() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            _ = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: TransactionRoutesTests.twoDocuments(setID: Self.setID))
            let stranger = try await tokens.bearer(.doctor("99700000022"))
            let hidden = try await client.execute(uri: "/fhir/List?patient=\(patientID)", method: .get, headers: stranger)
            #expect(hidden.status == .ok && hidden.json["total"] as? Int == 0 && hidden.json["entry"] == nil)

            let again = String(buffer: TransactionRoutesTests.twoDocuments(setID: Self.setID))
                .replacingOccurrences(of: "urn:oid:1.2.250.1.999.2\"", with: "urn:oid:1.2.250.1.999.20\"")
            let repeated = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: .json(again))
            #expect(repeated.status == .conflict, "\(repeated.text)")
            let documents = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(documents.json["total"] as? Int == 2)
        }
    }

    @Test("bad List searches are refused naming the parameter", arguments: [
        ("code=submissionset", "patient"), ("patient=x", "patient"), ("patient=00000000-0000-0000-0000-000000000000&code=folder", "code"),
        ("patient=00000000-0000-0000-0000-000000000000&title=x", "title"), ("patient=00000000-0000-0000-0000-000000000000&date=tomorrow", "date"),
        ("patient=00000000-0000-0000-0000-000000000000&_count=-1", "_count"),
    ])
    func badSearches(_ query: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            let response = try await client.execute(uri: "/fhir/List?\(query)", method: .get, headers: try await tokens.bearer(.doctor()))
            #expect(response.status == .badRequest && response.expression == expression, "\(response.text)")
        }
    }

    @Test("_history keeps every metadata version; vread returns each; others see none", arguments: TestEngine.available)
    func history(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let pushed = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody())
            let id = try #require(pushed.json["id"] as? String)
            let archived = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch,
                                                    headers: doctor + DocumentLifecycleTests.jsonPatch, body: DocumentLifecycleTests.archive(true))
            #expect(archived.status == .ok)

            let history = try await client.execute(uri: "/fhir/DocumentReference/\(id)/_history", method: .get, headers: doctor)
            #expect(history.status == .ok && history.json["type"] as? String == "history" && history.json["total"] as? Int == 2, "\(history.text)")
            let versions = (history.json["entry"] as? [[String: Any]] ?? []).compactMap { entry in
                ((entry["resource"] as? [String: Any])?["meta"] as? [String: Any])?["versionId"] as? String
            }
            #expect(versions == ["2", "1"])
            let first = try await client.execute(uri: "/fhir/DocumentReference/\(id)/_history/1", method: .get, headers: doctor)
            #expect(first.status == .ok && first.json["extension"] == nil && first.headers[.eTag] == "W/\"1\"")
            let second = try await client.execute(uri: "/fhir/DocumentReference/\(id)/_history/2", method: .get, headers: doctor)
            #expect((second.json["extension"] as? [[String: Any]])?.first?["valueBoolean"] as? Bool == true)
            for missing in ["3", "x"] {
                let response = try await client.execute(uri: "/fhir/DocumentReference/\(id)/_history/\(missing)", method: .get, headers: doctor)
                #expect(response.status == .notFound, "\(missing): \(response.text)")
            }
            let stranger = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)/_history", method: .get, headers: stranger).status == .notFound)
        }
    }

    @Test("period searches the service period with FHIR date prefixes")
    func periodSearch() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let stay = #""context": {"period": {"start": "2026-02-01T08:00:00+01:00", "end": "2026-02-05T18:00:00+01:00"}, "#
            let body = String(buffer: DocumentRoutesTests.documentBody()).replacingOccurrences(of: #""context": {"#, with: stay)
            let pushed = try await DocumentRoutesTests.push(client, doctor, .json(body))
            #expect(pushed.status == .created, "\(pushed.text)")
            _ = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody())
            for (period, total) in [("2026-02", 1), ("ge2026-02-05", 1), ("gt2026-02-05", 0), ("lt2026-02-01", 0), ("le2026-02-01", 1),
                                    ("2026-02-03", 0)] {
                let response = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&period=\(period)", method: .get, headers: doctor)
                #expect(response.json["total"] as? Int == total, "period=\(period): \(response.text)")
            }
        }
    }
}
