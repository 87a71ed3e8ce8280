import CarnetCore
@testable import CarnetServer
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

    @Test("summary searches take _count, _offset, _sort and _id (fhirpy's first(), get() and sort()); paging follows next links to the end",
          arguments: TestEngine.available)
    func summaryPaging(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            var ids: [String] = []
            for onset in ["2019-03", "2021-07-14", "2020-01"] {
                let created = try await SummaryRoutesTests.post(client, holder, "Condition",
                                                                SummaryRoutesTests.condition(patient).replacingOccurrences(of: "2019-03", with: onset))
                ids.append(try #require(created.json["id"] as? String))
            }
            func order(_ sort: String) async throws -> [String] {
                let response = try await client.execute(uri: "/fhir/Condition?patient=\(patient)&_sort=\(sort)", method: .get, headers: holder)
                return (response.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
            }
            #expect(try await order("-date") == [ids[1], ids[2], ids[0]])  // fhirpy's sort('-date')
            #expect(try await order("date") == [ids[0], ids[2], ids[1]])
            var seen: [String] = []
            var next: String? = "/fhir/Condition?patient=\(patient)&_count=2"
            while let uri = next {
                let page = try await client.execute(uri: uri, method: .get, headers: holder)
                #expect(page.status == .ok && page.json["total"] as? Int == 3, "\(page.text)")
                seen += (page.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
                next = (page.json["link"] as? [[String: Any]] ?? []).first { $0["relation"] as? String == "next" }
                    .flatMap { $0["url"] as? String }.map { "/fhir" + $0.components(separatedBy: "/fhir").dropFirst().joined(separator: "/fhir") }
                #expect(seen.count <= 3, "paging does not end")
                if seen.count > 3 { break }
            }
            #expect(Set(seen) == Set(ids) && seen.count == 3)
            let byID = try await client.execute(uri: "/fhir/Condition?patient=\(patient)&_id=\(ids[1]),example", method: .get, headers: holder)
            #expect((byID.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String } == [ids[1]])
            let invalid = try await client.execute(uri: "/fhir/Condition?patient=\(patient)&_id=a%20b", method: .get, headers: holder)
            #expect(invalid.status == .badRequest && invalid.expression == "_id")
            // If-None-Exist by _id names that item alone.
            var conditional = holder + fhirJSON
            conditional[.ifNoneExist] = "_id=\(ids[2])"
            let matched = try await client.execute(uri: "/fhir/Condition", method: .post, headers: conditional,
                                                   body: ByteBuffer(string: SummaryRoutesTests.condition(patient)))
            #expect(matched.status == .ok && matched.json["id"] as? String == ids[2], "\(matched.text)")
        }
    }

    @Test("_count=0 answers the total with no next link on every paged search: a link to the same empty page would never end a client's paging",
          arguments: TestEngine.available)
    func countZero(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            _ = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), DocumentRoutesTests.documentBody())
            _ = try await SummaryRoutesTests.post(client, holder, "Condition", SummaryRoutesTests.condition(patient))
            for uri in ["DocumentReference?patient=\(patient)&", "AuditEvent?patient=\(patient)&", "Condition?patient=\(patient)&",
                        "List?patient=\(patient)&code=submissionset&", "ExplanationOfBenefit?patient=\(patient)&", "Patient/\(patient)/$everything?"]
                .map({ "/fhir/\($0)_count=0" }) {
                let response = try await client.execute(uri: uri, method: .get, headers: holder)
                #expect(response.status == .ok, "\(uri): \(response.text)")
                let relations = (response.json["link"] as? [[String: Any]] ?? []).compactMap { $0["relation"] as? String }
                #expect(relations == ["self"], "\(uri): \(relations)")
                #expect(response.json["entry"] == nil, "\(uri)")
            }
        }
    }
}
