import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 23.10: every read of a record's Patient writes an audit event, whatever the path: by id, by
/// INS (TD0.2), by `_id`, a creation answered with the existing record, and the portals. A creation
/// that found the record was audited as a creation (with "authorised by this act"), not as the read it is.
@Suite("Patient reads are audited")
struct PatientReadAuditTests {
    @Test("each Patient read path writes a read-identity event by its reader", arguments: TestEngine.available)
    func everyPathAudited(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let ins = INS.fixture()
            let id = try await createPatient(client, tokens, ins)
            let recordID = try #require(RecordID(id))
            let doctor = try await tokens.bearer(.doctor("99700000022"))
            func reads() async throws -> Int {
                try await store.auditEvents(recordID: recordID, limit: 1_000)
                    .filter { $0.action == .readIdentity && $0.outcome == .success && $0.actorID == "99700000022" }.count
            }
            let paths: [(String, HTTPRequest.Method, ByteBuffer?)] = [
                ("/fhir/Patient/\(id)", .get, nil),
                ("/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)", .get, nil),
                ("/fhir/Patient?_id=\(id)", .get, nil),
                ("/fhir/Patient", .post, patientBody(ins)),
            ]
            for (path, method, body) in paths {
                let before = try await reads()
                let response = try await client.execute(uri: path, method: method, headers: doctor + fhirJSON, body: body ?? ByteBuffer())
                #expect(response.status == .ok, "\(path): \(response.text.prefix(200))")
                #expect(try await reads() == before + 1, "\(method) \(path) is audited as a read")
            }
            let repeated = try await store.auditEvents(recordID: recordID, limit: 1_000).first { $0.actorID == "99700000022" && $0.detail?.contains("exists") == true }
            #expect(repeated?.action == .readIdentity, "a repeated creation is a read, never a creation that authorises")

            // The professional portal's search by INS.
            let before = try await reads()
            let pro = try await PortalEmergencyTests.signIn(client, tokens, .doctor("99700000022"))
            #expect(try await PortalEmergencyTests.find(client, pro, ins).status == .ok)
            #expect(try await reads() == before + 1)

            // The patient portal's pages that show the identity.
            let holderReads = { try await store.auditEvents(recordID: recordID, limit: 1_000)
                .filter { $0.action == .readIdentity && $0.actorKind == .patient && $0.outcome == .success }.count }
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: ins, recordID: recordID)
            for path in ["/portal/patient", "/portal/patient/record"] {
                let count = try await holderReads()
                #expect(try await jar.get(client, path).status == .ok)
                #expect(try await holderReads() == count + 1, "\(path) is audited as a read")
            }
        }
    }
}
