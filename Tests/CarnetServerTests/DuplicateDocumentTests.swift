import CarnetCore
import CarnetFHIR
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 18, "duplicates folded", through the router on both engines: an exact re-push is answered with
/// what is stored (200, its location; no second copy), and the same content from different submissions
/// is one search entry listing the others (extension `duplicate-submission`), totals and pages counting
/// it once.
@Suite("Duplicate documents")
struct DuplicateDocumentTests {
    static let content = "Compte rendu (synthétique) envoyé deux fois."

    /// A DocumentReference with `content`, without a unique id unless `uniqueID` is given.
    static func body(_ content: String = content, uniqueID: String? = nil, labels: String = "", extra: String = "") -> ByteBuffer {
        let text = String(buffer: DocumentRoutesTests.documentBody(uniqueID: uniqueID ?? "1.2.250.1.999.0", content: content, labels: labels, extra: extra))
        guard uniqueID == nil else { return ByteBuffer(string: text) }
        return ByteBuffer(string: text.replacingOccurrences(of: #""masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.2.250.1.999.0"},"#, with: ""))
    }

    static func resources(_ bundle: TestResponse) -> [[String: Any]] {
        (bundle.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
    }

    /// The ids a search entry lists as folded into it.
    static func folded(_ resource: [String: Any]) -> [String] {
        (resource["extension"] as? [[String: Any]] ?? []).filter { $0["url"] as? String == DocumentReferenceResource.duplicateSubmissionExtension }
            .compactMap { duplicate in
                (duplicate["extension"] as? [[String: Any]])?.first { $0["url"] as? String == "document" }
                    .flatMap { ($0["valueReference"] as? [String: Any])?["reference"] as? String }
                    .map { String($0.dropFirst("DocumentReference/".count)) }
            }
    }

    @Test("an exact re-push is answered 200 with the document stored the first time, and stored once", arguments: TestEngine.available)
    func exactRePush(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let first = try await DocumentRoutesTests.push(client, doctor, Self.body())
            #expect(first.status == .created, "\(first.text)")
            let again = try await DocumentRoutesTests.push(client, doctor, Self.body())
            #expect(again.status == .ok, "answered as it stands, as a conditional create that matched")
            #expect(again.json["id"] as? String == first.json["id"] as? String)
            #expect(again.headers[.location] == first.headers[.location] && again.headers[.location] != nil)
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 1 && Self.folded(Self.resources(search)[0]).isEmpty, "no second copy")
            // Other metadata that matter make it a new document: another type, another visibility.
            let masked = try await DocumentRoutesTests.push(client, doctor, Self.body(labels: #"{"coding": [{"system": "\#(AccessControlRoutesTests.visibility)", "code": "MASQUE_PS"}]}"#))
            #expect(masked.status == .created && masked.json["id"] as? String != first.json["id"] as? String)
        }
    }

    @Test("an ITI-65 submission sent again whose documents name no unique id is answered with what it stored", arguments: TestEngine.available)
    func transactionRePush(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let bundle = TransactionRoutesTests.twoDocuments(setID: "urn:oid:1.2.250.1.999.18.5")
            let first = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: bundle)
            #expect(first.status == .ok, "\(first.text)")
            let again = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: bundle)
            #expect(again.status == .ok, "\(again.text)")
            func responses(_ answer: TestResponse) -> [(String?, String?)] {
                (answer.json["entry"] as? [[String: Any]] ?? []).map { entry in
                    let response = entry["response"] as? [String: Any]
                    return (response?["status"] as? String, response?["location"] as? String)
                }
            }
            #expect(responses(first).map(\.0) == ["201 Created", "201 Created", "201 Created", "201 Created", "201 Created"])
            #expect(responses(again).map(\.0) == ["200 OK", "200 OK", "200 OK", "200 OK", "200 OK"], "the second document has no unique id, recognised by its bytes")
            #expect(responses(again).map(\.1) == responses(first).map(\.1), "the same locations")
        }
    }

    @Test("the same content from another professional is kept, and shown once listing the other submission", arguments: TestEngine.available)
    func foldedAcrossSubmitters(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let lab = try await tokens.bearer(.doctor())
            let physician = try await tokens.bearer(.doctor("99700000022"))
            let first = try await DocumentRoutesTests.push(client, lab, Self.body(uniqueID: "1.2.250.1.999.18.1"))
            let second = try await DocumentRoutesTests.push(client, physician, Self.body(uniqueID: "1.2.250.1.999.18.2"))
            let other = try await DocumentRoutesTests.push(client, physician, Self.body("Autre compte rendu (synthétique).", uniqueID: "1.2.250.1.999.18.3"))
            #expect(first.status == .created && second.status == .created && other.status == .created, "a new submission is stored")
            let ids = [first, second].compactMap { $0.json["id"] as? String }
            let holder = try await tokens.bearer(.patient(.fixture()))
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: holder)
            #expect(search.json["total"] as? Int == 2, "two documents, not three")
            let shown = Self.resources(search).first { ids.contains($0["id"] as? String ?? "") }
            let kept = try #require(shown?["id"] as? String)
            #expect(Self.folded(try #require(shown)) == ids.filter { $0 != kept }, "the other submission listed on the one shown")
            let extensions = try #require(shown?["extension"] as? [[String: Any]])
            #expect((extensions[0]["extension"] as? [[String: Any]])?.contains { $0["url"] as? String == "recorded" && $0["valueDateTime"] is String } == true)
            // Paging and totals are of the folded list, decided before paging.
            let page = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&_count=1", method: .get, headers: holder)
            #expect(page.json["total"] as? Int == 2 && Self.resources(page).count == 1)
            let count = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&_summary=count", method: .get, headers: holder)
            #expect(count.json["total"] as? Int == 2)
            let byIDs = try await client.execute(uri: "/fhir/DocumentReference?_id=\(ids.joined(separator: ","))", method: .get, headers: holder)
            #expect(byIDs.json["total"] as? Int == 1, "asked for both, shown once")
            for id in ids {
                #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: holder).status == .ok, "each copy stays readable")
            }
        }
    }

    @Test("a replacement with the same bytes is a new version, not a re-push", arguments: TestEngine.available)
    func replacementIsNoDuplicate(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let first = try await DocumentRoutesTests.push(client, doctor, Self.body())
            let firstID = try #require(first.json["id"] as? String)
            let replacing = try await DocumentRoutesTests.push(client, doctor, Self.body(
                extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#(firstID)"}}],"#))
            #expect(replacing.status == .created, "\(replacing.text)")
            #expect(replacing.json["id"] as? String != firstID)
            let old = try await client.execute(uri: "/fhir/DocumentReference/\(firstID)", method: .get, headers: doctor)
            #expect(old.json["status"] as? String == "superseded")
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&status=current,superseded", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 2, "two versions of one document, never folded: only current documents fold")
        }
    }
}
