import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// No leaks: a document an actor may not see is absent from every response shape — searches, totals,
/// paging, `_id`, reads, content, history, submission sets, patches, operations — and asking for it
/// by id answers exactly as for an id that does not exist (reference/anchors-fhir.md: `_include`,
/// `_has`, a second query path).
@Suite("Leak suite")
struct LeakTests {
    struct World {
        let patientID: String
        let masked: String
        let hiddenFromPatient: String
        let plain: [String]
        let physician: HTTPFields
        let holder: HTTPFields
    }

    /// The author pushes, in one submission set, a masked document, one not visible to the patient and
    /// three plain ones; the patient authorises another physician.
    func world(_ client: any TestClientProtocol, _ tokens: Tokens) async throws -> World {
        let patientID = try await createPatient(client, tokens)
        let author = try await tokens.bearer(.doctor())
        let ins = INS.fixture()
        var entries = [TransactionRoutesTests.submissionSet(uniqueID: "urn:oid:1.2.250.1.999.77",
                                                            entries: (1...5).map { "urn:uuid:bbbbbbbb-0000-0000-0000-00000000000\($0)" })]
        for index in 1...5 {
            let document = TransactionRoutesTests.document("urn:uuid:bbbbbbbb-0000-0000-0000-00000000000\(index)",
                                                           binary: "urn:uuid:cccccccc-0000-0000-0000-00000000000\(index)", ins: ins,
                                                           uniqueID: "urn:oid:1.2.250.1.999.77.\(index)", content: TransactionRoutesTests.cda1)
            let label = index == 1 ? "MASQUE_PS" : index == 2 ? "INVISIBLE_PATIENT" : nil
            entries.append(label.map {
                document.replacingOccurrences(of: #""code": "N"}]}]"#,
                                              with: #""code": "N"}]}, {"coding": [{"system": "\#(AccessControlRoutesTests.visibility)", "code": "\#($0)"}]}]"#)
            } ?? document)
            entries.append(TransactionRoutesTests.binary("urn:uuid:cccccccc-0000-0000-0000-00000000000\(index)", TransactionRoutesTests.cda1))
        }
        let pushed = try await client.execute(uri: "/fhir", method: .post, headers: author + fhirJSON, body: TransactionRoutesTests.bundle(entries))
        #expect(pushed.status == .ok, "\(pushed.text)")
        let holder = try await tokens.bearer(.patient(ins))
        let physician = try await tokens.bearer(.doctor("99700000022"))
        let granted = try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                               body: AccessControlRoutesTests.professional("99700000022"))
        #expect(granted.status == .ok)
        let all = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: author)
        let resources = (all.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
        func id(_ index: Int) -> String {
            resources.first { ($0["masterIdentifier"] as? [String: Any])?["value"] as? String == "urn:oid:1.2.250.1.999.77.\(index)" }?["id"] as? String ?? ""
        }
        #expect((1...5).allSatisfy { !id($0).isEmpty }, "the author sees all five")
        return World(patientID: patientID, masked: id(1), hiddenFromPatient: id(2), plain: [id(3), id(4), id(5)], physician: physician, holder: holder)
    }

    func ids(_ response: TestResponse) -> [String] {
        (response.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
    }

    @Test("searches, totals, paging and _id never show a hidden document", arguments: TestEngine.available)
    func searches(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await world(client, tokens)
            for (headers, hidden, visibleCount) in [(world.physician, world.masked, 4), (world.holder, world.hiddenFromPatient, 4)] {
                var seen: [String] = []
                var next: String? = "/fhir/DocumentReference?patient=\(world.patientID)&_count=1"
                while let uri = next {
                    let page = try await client.execute(uri: uri, method: .get, headers: headers)
                    #expect(page.json["total"] as? Int == visibleCount && !page.text.contains(hidden))
                    seen += ids(page)
                    next = (page.json["link"] as? [[String: Any]])?.first { $0["relation"] as? String == "next" }?["url"] as? String
                    next = next.map { $0.replacingOccurrences(of: "http://carnet.test", with: "") }
                }
                #expect(seen.count == visibleCount && !seen.contains(hidden))
                let byID = try await client.execute(uri: "/fhir/DocumentReference?_id=\(hidden),\(world.plain[0])", method: .get, headers: headers)
                #expect(ids(byID) == [world.plain[0]] && byID.json["total"] as? Int == 1)
                let byType = try await client.execute(uri: "/fhir/DocumentReference?patient=\(world.patientID)&type=11488-4&status=current,superseded,entered-in-error",
                                                      method: .get, headers: headers)
                #expect(!byType.text.contains(hidden) && byType.json["total"] as? Int == visibleCount)
                let sets = try await client.execute(uri: "/fhir/List?patient=\(world.patientID)", method: .get, headers: headers)
                #expect(sets.json["total"] as? Int == 1 && !sets.text.contains(hidden) && sets.text.contains(world.plain[0]))
            }
        }
    }

