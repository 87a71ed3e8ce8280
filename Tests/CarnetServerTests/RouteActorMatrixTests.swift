import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Every route × every kind of actor, on both engines: each request either succeeds for exactly the
/// actors DOMAIN.md allows, or is refused (401 without a token; 403, 404 or an empty search
/// otherwise) — deny by default, and never a 5xx. Each cell gets a fresh record with one document
/// by its author, one claim in its care history and no consent given. The structured summary's,
/// `$summary`'s, `$everything`'s and the care history's rows are in RouteActorMatrixTests+Summary.
@Suite("Routes × actors")
struct RouteActorMatrixTests {
    enum Who: String, CaseIterable, CustomStringConvertible {
        case anonymous, holder, otherPatient, author, physician, breakingGlass, regulator, agent, insurer
        var description: String { rawValue }

        func headers(_ tokens: Tokens, ins: INS) async throws -> HTTPFields {
            switch self {
            case .anonymous: [:]
            case .holder: try await tokens.bearer(.patient(ins))
            case .otherPatient: try await tokens.bearer(.patient(.fixture(999)))
            case .author: try await tokens.bearer(.doctor("99700000011"))
            case .physician: try await tokens.bearer(.doctor("99700000022"))
            case .breakingGlass: try await tokens.bearer(.doctor("99700000033", mode: .breakTheGlass, reason: "unconscious"))
            case .regulator: try await tokens.bearer(.regulator())
            case .agent: try await tokens.bearer(.agent)
            case .insurer: try await tokens.bearer(.insurer)
            }
        }
    }

    struct Route: CustomStringConvertible {
        var method: HTTPRequest.Method
        /// `{patient}`, `{document}`, `{ins}` are replaced per cell.
        var path: String
        var body: String?
        var contentType = "application/fhir+json"
        var allowed: Set<Who>
        /// The status an allowed actor gets.
        var success: HTTPResponse.Status = .ok
        var isSearch = false
        /// A summary item made before the request (`{item}` in the path and body): its type, its body, and
        /// whether the holder records it (else the author, 99700000011).
        var item: (type: String, body: String, byHolder: Bool)?
        /// For answers that are not searchsets but show only what the reader may see ($summary,
        /// $everything): how many visible things came back. Such a route is judged as a search.
        var found: (@Sendable (TestResponse) -> Int)?
        var description: String { "\(method) \(path)" }

        func count(_ response: TestResponse) -> Int { found?(response) ?? response.json["total"] as? Int ?? 0 }
    }

    static let readers: Set<Who> = [.holder, .author, .breakingGlass, .regulator]
    static let identityReaders: Set<Who> = [.holder, .author, .physician, .breakingGlass, .regulator, .agent, .insurer]
    static let professional = #"{"resourceType": "Parameters", "parameter": [{"name": "professional", "valueIdentifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000044"}}]}"#

