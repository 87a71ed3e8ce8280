import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Documents over MHD through the real router: push, find, retrieve, replace; bad input; who sees what.
@Suite("Document routes")
struct DocumentRoutesTests {
    /// A DocumentReference with inline content, as an MHD client pushes it.
    static func documentBody(_ ins: INS = .fixture(), uniqueID: String = "1.2.250.1.999.\(Int.random(in: 1...9_999_999))",
                             type: String = "11488-4", date: String = "2026-03-10T09:30:00+01:00", content: String? = nil,
                             contentType: String = "text/plain", labels: String = "", extra: String = "", hash: String? = nil) -> ByteBuffer {
        // Each document's own words unless told: the same bytes in two pushes are one document folded in searches (issue 18).
        let data = Data((content ?? "Synthetic report \(uniqueID): nothing real.").utf8).base64EncodedString()
        return .json("""
        {"resourceType": "DocumentReference", \(extra)
         "masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": "urn:oid:\(uniqueID)"},
         "status": "current",
         "type": {"coding": [{"system": "http://loinc.org", "code": "\(type)"}]},
         "category": [{"coding": [{"system": "urn:oid:1.2.250.1.213.1.1.4.1", "code": "10"}]}],
         "subject": {"reference": "Patient?identifier=\(ins.system.uri)|\(ins.value)"},
         "date": "\(date)",
         "author": [{"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}, "display": "Dr Test"}],
         "description": "Compte rendu (synthetic)",
         "securityLabel": [\(labels)],
         "content": [{"attachment": {"contentType": "\(contentType)", "language": "fr-FR", "data": "\(data)"\(hash.map { #", "hash": "\#($0)""# } ?? "")}}],
         "context": {"practiceSetting": {"coding": [{"code": "GENE"}]}}}
        """)
    }

    static func push(_ client: any TestClientProtocol, _ headers: HTTPFields, _ body: ByteBuffer) async throws -> TestResponse {
        try await client.execute(uri: "/fhir/DocumentReference", method: .post, headers: headers + fhirJSON, body: body)
    }

    static func ids(_ bundle: TestResponse) -> [String] {
        (bundle.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
    }

    @Test("push two documents, find them by type and date, retrieve identical bytes, replace one", arguments: TestEngine.available)
    func mhdRoundTrip(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let report = "Compte rendu de consultation — synthétique, é à ü."
            let first = try await Self.push(client, doctor, Self.documentBody(type: "11488-4", date: "2026-03-10", content: report))
            #expect(first.status == .created, "\(first.text)")
            let firstID = try #require(first.json["id"] as? String)
            #expect(first.headers[.location] == "http://carnet.test/fhir/DocumentReference/\(firstID)/_history/1")
            let lab = try await Self.push(client, doctor, Self.documentBody(type: "11502-2", date: "2026-04-02T08:00:00Z"))
            #expect(lab.status == .created)
            let labID = try #require(lab.json["id"] as? String)

            let all = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(all.json["total"] as? Int == 2)
            #expect(Self.ids(all) == [labID, firstID])  // newest first
            let byType = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&type=http://loinc.org%7C11502-2",
                                                  method: .get, headers: doctor)
            #expect(Self.ids(byType) == [labID])
            let byDate = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&date=ge2026-03-01&date=lt2026-04",
                                                  method: .get, headers: doctor)
            #expect(Self.ids(byDate) == [firstID])
            let ins = INS.fixture()
            let byINS = try await client.execute(uri: "/fhir/DocumentReference?patient.identifier=\(ins.system.uri)%7C\(ins.value)&setting=GENE",
                                                 method: .get, headers: doctor)
            #expect(byINS.json["total"] as? Int == 2)

            let attachment = try #require(((first.json["content"] as? [[String: Any]])?.first?["attachment"]) as? [String: Any])
            #expect(attachment["url"] as? String == "http://carnet.test/fhir/Binary/\(firstID)")
            #expect(attachment["hash"] as? String == sha1Base64(Data(report.utf8)))
            let bytes = try await client.execute(uri: "/fhir/Binary/\(firstID)", method: .get, headers: doctor)
            #expect(bytes.status == .ok && bytes.headers[.contentType] == "text/plain")
            #expect(Data(bytes.body.readableBytesView) == Data(report.utf8))
            let binary = try await client.execute(uri: "/fhir/Binary/\(firstID)", method: .get, headers: doctor + [.accept: "application/fhir+json"])
            #expect(binary.json["resourceType"] as? String == "Binary")
            #expect(binary.json["data"] as? String == Data(report.utf8).base64EncodedString())

