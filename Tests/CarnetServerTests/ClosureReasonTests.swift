import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 23.9: TD0.2 (`GET /fhir/Patient?identifier=…`) showed any professional, even a blocked one,
/// the free text the patient gave when closing their record. A professional learns that the record is
/// closed, and when; what the patient wrote stays with the patient's side and agents.
@Suite("Closure reason")
struct ClosureReasonTests {
    static let secret = "je ne veux plus que le Dr X voie mon dossier"

    @Test("a professional's TD0.2 on a closed record says closed and when, never the patient's reason; the holder and the agent still read it",
          arguments: TestEngine.available)
    func reasonStaysWithThePatient(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let authorised = try await tokens.bearer(.doctor("99700000022"))
            let routes = AccessControlRoutesTests()
            #expect(try await routes.operation(client, "/fhir/Patient/\(patientID)/$authorize", holder,
                                               AccessControlRoutesTests.professional("99700000022")).status == .ok)
            #expect(try await routes.operation(client, "/fhir/Patient/\(patientID)/$block", holder,
                                               AccessControlRoutesTests.professional("99700000033")).status == .ok)
            let reason = ByteBuffer.json(#"{"resourceType": "Parameters", "parameter": [{"name": "reason", "valueString": "\#(Self.secret)"}]}"#)
            let closed = try await client.execute(uri: "/fhir/Patient/\(patientID)/$close", method: .post, headers: holder + fhirJSON, body: reason)
            #expect(closed.status == .ok && closed.text.contains(Self.secret), "the holder sees what they wrote")

            let ins = INS.fixture()
            let search = "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)"
            for professional in [authorised, try await tokens.bearer(.doctor("99700000033")), try await tokens.bearer(.doctor("99700000044"))] {
                let check = try await client.execute(uri: search, method: .get, headers: professional)
                #expect(check.status == .ok, "\(check.text)")
                let patient = try #require((check.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
                #expect(patient["active"] as? Bool == false)
                #expect(check.text.contains("dateFermeture"), "when it was closed")
                #expect(!check.text.contains("raisonFermeture") && !check.text.contains(Self.secret), "\(check.text)")
            }
            for side in [holder, try await tokens.bearer(.agent)] {
                #expect(try await client.execute(uri: search, method: .get, headers: side).text.contains(Self.secret))
                #expect(try await client.execute(uri: "/fhir/Patient/\(patientID)", method: .get, headers: side).text.contains(Self.secret))
            }
        }
    }
}
