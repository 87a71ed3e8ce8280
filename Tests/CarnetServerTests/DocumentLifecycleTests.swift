import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Document status changes as DMP software sends them: delete (TD3.3c), archive/unarchive (TD3.3d),
/// entered in error; who may, and what searches show afterwards.
@Suite("Document lifecycle routes")
struct DocumentLifecycleTests {
    static let jsonPatch: HTTPFields = [.contentType: "application/json-patch+json"]

    static func archive(_ flag: Bool) -> ByteBuffer {
        .json(#"[{"op": "add", "path": "/extension/-", "value": {"url": "https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived", "valueBoolean": \#(flag)}}]"#)
    }

    func setUp(_ client: any TestClientProtocol, _ tokens: Tokens) async throws -> (patient: String, document: String, author: HTTPFields) {
        let patientID = try await createPatient(client, tokens)
        let author = try await tokens.bearer(.doctor())
        let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody())
        return (patientID, try #require(pushed.json["id"] as? String), author)
    }

    @Test("archive hides from default searches but keeps readable; unarchive brings it back", arguments: TestEngine.available)
    func archiving(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let (patientID, id, author) = try await setUp(client, tokens)
            let archived = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: author + Self.jsonPatch,
                                                    body: Self.archive(true))
            #expect(archived.status == .ok, "\(archived.text)")
            #expect((archived.json["extension"] as? [[String: Any]])?.first?["valueBoolean"] as? Bool == true)
            let search = "/fhir/DocumentReference?patient=\(patientID)"
            #expect(try await client.execute(uri: search, method: .get, headers: author).json["total"] as? Int == 0)
            #expect(try await client.execute(uri: search + "&status=current", method: .get, headers: author).json["total"] as? Int == 1)
            #expect(try await client.execute(uri: "/fhir/Binary/\(id)", method: .get, headers: author).status == .ok)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let unarchived = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: holder + Self.jsonPatch,
                                                      body: Self.archive(false))
            #expect(unarchived.status == .ok)
            #expect(try await client.execute(uri: search, method: .get, headers: author).json["total"] as? Int == 1)
        }
    }

    @Test("delete by the author: gone from reads and searches; a colleague cannot", arguments: TestEngine.available)
    func deletion(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let (patientID, id, author) = try await setUp(client, tokens)
            let colleague = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .delete, headers: colleague).status == .notFound)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .delete, headers: author).status == .noContent)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: author).status == .notFound)
            #expect(try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: author)
                .json["total"] as? Int == 0)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .delete, headers: author).status == .notFound)
        }
    }

    @Test("entered in error is the author's alone; the holder may delete")
    func enteredInError() async throws {
        try await withCarnet { client, tokens in
            let (_, id, author) = try await setUp(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let withdraw = ByteBuffer.json(#"[{"op": "replace", "path": "/status", "value": "entered-in-error"}]"#)
            let byHolder = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: holder + Self.jsonPatch, body: withdraw)
            #expect(byHolder.status == .forbidden)
            let fhirPath = ByteBuffer.json(#"{"resourceType": "Parameters", "parameter": [{"name": "operation", "part": [{"name": "type", "valueCode": "replace"}, {"name": "path", "valueString": "DocumentReference.status"}, {"name": "value", "valueCode": "entered-in-error"}]}]}"#)
            let byAuthor = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: author + fhirJSON, body: fhirPath)
            #expect(byAuthor.status == .ok && byAuthor.json["status"] as? String == "entered-in-error")
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: holder).status == .notFound)
        }
    }

    @Test("patches that are not status changes are refused whole", arguments: [
        (#"[{"op": "replace", "path": "/status", "value": "superseded"}]"#, "JSONPatch[0].value"),
        (#"[{"op": "remove", "path": "/status"}]"#, "JSONPatch[0].op"),
        (#"[{"op": "replace", "path": "/description", "value": "x"}]"#, "JSONPatch[0].path"),
        (#"[]"#, "JSONPatch"),
        (#"{"op": "replace"}"#, "JSONPatch"),
    ])
    func badPatches(_ body: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            let (_, id, author) = try await setUp(client, tokens)
            let response = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: author + Self.jsonPatch, body: .json(body))
            #expect(response.status == .badRequest && response.expression == expression, "\(response.text)")
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: author).json["meta"]
                .flatMap { ($0 as? [String: Any])?["versionId"] as? String } == "1")
        }
    }
}