            let replacement = try await Self.push(client, doctor, Self.documentBody(
                date: "2026-03-11", content: "Corrected synthetic report.",
                extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#(firstID)"}}],"#))
            #expect(replacement.status == .created, "\(replacement.text)")
            let replacementID = try #require(replacement.json["id"] as? String)
            let current = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(Set(Self.ids(current)) == [labID, replacementID])
            let old = try await client.execute(uri: "/fhir/DocumentReference/\(firstID)", method: .get, headers: doctor)
            #expect(old.status == .ok && old.json["status"] as? String == "superseded")
            let superseded = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&status=superseded",
                                                      method: .get, headers: doctor)
            #expect(Self.ids(superseded) == [firstID])
            let again = try await Self.push(client, doctor, Self.documentBody(
                extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#(firstID)"}}],"#))
            #expect(again.status == .conflict)
        }
    }

    @Test("bad documents are refused naming the field, and store nothing", arguments: [
        (documentBody(uniqueID: "").replacing("urn:oid:\"", with: "\""), "DocumentReference.masterIdentifier.value"),
        (documentBody().replacing("\"subject\"", with: "\"x\""), "DocumentReference.subject"),
        (documentBody(type: ""), "DocumentReference.type"),
        (documentBody(contentType: "application/x-msdownload"), "DocumentReference.content[0].attachment.contentType"),
        (documentBody(contentType: "application/pdf"), "DocumentReference.content[0].attachment.data"),
        (documentBody(content: #"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"#, contentType: "text/xml"),
         "DocumentReference.content[0].attachment.data"),
        (documentBody(hash: "AAAAAAAAAAAAAAAAAAAAAAAAAAA="), "DocumentReference.content[0].attachment.hash"),
        (documentBody(date: "10/03/2026"), "DocumentReference.date"),
        (documentBody(labels: #"{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument", "code": "MASQUE_PS"}]}, {"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument", "code": "INVISIBLE_PATIENT"}]}"#),
         "DocumentReference.securityLabel"),
        (documentBody(extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/x"}}],"#), "DocumentReference.relatesTo[0].target"),
        (documentBody().replacing("Patient?identifier=", with: "Group?identifier="), "DocumentReference.subject.reference"),
    ])
    func badDocuments(_ body: ByteBuffer, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let response = try await Self.push(client, doctor, body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.expression == expression, "\(response.diagnostics)")
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 0)
        }
    }

    @Test("a declared charset is part of the content: kept and served back with the bytes")
    func charset() async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let pushed = try await Self.push(client, doctor, Self.documentBody(contentType: "text/plain; charset=ISO-8859-1"))
            let id = try #require(pushed.json["id"] as? String, "\(pushed.text)")
            let bytes = try await client.execute(uri: "/fhir/Binary/\(id)", method: .get, headers: doctor)
            #expect(bytes.headers[.contentType] == "text/plain; charset=ISO-8859-1")
        }
    }

    @Test("content over the limit is a 413; a duplicate unique id a 409; an unknown or closed record is refused")
    func refusedPushes() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let large = try await Self.push(client, doctor, Self.documentBody(content: String(repeating: "x", count: 40 * 1024)))
            #expect(large.status == .contentTooLarge)
            _ = try await Self.push(client, doctor, Self.documentBody(uniqueID: "1.2.3.99"))
            let duplicate = try await Self.push(client, doctor, Self.documentBody(uniqueID: "1.2.3.99", content: "Other synthetic content."))
            #expect(duplicate.status == .conflict && duplicate.issue["code"] as? String == "duplicate")
            let unknown = try await Self.push(client, doctor, Self.documentBody(.fixture(55)))
            #expect(unknown.status == .notFound)
            _ = try await client.execute(uri: "/fhir/Patient/\(patientID)/$close", method: .post, headers: try await tokens.bearer(.agent))
            let closed = try await Self.push(client, doctor, Self.documentBody())
            #expect(closed.status == .forbidden)
        }
    }

    @Test("who sees a document: author, holder, emergency; never masked ones, never agents; others find nothing")
    func visibility() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let masked = #"{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument", "code": "MASQUE_PS"}]}"#
            let plainID = try #require(try await Self.push(client, author, Self.documentBody()).json["id"] as? String)
            let maskedID = try #require(try await Self.push(client, author, Self.documentBody(labels: masked)).json["id"] as? String)
            let search = "/fhir/DocumentReference?patient=\(patientID)"

            let holder = try await tokens.bearer(.patient(.fixture()))
            #expect(Set(Self.ids(try await client.execute(uri: search, method: .get, headers: holder))) == [plainID, maskedID])
            #expect(Set(Self.ids(try await client.execute(uri: search, method: .get, headers: author))) == [plainID, maskedID])

            let colleague = try await tokens.bearer(.doctor("99700000099"))
            let nothing = try await client.execute(uri: search, method: .get, headers: colleague)
            #expect(nothing.status == .ok && nothing.json["total"] as? Int == 0)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(plainID)", method: .get, headers: colleague).status == .notFound)
            #expect(try await client.execute(uri: "/fhir/Binary/\(plainID)", method: .get, headers: colleague).status == .notFound)

            let emergency = try await tokens.bearer(.doctor("99700000098", mode: .breakTheGlass, reason: "unconscious"))
            let found = try await client.execute(uri: search, method: .get, headers: emergency)
            #expect(Self.ids(found) == [plainID] && found.json["total"] as? Int == 1)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(maskedID)", method: .get, headers: emergency).status == .notFound)

            let agent = try await tokens.bearer(.agent)
            #expect(try await client.execute(uri: search, method: .get, headers: agent).json["total"] as? Int == 0)
            #expect(try await client.execute(uri: "/fhir/Binary/\(plainID)", method: .get, headers: agent).status == .notFound)
            let agentPush = try await Self.push(client, agent, Self.documentBody())
            #expect(agentPush.status == .notFound || agentPush.status == .forbidden)
        }
    }

    @Test("paging: _count gives pages with a next link and the full total")
    func paging() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            for day in 1...5 { _ = try await Self.push(client, doctor, Self.documentBody(date: "2026-01-0\(day)")) }
            let page = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&_count=2", method: .get, headers: doctor)
            #expect(page.json["total"] as? Int == 5 && Self.ids(page).count == 2)
            let next = try #require((page.json["link"] as? [[String: Any]])?.first { $0["relation"] as? String == "next" }?["url"] as? String)
            let path = String(next.dropFirst("http://carnet.test".count))
            let second = try await client.execute(uri: path, method: .get, headers: doctor)
            #expect(Self.ids(second).count == 2 && Set(Self.ids(second)).isDisjoint(with: Self.ids(page)))
        }
    }

    @Test("searches must name a patient and use supported parameters", arguments: [
        ("/fhir/DocumentReference", "patient"), ("/fhir/DocumentReference?patient=x", "patient"),
        ("/fhir/DocumentReference?patient=6f1c1a8e-1111-4c2d-9a43-123456789abc&class=10", "class"),
        ("/fhir/DocumentReference?patient=6f1c1a8e-1111-4c2d-9a43-123456789abc&date=yesterday", "date"),
        ("/fhir/DocumentReference?patient=6f1c1a8e-1111-4c2d-9a43-123456789abc&status=draft", "status"),
        ("/fhir/DocumentReference?patient=6f1c1a8e-1111-4c2d-9a43-123456789abc&_count=-1", "_count"),
    ])
    func badSearches(_ uri: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            let response = try await client.execute(uri: uri, method: .get, headers: try await tokens.bearer(.doctor()))
            #expect(response.status == .badRequest)
            #expect(response.expression == expression)
        }
    }
}

extension ByteBuffer {
    func replacing(_ target: String, with replacement: String) -> ByteBuffer {
        ByteBuffer(string: String(buffer: self).replacingOccurrences(of: target, with: replacement))
    }
}
