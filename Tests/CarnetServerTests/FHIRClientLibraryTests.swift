import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// What the client suite (`scripts/fhir-clients`: fhirclient and fhirpy against a running Carnet)
/// found, each replayed through the router: a search by `_id` naming an id no record can have, and
/// conditional-create criteria put in a create's URL, as fhirpy sends them.
@Suite("What FHIR client libraries found")
struct FHIRClientLibraryTests {
    @Test("Patient?_id= with an id this server never gives (fhirpy's a,b) matches nothing instead of refusing the search; a value that is no FHIR id is a 400",
          arguments: TestEngine.available)
    func foreignIDs(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let agent = try await tokens.bearer(.agent)
            let both = try await client.execute(uri: "/fhir/Patient?_id=\(patient),example-patient.1&_count=10", method: .get, headers: agent)
            #expect(both.status == .ok, "\(both.text)")
            let ids = (both.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
            #expect(ids == [patient])
            let none = try await client.execute(uri: "/fhir/Patient?_id=example", method: .get, headers: agent)
            #expect(none.status == .ok && none.json["total"] as? Int == 0, "\(none.text)")
            let invalid = try await client.execute(uri: "/fhir/Patient?_id=not%20an%20id", method: .get, headers: agent)
            #expect(invalid.status == .badRequest && invalid.expression == "_id", "\(invalid.text)")
        }
    }

    @Test("a create with search parameters in its URL (fhirpy's get_or_create) is refused, naming the parameter, and creates nothing; _format is accepted",
          arguments: TestEngine.available)
    func criteriaInCreateURL(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            for (uri, body) in [("/fhir/Condition?code=44054006", SummaryRoutesTests.condition(patient)),
                                ("/fhir/DocumentReference?identifier=urn:ietf:rfc:3986%7Curn:oid:1.2.250.1.999.5",
                                 String(buffer: DocumentRoutesTests.documentBody())),
                                ("/fhir/Patient?identifier=x", String(buffer: patientBody(.fixture(2))))] {
                let refused = try await client.execute(uri: uri, method: .post, headers: doctor + fhirJSON, body: ByteBuffer(string: body))
                #expect(refused.status == .badRequest, "\(uri): \(refused.text)")
                #expect(refused.issue["code"] as? String == "not-supported" && refused.diagnostics.contains("If-None-Exist"), "\(refused.text)")
            }
            let holder = try await tokens.bearer(.patient(.fixture()))
            let conditions = try await client.execute(uri: "/fhir/Condition?patient=\(patient)", method: .get, headers: holder)
            #expect(conditions.json["total"] as? Int == 0)
            let documents = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patient)", method: .get, headers: holder)
            #expect(documents.json["total"] as? Int == 0)
            let formatted = try await client.execute(uri: "/fhir/Condition?_format=json", method: .post, headers: doctor + fhirJSON,
                                                     body: ByteBuffer(string: SummaryRoutesTests.condition(patient)))
            #expect(formatted.status == .created, "\(formatted.text)")
        }
    }
}
