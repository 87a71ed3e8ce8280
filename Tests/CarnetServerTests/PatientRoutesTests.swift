import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `Patient` over HTTP through the real router: status codes, bodies and the access wiring.
@Suite("Patient routes")
struct PatientRoutesTests {
    @Test("a professional creates a record: 201 with Location, then 200 with the same Patient")
    func createThenCreateAgain() async throws {
        try await withCarnet { client, tokens in
            let doctor = try await tokens.bearer(.doctor())
            let first = try await client.execute(uri: "/fhir/Patient", method: .post, headers: doctor + fhirJSON, body: patientBody(.fixture()))
            #expect(first.status == .created)
            let id = try #require(first.json["id"] as? String)
            #expect(first.headers[.location] == "http://carnet.test/fhir/Patient/\(id)/_history/1")
            #expect(first.headers[.contentType] == "application/fhir+json; charset=utf-8")
            #expect(first.json["active"] as? Bool == true)
            let second = try await client.execute(uri: "/fhir/Patient", method: .post, headers: doctor + fhirJSON, body: patientBody(.fixture()))
            #expect(second.status == .ok)
            #expect(second.json["id"] as? String == id)
        }
    }

    @Test("a bad INS key is a 400 naming the identifier, never giving the right key, and creates nothing")
    func badKey() async throws {
        try await withCarnet { client, tokens in
            let doctor = try await tokens.bearer(.doctor())
            let body = ByteBuffer.json(#"{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"295109912611142"}],"name":[{"family":"A"}],"gender":"female","birthDate":"1995-10-01"}"#)
            let response = try await client.execute(uri: "/fhir/Patient", method: .post, headers: doctor + fhirJSON, body: body)
            #expect(response.status == .badRequest)
            #expect(response.json["resourceType"] as? String == "OperationOutcome")
            #expect(response.expression == "Patient.identifier[0].value")
            #expect(response.diagnostics.contains("INS key 42 does not match the number"))
            // Never the right key: that would turn a typo into another patient's INS.
            #expect(!response.diagnostics.contains("93"))
            let search = try await client.execute(uri: "/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8%7C295109912611193",
                                                  method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 0)
        }
    }

    @Test("bad bodies get a 4xx OperationOutcome, never a 500", arguments: [
        ("{\"resourceType\":\"Patient\",,}", HTTPResponse.Status.badRequest, "malformed JSON at line 1, column 27"),
        ("", .badRequest, "the request body is empty"),
        ("[]", .badRequest, "Patient: has the wrong type: expected an object"),
        ("{\"resourceType\":\"Observation\"}", .badRequest, "expected 'Patient'"),
        ("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:oid:1.2.250.1.213.1.4.8\",\"value\":\"295109912611193\"}],\"name\":[{\"family\":\"A\"}],\"gender\":\"female\"}",
         .badRequest, "Patient.birthDate: is required"),
        ("{\"resourceType\":\"Patient\",\"gender\":7}", .badRequest, "Patient.gender: has the wrong type"),
        ("\u{0}\u{1}binary", .badRequest, "malformed JSON"),
    ])
    func badBodies(_ body: String, _ status: HTTPResponse.Status, _ message: String) async throws {
        try await withCarnet { client, tokens in
            let response = try await client.execute(uri: "/fhir/Patient", method: .post,
                                                    headers: try await tokens.bearer(.doctor()) + fhirJSON, body: .json(body))
            #expect(response.status == status)
            #expect(response.json["resourceType"] as? String == "OperationOutcome")
            #expect(response.diagnostics.contains(message), "\(response.diagnostics)")
        }
    }

    @Test("a body over the limit is a 413; a non-FHIR content type a 415")
    func sizeAndContentType() async throws {
        try await withCarnet { client, tokens in
            let doctor = try await tokens.bearer(.doctor())
            let large = ByteBuffer(string: "{\"resourceType\":\"Patient\",\"x\":\"" + String(repeating: "a", count: 70 * 1024) + "\"}")
            let tooLarge = try await client.execute(uri: "/fhir/Patient", method: .post, headers: doctor + fhirJSON, body: large)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.issue["code"] as? String == "too-costly")
            let xml = try await client.execute(uri: "/fhir/Patient", method: .post,
                                               headers: doctor + [.contentType: "application/fhir+xml"], body: patientBody(.fixture()))
            #expect(xml.status == .unsupportedMediaType)
            #expect(xml.json["resourceType"] as? String == "OperationOutcome")
        }
    }

    @Test("find by INS (TD0.2): one match, or an empty bundle")
    func searchByIdentifier() async throws {
        try await withCarnet { client, tokens in
            let id = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let ins = INS.fixture()
            let found = try await client.execute(uri: "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)", method: .get, headers: doctor)
            #expect(found.status == .ok)
            #expect(found.json["resourceType"] as? String == "Bundle" && found.json["type"] as? String == "searchset")
            #expect(found.json["total"] as? Int == 1)
            let entry = try #require((found.json["entry"] as? [[String: Any]])?.first)
            #expect((entry["resource"] as? [String: Any])?["id"] as? String == id)
            #expect(entry["fullUrl"] as? String == "http://carnet.test/fhir/Patient/\(id)")
            let byID = try await client.execute(uri: "/fhir/Patient?_id=\(id)", method: .get, headers: doctor)
            #expect(byID.json["total"] as? Int == 1)
            let other = INS.fixture(77)
            let none = try await client.execute(uri: "/fhir/Patient?identifier=\(other.system.uri)%7C\(other.value)", method: .get, headers: doctor)
            #expect(none.status == .ok && none.json["total"] as? Int == 0)
        }
    }