    static let routes: [Route] = [
        Route(method: .get, path: "/fhir/Patient/{patient}", allowed: identityReaders),
        Route(method: .get, path: "/fhir/Patient?identifier={ins}", allowed: identityReaders, isSearch: true),
        Route(method: .post, path: "/fhir/Patient/{patient}/$close", allowed: [.holder, .agent]),
        Route(method: .post, path: "/fhir/Patient/{patient}/$contact",
              body: #"{"resourceType": "Parameters", "parameter": [{"name": "email", "valueString": "titulaire@example.org"}]}"#, allowed: [.holder, .agent]),
        Route(method: .get, path: "/fhir/DocumentReference?patient={patient}", allowed: readers, isSearch: true),
        Route(method: .get, path: "/fhir/DocumentReference/{document}", allowed: readers),
        Route(method: .get, path: "/fhir/Binary/{document}", allowed: readers),
        Route(method: .get, path: "/fhir/DocumentReference/{document}/_history", allowed: readers),
        Route(method: .get, path: "/fhir/DocumentReference/{document}/_history/1", allowed: readers),
        Route(method: .post, path: "/fhir/DocumentReference", body: "{push}", allowed: [.holder, .author, .physician], success: .created),
        Route(method: .patch, path: "/fhir/DocumentReference/{document}",
              body: #"[{"op": "add", "path": "/extension/-", "value": {"url": "https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived", "valueBoolean": true}}]"#,
              contentType: "application/json-patch+json", allowed: [.holder, .author]),
        Route(method: .delete, path: "/fhir/DocumentReference/{document}", allowed: [.holder, .author], success: .noContent),
        Route(method: .post, path: "/fhir/DocumentReference/{document}/$mask", allowed: [.holder, .author]),
        Route(method: .post, path: "/fhir/Patient/{patient}/$authorize", body: professional, allowed: [.holder]),
        Route(method: .post, path: "/fhir/Patient/{patient}/$block", body: professional, allowed: [.holder]),
        Route(method: .post, path: "/fhir/Patient/{patient}/$emergency-access",
              body: #"{"resourceType": "Parameters", "parameter": [{"name": "regulation", "valueBoolean": false}]}"#, allowed: [.holder]),
        Route(method: .get, path: "/fhir/Consent?patient={patient}", allowed: [.holder]),
        Route(method: .get, path: "/fhir/AuditEvent?patient={patient}", allowed: [.holder]),
        Route(method: .get, path: "/fhir/List?patient={patient}", allowed: [], isSearch: true),
    ]

    @Test("each route answers each actor as the rules say, never with a 5xx", arguments: TestEngine.available)
    func matrix(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            try await Self.check(Self.routes, client, tokens, store, seed: 100)
        }
    }

    /// Runs every cell of `routes` × ``Who``, each on a fresh record (INS from `seed` on) with one
    /// document by the author and one claim in its care history.
    static func check(_ routes: [Route], _ client: any TestClientProtocol, _ tokens: Tokens, _ store: any RecordStore, seed: Int) async throws {
        var seed = seed
        for route in routes {
            for who in Who.allCases {
                seed += 1
                let ins = INS.fixture(seed)
                let patientID = try await createPatient(client, tokens, ins)
                let author = try await tokens.bearer(.doctor("99700000011"))
                let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(ins))
                let documentID = pushed.json["id"] as? String ?? ""
                let claim = try CareHistoryReadTests.claim("M\(seed)", ins: ins, daysAgo: 40)
                _ = try await store.addClaims([claim], checkpoint: ClaimImportCheckpoint(source: "matrix", linesDone: 0, imported: 0, duplicates: 0, rejected: 0))
                var itemID = ""
                if let item = route.item {
                    let recorder = item.byHolder ? try await tokens.bearer(.patient(ins)) : author
                    let created = try await SummaryRoutesTests.post(client, recorder, item.type, item.body.replacingOccurrences(of: "{patient}", with: patientID))
                    #expect(created.status == .created, "setting up \(route): \(created.text)")
                    itemID = created.json["id"] as? String ?? ""
                }
                var jobPath = ""
                if route.path.contains("{job}") {
                    jobPath = try await Self.finishedImport(client, tokens, ins)
                }
                func fill(_ text: String) -> String {
                    text.replacingOccurrences(of: "{patient}", with: patientID)
                        .replacingOccurrences(of: "{document}", with: documentID)
                        .replacingOccurrences(of: "{item}", with: itemID)
                        .replacingOccurrences(of: "{claim}", with: CareHistoryReadTests.resourceID(claim, record: patientID))
                        .replacingOccurrences(of: "{claims}", with: CareHistoryTests.line("F\(seed)", ins: ins, daysAgo: 3))
                        .replacingOccurrences(of: "/fhir/$import-claims/{job}", with: jobPath)
                        .replacingOccurrences(of: "{ins}", with: "\(ins.system.uri)%7C\(ins.value)")
                }
                let path = fill(route.path)
                let body = route.body.map { $0 == "{push}" ? DocumentRoutesTests.documentBody(ins) : ByteBuffer(string: fill($0)) } ?? ByteBuffer()
                var headers = try await who.headers(tokens, ins: ins)
                if route.body != nil { headers[.contentType] = route.contentType }
                let response = try await client.execute(uri: path, method: route.method, headers: headers, body: body)
                let cell = "\(route) as \(who): \(response.status.code) \(response.text.prefix(200))"
                #expect(response.status.code < 500, Comment(rawValue: cell))
                let searchLike = route.isSearch || route.found != nil
                if who == .anonymous {
                    #expect(response.status == .unauthorized, Comment(rawValue: cell))
                } else if route.allowed.contains(who) {
                    #expect(response.status == route.success && (!searchLike || route.count(response) > 0), Comment(rawValue: cell))
                } else if searchLike {
                    #expect([.ok, .forbidden, .notFound].contains(response.status) && route.count(response) == 0, Comment(rawValue: cell))
                } else {
                    #expect([.forbidden, .notFound].contains(response.status), Comment(rawValue: cell))
                }
            }
        }
    }

    /// Posts a one-line feed as the insurer and waits for its import to finish (`Prefer: wait`); returns the job's path.
    static func finishedImport(_ client: any TestClientProtocol, _ tokens: Tokens, _ ins: INS) async throws -> String {
        let insurer = try await tokens.bearer(.insurer)
        let accepted = try await client.execute(uri: "/fhir/$import-claims", method: .post, headers: insurer + [.contentType: "application/x-ndjson"],
                                                body: ByteBuffer(string: CareHistoryTests.line("J1", ins: ins, daysAgo: 2)))
        let path = try #require(accepted.headers[.contentLocation]).replacingOccurrences(of: "http://carnet.test", with: "")
        let finished = try await client.execute(uri: path, method: .get, headers: insurer + [HTTPField.Name("Prefer")!: "wait=30"])
        #expect(finished.status == .ok, "\(finished.text)")
        return path
    }
}
