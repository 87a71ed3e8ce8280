import CarnetCore
import CarnetFHIR
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// "New since your last access" over FHIR (issue 18): entries added or replaced since the reader's
/// last successful read of the record carry an extension, and `new-since-last-access=true` asks only
/// for them — decided in the database, so totals stay exact.
@Suite("New since last access")
struct NewSinceLastAccessTests {
    /// The ids of the entries marked new, and of all entries.
    static func marked(_ response: TestResponse) -> (new: Set<String>, all: [String]) {
        let entries = response.json["entry"] as? [[String: Any]] ?? []
        var new: Set<String> = []
        var all: [String] = []
        for entry in entries {
            guard let id = (entry["resource"] as? [String: Any])?["id"] as? String else { continue }
            all.append(id)
            let extensions = entry["extension"] as? [[String: Any]] ?? []
            if extensions.contains(where: { $0["url"] as? String == NewSinceLastAccess.url && $0["valueBoolean"] as? Bool == true }) { new.insert(id) }
        }
        return (new, all)
    }

    /// A pause longer than the stores' millisecond precision, so "before" and "after" are apart.
    static func tick() async throws { try await Task.sleep(for: .milliseconds(15)) }

    @Test("a professional's searches mark what came since their last read; the filter returns only that, counted exactly",
          arguments: TestEngine.available)
    func professional(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let reader = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                             body: AccessControlRoutesTests.professional("99700000022")).status == .ok)
            let old = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            try await Self.tick()

            let first = Self.marked(try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: reader))
            #expect(first.all == [old] && first.new == [old], "a first access: everything is new")
            try await Self.tick()
            let fresh = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            try await Self.tick()

            let filtered = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&new-since-last-access=true",
                                                    method: .get, headers: reader)
            #expect(filtered.json["total"] as? Int == 1 && Self.marked(filtered).all == [fresh] && Self.marked(filtered).new == [fresh])
            let since = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: reader)
            #expect(Set(Self.marked(since).all) == [old, fresh] && Self.marked(since).new.isEmpty, "the filtered search was an access too")
            let counted = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&new-since-last-access=true&_summary=count",
                                                   method: .get, headers: reader)
            #expect(counted.json["total"] as? Int == 0)

            try await Self.tick()
            let third = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            try await Self.tick()
            let everything = try await client.execute(uri: "/fhir/Patient/\(patientID)/$everything", method: .get, headers: reader)
            #expect(everything.status == .ok && Self.marked(everything).new == [third], "\(everything.text.prefix(400))")
            let summary = try await client.execute(uri: "/fhir/Patient/\(patientID)/$summary", method: .get, headers: reader)
            #expect(summary.status == .ok && !summary.text.contains(NewSinceLastAccess.url), "nothing new since $everything")
            // Someone else's reads are not this reader's: the author's own last access is their own.
            let authorView = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&new-since-last-access=true",
                                                      method: .get, headers: author)
            #expect(authorView.json["total"] as? Int == 3, "the author never read the record: everything is new to them")
        }
    }

    @Test("the patient's previous sign-in is their baseline; with none, everything is new", arguments: TestEngine.available)
    func patient(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            _ = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody())
            let answer = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&new-since-last-access=true",
                                                  method: .get, headers: holder)
            #expect(answer.json["total"] as? Int == 1 && Self.marked(answer).new.count == 1)
        }
    }
}
