import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The leak suite, continued: folded duplicates (issue 18). Folding runs over what the reader may see
/// only, so a copy hidden from a reader is never shown, listed on another entry, nor counted — in the
/// API's searches, totals and `_summary=count`, and in the portal — and a push never answers with a
/// document its sender may not see.
extension LeakTests {
    /// The author pushes the same bytes twice, as two submissions: one plain, one masked to professionals
    /// (`maskedFirst` orders them); the patient authorises another physician. Ids: (plain, masked).
    func duplicateWorld(_ client: any TestClientProtocol, _ tokens: Tokens, maskedFirst: Bool) async throws -> (patientID: String, plain: String, masked: String) {
        let patientID = try await createPatient(client, tokens)
        let author = try await tokens.bearer(.doctor())
        let masking = #"{"coding": [{"system": "\#(AccessControlRoutesTests.visibility)", "code": "MASQUE_PS"}]}"#
        var ids: [String: String] = [:]
        for (name, labels, uniqueID) in maskedFirst ? [("masked", masking, "1.2.250.1.999.81.1"), ("plain", "", "1.2.250.1.999.81.2")]
                                                    : [("plain", "", "1.2.250.1.999.81.1"), ("masked", masking, "1.2.250.1.999.81.2")] {
            let pushed = try await DocumentRoutesTests.push(client, author, DuplicateDocumentTests.body(uniqueID: uniqueID, labels: labels))
            #expect(pushed.status == .created, "\(pushed.text)")
            ids[name] = pushed.json["id"] as? String
        }
        let granted = try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: try await tokens.bearer(.patient(.fixture())) + fhirJSON,
                                               body: AccessControlRoutesTests.professional("99700000022"))
        #expect(granted.status == .ok)
        return (patientID, ids["plain"] ?? "", ids["masked"] ?? "")
    }

    @Test("attack: a masked copy of a document is neither shown, nor listed on its twin, nor counted, whichever came first",
          arguments: TestEngine.available, [false, true])
    func maskedDuplicateNeverRevealed(_ engine: TestEngine, maskedFirst: Bool) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let world = try await duplicateWorld(client, tokens, maskedFirst: maskedFirst)
            let physician = try await tokens.bearer(.doctor("99700000022"))
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(world.patientID)", method: .get, headers: physician)
            #expect(ids(search) == [world.plain] && search.json["total"] as? Int == 1)
            #expect(!search.text.contains(world.masked) && !search.text.contains("duplicate-submission"), "no trace of the masked copy")
            let count = try await client.execute(uri: "/fhir/DocumentReference?patient=\(world.patientID)&_summary=count", method: .get, headers: physician)
            #expect(count.json["total"] as? Int == 1)
            let byID = try await client.execute(uri: "/fhir/DocumentReference?_id=\(world.masked),\(world.plain)", method: .get, headers: physician)
            let entries = String(decoding: try JSONSerialization.data(withJSONObject: byID.json["entry"] ?? []), as: UTF8.self)
            #expect(ids(byID) == [world.plain] && !entries.contains(world.masked), "only the query's own link repeats the id asked for")

            // Those who may see both see one entry listing the other.
            for reader in [try await tokens.bearer(.patient(.fixture())), try await tokens.bearer(.doctor())] {
                let both = try await client.execute(uri: "/fhir/DocumentReference?patient=\(world.patientID)", method: .get, headers: reader)
                #expect(both.json["total"] as? Int == 1 && both.text.contains(world.masked) && both.text.contains(world.plain))
            }

            // The professional's portal: one line, nothing folded into it, no link to the masked copy.
            let jar = try await PortalEmergencyTests.signIn(client, tokens, .doctor("99700000022"))
            _ = try await PortalEmergencyTests.find(client, jar, .fixture())
            _ = try await PortalEmergencyTests.open(client, jar, world.patientID, kind: "normal")
            let page = try await jar.get(client, "/portal/pro/patient")
            #expect(page.status == .ok && page.text.contains(world.plain), "\(page.text.prefix(500))")
            #expect(!page.text.contains(world.masked) && !page.text.contains("Même document transmis aussi"))

            // The patient's portal lists the other submission on the one line it shows.
            let recordID = try #require(RecordID(world.patientID))
            let patientJar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, patientJar, ins: .fixture(), recordID: recordID)
            let documents = try await patientJar.get(client, "/portal/patient/documents")
            #expect(documents.text.contains("Même document transmis aussi") && documents.text.contains(world.masked) && documents.text.contains(world.plain))
            #expect(documents.text.contains("<p>1 document(s)</p>"))
        }
    }

    @Test("attack: pushing the bytes of a document one may not see stores a new document (201), never answers with the hidden one",
          arguments: TestEngine.available)
    func rePushIsNoOracle(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await duplicateWorld(client, tokens, maskedFirst: true)
            let other = try await tokens.bearer(.doctor("99700000022"))
            let pushed = try await DocumentRoutesTests.push(client, other, DuplicateDocumentTests.body())
            #expect(pushed.status == .created, "answered as any new document")
            let id = try #require(pushed.json["id"] as? String)
            #expect(id != world.masked && id != world.plain && !pushed.text.contains(world.masked))
            // The author's own re-push of the masked copy's bytes with its labels is answered with the author's document.
            let author = try await tokens.bearer(.doctor())
            let again = try await DocumentRoutesTests.push(client, author, DuplicateDocumentTests.body(
                labels: #"{"coding": [{"system": "\#(AccessControlRoutesTests.visibility)", "code": "MASQUE_PS"}]}"#))
            #expect(again.status == .ok && again.json["id"] as? String == world.masked)
        }
    }
}