    @Test("searches that do not name one patient are refused", arguments: [
        ("/fhir/Patient", "identifier"), ("/fhir/Patient?name=MARTIN", "name"), ("/fhir/Patient?identifier=295109912611193", "identifier"),
        ("/fhir/Patient?identifier=urn:oid:1.2.3%7C295109912611193", "identifier"),
        ("/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8%7C295109912611142", "identifier"),
        ("/fhir/Patient?_id=not%20an%20id", "_id"),
        ("/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8%7C295109912611193&identifier=urn:oid:1.2.250.1.213.1.4.8%7C253072B07300470", "identifier"),
    ])
    func badSearches(_ uri: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            let response = try await client.execute(uri: uri, method: .get, headers: try await tokens.bearer(.doctor()))
            #expect(response.status == .badRequest)
            #expect(response.expression == expression)
        }
    }

    @Test("reading an unknown or malformed id is a 404 OperationOutcome", arguments: [
        "/fhir/Patient/6f1c1a8e-1111-4c2d-9a43-123456789abc", "/fhir/Patient/not-an-id", "/fhir/Patient/%00",
    ])
    func unknownPatient(_ uri: String) async throws {
        try await withCarnet { client, tokens in
            let response = try await client.execute(uri: uri, method: .get, headers: try await tokens.bearer(.doctor()))
            #expect(response.status == .notFound)
            #expect(response.issue["code"] as? String == "not-found")
        }
    }

    @Test("the patient closes and reopens; professionals are then refused, then allowed")
    func closeAndReopen() async throws {
        try await withCarnet { client, tokens in
            let id = try await createPatient(client, tokens)
            let patient = try await tokens.bearer(.patient(.fixture()))
            let doctor = try await tokens.bearer(.doctor())
            let reason = ByteBuffer.json(#"{"resourceType":"Parameters","parameter":[{"name":"reason","valueString":"moving abroad"}]}"#)
            let closed = try await client.execute(uri: "/fhir/Patient/\(id)/$close", method: .post, headers: patient + fhirJSON, body: reason)
            #expect(closed.status == .ok)
            #expect(closed.json["active"] as? Bool == false)
            #expect(closed.text.contains("moving abroad"))

            let refused = try await client.execute(uri: "/fhir/Patient/\(id)", method: .get, headers: doctor)
            #expect(refused.status == .forbidden)
            #expect(refused.diagnostics.contains("closed"))
            // The existence check (TD0.2) answers as PDSm publishes it: the Patient, inactive, with its closure
            // date — never the patient's reason (issue 23.9, ClosureReasonTests).
            let ins = INS.fixture()
            let check = try await client.execute(uri: "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)", method: .get, headers: doctor)
            let found = (check.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any]
            #expect(check.status == .ok && found?["active"] as? Bool == false && check.text.contains("dateFermeture"), "\(check.text)")
            #expect(!check.text.contains("moving abroad"))

            let again = try await client.execute(uri: "/fhir/Patient/\(id)/$close", method: .post, headers: patient)
            #expect(again.status == .conflict)

            let reopened = try await client.execute(uri: "/fhir/Patient/\(id)/$reopen", method: .post, headers: patient)
            #expect(reopened.status == .ok && reopened.json["active"] as? Bool == true)
            #expect((reopened.json["meta"] as? [String: Any])?["versionId"] as? String == "3")
            let allowed = try await client.execute(uri: "/fhir/Patient/\(id)", method: .get, headers: doctor)
            #expect(allowed.status == .ok)
        }
    }

    @Test("only the holder or an agent changes the lifecycle")
    func lifecycleRights() async throws {
        try await withCarnet { client, tokens in
            let id = try await createPatient(client, tokens)
            let doctor = try await client.execute(uri: "/fhir/Patient/\(id)/$close", method: .post, headers: try await tokens.bearer(.doctor()))
            #expect(doctor.status == .forbidden)
            let stranger = try await client.execute(uri: "/fhir/Patient/\(id)/$close", method: .post,
                                                    headers: try await tokens.bearer(.patient(.fixture(2))))
            #expect(stranger.status == .notFound)
            let agent = try await client.execute(uri: "/fhir/Patient/\(id)/$close", method: .post, headers: try await tokens.bearer(.agent))
            #expect(agent.status == .ok)
            let badParameters = try await client.execute(uri: "/fhir/Patient/\(id)/$reopen", method: .post,
                                                         headers: try await tokens.bearer(.agent) + fhirJSON, body: .json(#"{"resourceType":"Patient"}"#))
            #expect(badParameters.status == .badRequest && badParameters.expression == "resourceType")
        }
    }
}
