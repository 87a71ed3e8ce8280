import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The patient decides, end to end through the real router: consents, blocks, the treating physician,
/// emergency modes, masking, legal representatives — and what each professional then finds.
@Suite("Access control routes")
struct AccessControlRoutesTests {
    static let visibility = "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument"
    static func label(_ code: String) -> String { #"{"coding": [{"system": "\#(visibility)", "code": "\#(code)"}]}"# }

    static func professional(_ rpps: String) -> ByteBuffer {
        .json(#"{"resourceType": "Parameters", "parameter": [{"name": "professional", "valueIdentifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "8\#(rpps)"}}]}"#)
    }

    static let dentist = Actor(role: .professional(Professional(rpps: try! RPPS("99700000040"), profession: .dentist)))

    /// A patient with three documents by the author (99700000011): a report, a masked report, advance directives.
    func setUp(_ client: any TestClientProtocol, _ tokens: Tokens) async throws -> (patient: String, author: HTTPFields, holder: HTTPFields) {
        let patientID = try await createPatient(client, tokens)
        let author = try await tokens.bearer(.doctor())
        for body in [DocumentRoutesTests.documentBody(), DocumentRoutesTests.documentBody(labels: Self.label("MASQUE_PS")),
                     DocumentRoutesTests.documentBody(type: "EXPPAT_3")] {
            let pushed = try await DocumentRoutesTests.push(client, author, body)
            #expect(pushed.status == .created, "\(pushed.text)")
        }
        return (patientID, author, try await tokens.bearer(.patient(.fixture())))
    }

    func found(_ client: any TestClientProtocol, _ patientID: String, _ headers: HTTPFields) async throws -> Int? {
        let response = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: headers)
        return response.status == .ok ? response.json["total"] as? Int : nil
    }

    func operation(_ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields, _ body: ByteBuffer = ByteBuffer()) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers + fhirJSON, body: body)
    }

    @Test("unauthorised finds nothing; authorised sees all but masked; the matrix narrows a dentist; agents see no clinical document",
          arguments: TestEngine.available)
    func consentAndMatrix(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let (patientID, author, holder) = try await setUp(client, tokens)
            let physician = try await tokens.bearer(.doctor("99700000022"))
            let dentist = try await tokens.bearer(Self.dentist)
            #expect(try await found(client, patientID, physician) == 0)
            #expect(try await found(client, patientID, author) == 3)

            for rpps in ["99700000022", "99700000040"] {
                let granted = try await operation(client, "/fhir/Patient/\(patientID)/$authorize", holder, Self.professional(rpps))
                #expect(granted.status == .ok, "\(granted.text)")
            }
            #expect(try await found(client, patientID, physician) == 2)
            #expect(try await found(client, patientID, dentist) == 1)
            #expect(try await found(client, patientID, try await tokens.bearer(.agent)) == 0)

            // TD0.2 tells each professional where they stand.
            let ins = INS.fixture()
            let check = try await client.execute(uri: "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)", method: .get, headers: physician)
            let patient = try #require((check.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
            let extensions = patient["extension"] as? [[String: Any]] ?? []
            #expect(extensions.contains { $0["valueCode"] as? String == "authorised" } && extensions.contains { $0["valueBoolean"] as? Bool == false })
            #expect(patient["telecom"] == nil)

            let consents = try await client.execute(uri: "/fhir/Consent?patient=\(patientID)", method: .get, headers: holder)
            #expect(consents.status == .ok && consents.json["total"] as? Int == 4, "\(consents.text)")
            #expect(try await client.execute(uri: "/fhir/Consent?patient=\(patientID)", method: .get, headers: physician).status == .forbidden)

            let hide = ByteBuffer.json(#"{"resourceType": "Parameters", "parameter": [{"name": "hidden", "valueBoolean": true}]}"#)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$hide-documents", holder, hide).status == .ok)
            #expect(try await found(client, patientID, physician) == 0)
            #expect(try await found(client, patientID, author) == 3)
            let show = ByteBuffer.json(#"{"resourceType": "Parameters", "parameter": [{"name": "hidden", "valueBoolean": false}]}"#)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$hide-documents", holder, show).status == .ok)

            let revoked = try await operation(client, "/fhir/Patient/\(patientID)/$revoke", holder, Self.professional("99700000022"))
            #expect(revoked.status == .ok)
            #expect(try await found(client, patientID, physician) == 0)
        }
    }

    @Test("a blocked physician sees nothing even breaking the glass; another physician breaking the glass does, unless the patient opposed it",
          arguments: TestEngine.available)
    func blockingAndEmergency(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let (patientID, _, holder) = try await setUp(client, tokens)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$authorize", holder, Self.professional("99700000022")).status == .ok)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$block", holder, Self.professional("99700000022")).status == .ok)
            let blocked = try await tokens.bearer(.doctor("99700000022"))
            let blockedInEmergency = try await tokens.bearer(.doctor("99700000022", mode: .breakTheGlass, reason: "cardiac arrest"))
            #expect(try await found(client, patientID, blocked) == nil)
            #expect(try await client.execute(uri: "/fhir/Patient/\(patientID)", method: .get, headers: blocked).status == .forbidden)
            let ins = INS.fixture()
            let check = try await client.execute(uri: "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)", method: .get, headers: blocked)
            #expect(check.text.contains(#""valueCode":"blocked""#), "TD0.2 tells a blocked professional so: \(check.text)")
            #expect(try await found(client, patientID, blockedInEmergency) == nil)

            let emergency = try await tokens.bearer(.doctor("99700000033", mode: .breakTheGlass, reason: "unconscious on arrival"))
            #expect(try await found(client, patientID, emergency) == 2)  // never the masked one
            let history = try await client.execute(uri: "/fhir/AuditEvent?patient=\(patientID)&_count=500", method: .get, headers: holder)
            #expect(history.status == .ok, "\(history.text)")
            let events = (history.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            let glassBroken = events.filter { event in
                ((event["purposeOfEvent"] as? [[String: Any]])?.first?["coding"] as? [[String: Any]])?.contains { $0["code"] as? String == "ETREAT" } == true
                    && event["outcome"] as? String == "0"
            }
            #expect(!glassBroken.isEmpty && glassBroken.allSatisfy { ($0["outcomeDesc"] as? String)?.contains("unconscious on arrival") == true })
            let blockedTries = events.filter { ($0["outcomeDesc"] as? String)?.contains("blocked") == true && $0["outcome"] as? String == "4" }
            #expect(blockedTries.count == 3, "the blocked physician's two refused searches and refused read are in the history")
            #expect(try await client.execute(uri: "/fhir/AuditEvent?patient=\(patientID)&date=lt2000-01-01", method: .get, headers: holder)
                .json["total"] as? Int == 0)
            #expect(try await client.execute(uri: "/fhir/AuditEvent?patient=\(patientID)", method: .get, headers: emergency).status == .forbidden)
            let opposed = try await operation(client, "/fhir/Patient/\(patientID)/$emergency-access", holder,
                                              .json(#"{"resourceType": "Parameters", "parameter": [{"name": "breakTheGlass", "valueBoolean": false}]}"#))
            #expect(opposed.status == .ok, "\(opposed.text)")
            let refused = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: emergency)
            #expect(refused.status == .forbidden && refused.diagnostics.contains("break-the-glass"), "\(refused.text)")

            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$unblock", holder, Self.professional("99700000022")).status == .ok)
            #expect(try await found(client, patientID, blocked) == 0)  // unblocking does not restore the authorisation
        }
    }

    @Test("the treating physician reads masked documents; masking and unmasking by the patient; a professional declares consent")
    func treatingPhysicianAndMasking() async throws {
        try await withCarnet { client, tokens in
            let (patientID, _, holder) = try await setUp(client, tokens)
            let physician = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$treating-physician", holder, Self.professional("99700000022")).status == .ok)
            #expect(try await found(client, patientID, physician) == 3)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$treating-physician", holder).status == .ok)
            #expect(try await found(client, patientID, physician) == 0)

            let declared = try await operation(client, "/fhir/Patient/\(patientID)/$authorize", physician)
            #expect(declared.status == .ok, "\(declared.text)")
            #expect(try await found(client, patientID, physician) == 2)

            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&type=11488-4", method: .get, headers: holder)
            let ids = (search.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
            for id in ids {
                let masked = try await operation(client, "/fhir/DocumentReference/\(id)/$mask", holder)
                #expect(masked.status == .ok, "\(masked.text)")
            }
            #expect(try await found(client, patientID, physician) == 1)
            #expect(try await operation(client, "/fhir/DocumentReference/\(ids[0])/$unmask", holder).status == .ok)
            #expect(try await found(client, patientID, physician) == 2)
            // A professional who cannot see a document learns nothing about it by trying to unmask it.
            let stranger = try await tokens.bearer(.doctor("99700000044"))
            #expect(try await operation(client, "/fhir/DocumentReference/\(ids[1])/$unmask", stranger).status == .notFound)
        }
    }

    @Test("'not visible to the patient' until a professional shows it; legal representatives added by an agent act for the minor")
    func patientVisibilityAndRepresentatives() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens, birthDate: "2015-03-01")
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(labels: Self.label("INVISIBLE_PATIENT")))
            let id = try #require(pushed.json["id"] as? String)
            _ = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(labels: Self.label("INVISIBLE_REPRESENTANTS_LEGAUX")))
            #expect(try await found(client, patientID, holder) == 1)
            #expect(try await operation(client, "/fhir/DocumentReference/\(id)/$mask", author).status == .conflict)
            #expect(try await operation(client, "/fhir/DocumentReference/\(id)/$show-to-patient", author).status == .ok)
            #expect(try await found(client, patientID, holder) == 2)

            let parent = INS.fixture(77)
            let add = ByteBuffer.json("""
                {"resourceType": "Parameters", "parameter": [
                  {"name": "patient", "valueIdentifier": {"system": "\(parent.system.uri)", "value": "\(parent.value)"}},
                  {"name": "action", "valueCode": "add"}]}
                """)
            let parentToken = try await tokens.bearer(.patient(parent))
            #expect(try await found(client, patientID, parentToken) == 0)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$legal-representative", holder, add).status == .forbidden)
            let added = try await operation(client, "/fhir/Patient/\(patientID)/$legal-representative", try await tokens.bearer(.agent), add)
            #expect(added.status == .ok, "\(added.text)")
            #expect(try await found(client, patientID, parentToken) == 1)
            #expect(try await client.execute(uri: "/fhir/Consent?patient=\(patientID)", method: .get, headers: parentToken).status == .ok)

            // A secret connection: what the professional adds is hidden from the representatives.
            let secret = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS("99700000011"), profession: .physician)),
                                                       secretConnection: true))
            #expect(try await DocumentRoutesTests.push(client, secret, DocumentRoutesTests.documentBody()).status == .created)
            #expect(try await found(client, patientID, parentToken) == 1)
            #expect(try await found(client, patientID, holder) == 3)
        }
    }

    @Test("representatives of an adult act no more; the patient may oppose feeding")
    func adultsAndFeeding() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)  // born 1985
            let parent = INS.fixture(77)
            let add = ByteBuffer.json("""
                {"resourceType": "Parameters", "parameter": [
                  {"name": "patient", "valueIdentifier": {"system": "\(parent.system.uri)", "value": "\(parent.value)"}},
                  {"name": "action", "valueCode": "add"}]}
                """)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$legal-representative", try await tokens.bearer(.agent), add).status == .ok)
            #expect(try await client.execute(uri: "/fhir/Patient/\(patientID)", method: .get, headers: try await tokens.bearer(.patient(parent))).status
                == .notFound)

            let holder = try await tokens.bearer(.patient(.fixture()))
            let oppose = ByteBuffer.json(#"{"resourceType": "Parameters", "parameter": [{"name": "allowed", "valueBoolean": false}]}"#)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$feeding", holder, oppose).status == .ok)
            let refused = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), DocumentRoutesTests.documentBody())
            #expect(refused.status == .forbidden && refused.diagnostics.contains("feeding"), "\(refused.text)")
            #expect(try await DocumentRoutesTests.push(client, holder, DocumentRoutesTests.documentBody()).status == .created)
        }
    }

    @Test("bad operation input is refused naming the parameter, and changes nothing", arguments: [
        ("$block", #"{"resourceType": "Parameters"}"#, "Parameters.parameter"),
        ("$block", #"{"resourceType": "Parameters", "parameter": [{"name": "professional", "valueIdentifier": {"system": "urn:oid:1.2.3", "value": "899700000022"}}]}"#,
         "Parameters.parameter[0].valueIdentifier.system"),
        ("$authorize", #"{"resourceType": "Parameters", "parameter": [{"name": "professional", "valueIdentifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "99700000022"}}]}"#,
         "Parameters.parameter[0].valueIdentifier.value"),
        ("$emergency-access", #"{"resourceType": "Parameters", "parameter": []}"#, "Parameters.parameter"),
        ("$emergency-access", #"{"resourceType": "Parameters", "parameter": [{"name": "regulation", "valueString": "no"}]}"#,
         "Parameters.parameter[0].valueBoolean"),
        ("$legal-representative", #"{"resourceType": "Parameters", "parameter": [{"name": "patient", "valueIdentifier": {"system": "urn:oid:1.2.250.1.213.1.4.8", "value": "1"}}]}"#,
         "Parameters.parameter[0].valueIdentifier"),
        ("$revoke", #"{"resourceType": "Patient"}"#, "resourceType"),
    ])
    func badInput(_ operation: String, _ body: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let response = try await self.operation(client, "/fhir/Patient/\(patientID)/\(operation)", holder, .json(body))
            #expect(response.status == .badRequest && response.expression == expression, "\(response.text)")
            let consents = try await client.execute(uri: "/fhir/Consent?patient=\(patientID)", method: .get, headers: holder)
            #expect(consents.json["total"] as? Int == 2)  // the two emergency modes, unchanged
        }
    }

    static func relabel(_ code: String, system: String = visibility) -> ByteBuffer {
        .json(#"[{"op": "replace", "path": "/securityLabel/0", "value": {"coding": [{"system": "\#(system)", "code": "\#(code)"}]}}]"#)
    }

    @Test("PDSm TD3.3a/b: JSON Patch of securityLabel by unique id masks, unmasks, hides from and shows to the patient",
          arguments: TestEngine.available)
    func securityLabelPatches(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let physician = try await tokens.bearer(.doctor("99700000022"))
            let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.4242"))
            let id = try #require(pushed.json["id"] as? String)
            #expect(try await operation(client, "/fhir/Patient/\(patientID)/$authorize", holder, Self.professional("99700000022")).status == .ok)
            let byUniqueID = "/fhir/DocumentReference?identifier=urn:ietf:rfc:3986%7Curn:oid:1.2.250.1.999.4242"
            let jsonPatch = DocumentLifecycleTests.jsonPatch

            let masked = try await client.execute(uri: byUniqueID, method: .patch, headers: holder + jsonPatch, body: Self.relabel("MASQUE_PS"))
            #expect(masked.status == .ok, "\(masked.text)")
            #expect(try await found(client, patientID, physician) == 0)
            let refused = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: physician + jsonPatch,
                                                   body: Self.relabel("N", system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"))
            #expect(refused.status == .notFound, "a professional who cannot see it learns nothing")
            let unmasked = try await client.execute(uri: byUniqueID, method: .patch, headers: holder + jsonPatch,
                                                    body: Self.relabel("N", system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"))
            #expect(unmasked.status == .ok, "\(unmasked.text)")
            #expect(try await found(client, patientID, physician) == 1)
            let notTheirs = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: physician + jsonPatch,
                                                     body: Self.relabel("MASQUE_PS"))
            #expect(notTheirs.status == .forbidden, "a reader who is not the author is told why not: \(notTheirs.text)")

            let hidden = try await client.execute(uri: byUniqueID, method: .patch, headers: author + jsonPatch, body: Self.relabel("INVISIBLE_PATIENT"))
            #expect(hidden.status == .ok, "\(hidden.text)")
            #expect(try await found(client, patientID, holder) == 0)
            let shown = try await client.execute(uri: byUniqueID, method: .patch, headers: author + jsonPatch,
                                                 body: Self.relabel("N", system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"))
            #expect(shown.status == .ok)
            #expect(try await found(client, patientID, holder) == 1)

            let badIndex = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: holder + jsonPatch,
                                                    body: .json(#"[{"op": "remove", "path": "/securityLabel/7"}]"#))
            #expect(badIndex.status == .badRequest && badIndex.expression == "JSONPatch[0].path", "\(badIndex.text)")
            let badCode = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: holder + jsonPatch,
                                                   body: Self.relabel("MASQUE"))
            #expect(badCode.status == .unprocessableContent && badCode.expression == "DocumentReference.securityLabel", "\(badCode.text)")
            let unknown = try await client.execute(uri: "/fhir/DocumentReference?identifier=urn:oid:1.2.3", method: .patch,
                                                   headers: holder + jsonPatch, body: Self.relabel("MASQUE_PS"))
            #expect(unknown.status == .notFound)
        }
    }
}
