import CarnetCore
import CarnetFHIR
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The leak suite on what issue 18 added: a hidden document's words never find it through `_content`
/// or `_text`, not even as a count, and the new-since marks and filter never show or count it.
extension LeakTests {
    struct WordsWorld {
        let patientID: String
        let masked: String
        let hiddenFromPatient: String
        let plain: String
        let author: HTTPFields
        let physician: HTTPFields
        let holder: HTTPFields
    }

    /// The author pushes a masked document saying "zéphyrine", one not visible to the patient saying
    /// "xylophone" and a plain one saying "banal"; the patient authorises another physician.
    func wordsWorld(_ client: any TestClientProtocol, _ tokens: Tokens) async throws -> WordsWorld {
        let patientID = try await createPatient(client, tokens)
        let author = try await tokens.bearer(.doctor())
        func push(_ words: String, label: String?) async throws -> String {
            let body = DocumentRoutesTests.documentBody(content: "\(words) (synthetique)", labels: label.map(AccessControlRoutesTests.label) ?? "")
            let pushed = try await DocumentRoutesTests.push(client, author, body)
            #expect(pushed.status == .created, "\(pushed.text)")
            return try #require(pushed.json["id"] as? String)
        }
        let masked = try await push("Zéphyrine banal", label: "MASQUE_PS")
        let hidden = try await push("Xylophone banal", label: "INVISIBLE_PATIENT")
        let plain = try await push("Banal", label: nil)
        let holder = try await tokens.bearer(.patient(.fixture()))
        #expect(try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                         body: AccessControlRoutesTests.professional("99700000022")).status == .ok)
        return WordsWorld(patientID: patientID, masked: masked, hiddenFromPatient: hidden, plain: plain, author: author,
                          physician: try await tokens.bearer(.doctor("99700000022")), holder: holder)
    }

    @Test("a hidden document's words never find it, not even as a count, by GET or POST _search", arguments: TestEngine.available)
    func contentSearch(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await wordsWorld(client, tokens)
            #expect(try await DocumentContentSearchTests.search(client, world.author, world.patientID, "_content=zephyrine").json["total"] as? Int == 1,
                    "the author finds their masked document")
            for (headers, hidden, word, visible) in [(world.physician, world.masked, "zephyrine", 2), (world.holder, world.hiddenFromPatient, "xylophone", 2)] {
                for name in ["_content", "_text"] {
                    let search = try await DocumentContentSearchTests.search(client, headers, world.patientID, "\(name)=\(word)")
                    #expect(search.status == .ok && search.json["total"] as? Int == 0 && search.json["entry"] == nil && !search.text.contains(hidden))
                    let count = try await DocumentContentSearchTests.search(client, headers, world.patientID, "\(name)=\(word)&_summary=count")
                    #expect(count.json["total"] as? Int == 0)
                    let posted = try await client.execute(uri: "/fhir/DocumentReference/_search", method: .post,
                                                          headers: headers + [.contentType: "application/x-www-form-urlencoded"],
                                                          body: ByteBuffer(string: "patient=\(world.patientID)&\(name)=\(word)"))
                    #expect(posted.json["total"] as? Int == 0 && !posted.text.contains(hidden))
                }
                let shared = try await DocumentContentSearchTests.search(client, headers, world.patientID, "_content=banal")
                #expect(shared.json["total"] as? Int == visible && !shared.text.contains(hidden))
                let paged = try await DocumentContentSearchTests.search(client, headers, world.patientID, "_content=banal&_count=1")
                #expect(paged.json["total"] as? Int == visible && !paged.text.contains(hidden))
            }
        }
    }

    @Test("the new-since marks and filter never show or count a hidden document", arguments: TestEngine.available)
    func newSinceMarks(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await wordsWorld(client, tokens)
            for (headers, hidden) in [(world.physician, world.masked), (world.holder, world.hiddenFromPatient)] {
                let filtered = try await DocumentContentSearchTests.search(client, headers, world.patientID, "new-since-last-access=true")
                #expect(filtered.json["total"] as? Int == 2 && !filtered.text.contains(hidden), "a first access: what they may see, only")
            }
            // After the physician's access, the author adds one more masked document: nothing new for the physician.
            try await NewSinceLastAccessTests.tick()
            let body = DocumentRoutesTests.documentBody(content: "Zéphyrine encore", labels: AccessControlRoutesTests.label("MASQUE_PS"))
            let later = try #require(try await DocumentRoutesTests.push(client, world.author, body).json["id"] as? String)
            try await NewSinceLastAccessTests.tick()
            for parameters in ["new-since-last-access=true", "new-since-last-access=true&_summary=count", "new-since-last-access=true&_content=zephyrine"] {
                let search = try await DocumentContentSearchTests.search(client, world.physician, world.patientID, parameters)
                #expect(search.json["total"] as? Int == 0 && !search.text.contains(later) && !search.text.contains(world.masked), "\(parameters)")
            }
            for path in ["$everything", "$summary"] {
                let answer = try await client.execute(uri: "/fhir/Patient/\(world.patientID)/\(path)", method: .get, headers: world.physician)
                #expect(answer.status == .ok && !answer.text.contains(later) && !answer.text.contains(world.masked))
                #expect(!answer.text.contains(NewSinceLastAccess.url), "\(path): nothing the physician may see is new")
            }
            let holderView = try await client.execute(uri: "/fhir/Patient/\(world.patientID)/$everything", method: .get, headers: world.holder)
            #expect(!holderView.text.contains(world.hiddenFromPatient))
            #expect(NewSinceLastAccessTests.marked(holderView).new.isSuperset(of: [later, world.plain]), "the holder sees the masked ones")
        }
    }
}
