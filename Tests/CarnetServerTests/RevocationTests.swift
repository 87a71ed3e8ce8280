import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 23.4: a professional whose authorisation the patient revoked regained access at once by
/// declaring "consent given in consultation". A revocation now holds until the patient authorises again.
@Suite("Revocation holds")
struct RevocationTests {
    @Test("a revoked professional's own declaration (consultation or care team) is refused until the patient authorises again",
          arguments: TestEngine.available)
    func revokedCannotRedeclare(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let routes = AccessControlRoutesTests()
            let (patientID, _, holder) = try await routes.setUp(client, tokens)
            let physician = try await tokens.bearer(.doctor("99700000022"))
            let declare = "/fhir/Patient/\(patientID)/$authorize"
            #expect(try await routes.operation(client, declare, holder, AccessControlRoutesTests.professional("99700000022")).status == .ok)
            #expect(try await routes.found(client, patientID, physician) == 2)
            #expect(try await routes.operation(client, "/fhir/Patient/\(patientID)/$revoke", holder,
                                               AccessControlRoutesTests.professional("99700000022")).status == .ok)
            #expect(try await routes.found(client, patientID, physician) == 0)

            // The attack: the professional declares the patient's consent themselves.
            let consultation = try await routes.operation(client, declare, physician)
            #expect(consultation.status == .forbidden, "\(consultation.text)")
            #expect(consultation.diagnostics.contains("revoked"), "\(consultation.diagnostics)")
            let careTeam = try await routes.operation(client, declare, physician,
                                                      .json(#"{"resourceType": "Parameters", "parameter": [{"name": "careTeam", "valueBoolean": true}]}"#))
            #expect(careTeam.status == .forbidden, "\(careTeam.text)")
            #expect(try await routes.found(client, patientID, physician) == 0, "still nothing to read")
            let refusals = try await store.auditEvents(recordID: try #require(RecordID(patientID)), limit: 1_000)
                .filter { $0.action == .declareConsent && $0.outcome == .denied }
            #expect(refusals.count == 2 && refusals.allSatisfy { $0.rule == .authorisationRevoked }, "each refusal audited with its rule")

            // Another professional is not affected.
            #expect(try await routes.operation(client, declare, try await tokens.bearer(.doctor("99700000033"))).status == .ok)

            // The patient's own grant lifts the revocation; then a later consultation declaration works again.
            #expect(try await routes.operation(client, declare, holder, AccessControlRoutesTests.professional("99700000022")).status == .ok)
            #expect(try await routes.found(client, patientID, physician) == 2)
            #expect(try await routes.operation(client, declare, physician).status == .ok)
        }
    }

    @Test("the professional web access: a revoked professional's consent declaration is refused, said in French", arguments: TestEngine.available)
    func portalDeclarationRefused(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let routes = AccessControlRoutesTests()
            let (patientID, _, holder) = try await routes.setUp(client, tokens)
            #expect(try await routes.operation(client, "/fhir/Patient/\(patientID)/$revoke", holder,
                                               AccessControlRoutesTests.professional("99700000022")).status == .ok)
            let pro = try await PortalEmergencyTests.signIn(client, tokens, .doctor("99700000022"))
            let declared = try await PortalEmergencyTests.open(client, pro, patientID, kind: "consent", ins: .fixture())
            #expect(declared.status == .forbidden, "\(declared.status) \(declared.text.prefix(300))")
            #expect(declared.text.contains("retiré l&#39;autorisation") || declared.text.contains("retiré l'autorisation"), "\(declared.text.prefix(600))")
            let physician = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await routes.found(client, patientID, physician) == 0)
        }
    }
}