    @Test("every way to name a hidden document answers exactly as a missing one", arguments: TestEngine.available)
    func directAccess(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await world(client, tokens)
            let missing = UUID().uuidString.lowercased()
            let jsonPatch = DocumentLifecycleTests.jsonPatch
            let archive = DocumentLifecycleTests.archive(true)
            for (headers, hidden) in [(world.physician, world.masked), (world.holder, world.hiddenFromPatient)] {
                let shapes: [(String, HTTPRequest.Method, HTTPFields, ByteBuffer)] = [
                    ("/fhir/DocumentReference/%@", .get, [:], ByteBuffer()),
                    ("/fhir/Binary/%@", .get, [:], ByteBuffer()),
                    ("/fhir/DocumentReference/%@/_history", .get, [:], ByteBuffer()),
                    ("/fhir/DocumentReference/%@/_history/1", .get, [:], ByteBuffer()),
                    ("/fhir/DocumentReference/%@", .patch, jsonPatch, archive),
                    ("/fhir/DocumentReference/%@", .patch, jsonPatch, AccessControlRoutesTests.relabel("MASQUE_PS")),
                    ("/fhir/DocumentReference/%@", .delete, [:], ByteBuffer()),
                    ("/fhir/DocumentReference/%@/$unmask", .post, fhirJSON, ByteBuffer()),
                    ("/fhir/DocumentReference/%@/$show-to-patient", .post, fhirJSON, ByteBuffer()),
                ]
                for (template, method, extra, body) in shapes {
                    let forHidden = try await client.execute(uri: template.replacingOccurrences(of: "%@", with: hidden), method: method,
                                                             headers: headers + extra, body: body)
                    let forMissing = try await client.execute(uri: template.replacingOccurrences(of: "%@", with: missing), method: method,
                                                              headers: headers + extra, body: body)
                    #expect(forHidden.status == .notFound && forHidden.status == forMissing.status && forHidden.diagnostics == forMissing.diagnostics,
                            "\(method) \(template): \(forHidden.status) \(forHidden.text)")
                    #expect(!forHidden.text.contains(hidden))
                }
            }
            let conditional = try await client.execute(uri: "/fhir/DocumentReference?identifier=urn:oid:1.2.250.1.999.77.1", method: .patch,
                                                       headers: world.physician + jsonPatch, body: AccessControlRoutesTests.relabel("MASQUE_PS"))
            #expect(conditional.status == .notFound)
        }
    }

    @Test("parameters that would widen a search or reach across resources are refused, not ignored", arguments: [
        "_include=DocumentReference:subject", "_revinclude=Provenance:target", "_has:AuditEvent:entity:agent=x", "_elements=id",
        "_summary=data", "_contained=true", "_filter=status eq current", "subject:Patient.identifier=x",
    ])
    func wideningParameters(_ parameter: String) async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let physician = try await tokens.bearer(.doctor("99700000022"))
            let query = parameter.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? parameter
            for resource in ["DocumentReference", "List", "AuditEvent", "Consent"] {
                let response = try await client.execute(uri: "/fhir/\(resource)?patient=\(patientID)&\(query)", method: .get, headers: physician)
                #expect(response.status == .badRequest, "\(resource)?\(parameter): \(response.status)")
            }
        }
    }

    @Test("the history and the consents are the patient's: professionals are refused them")
    func patientOnlyViews() async throws {
        try await withCarnet { client, tokens in
            let world = try await world(client, tokens)
            for uri in ["/fhir/AuditEvent?patient=\(world.patientID)", "/fhir/Consent?patient=\(world.patientID)"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: world.physician).status == .forbidden)
                #expect(try await client.execute(uri: uri, method: .get, headers: world.holder).status == .ok)
            }
        }
    }
}
