import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Every route × every kind of actor, on both engines: each request either succeeds for exactly the
/// actors DOMAIN.md allows, or is refused (401 without a token; 403, 404 or an empty search
/// otherwise) — deny by default, and never a 5xx. Each cell gets a fresh record with one document
/// by its author and no consent given.
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
        var description: String { "\(method) \(path)" }
    }

    static let readers: Set<Who> = [.holder, .author, .breakingGlass, .regulator]
    static let identityReaders: Set<Who> = [.holder, .author, .physician, .breakingGlass, .regulator, .agent, .insurer]
    static let professional = #"{"resourceType": "Parameters", "parameter": [{"name": "professional", "valueIdentifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000044"}}]}"#

    static let routes: [Route] = [
        Route(method: .get, path: "/fhir/Patient/{patient}", allowed: identityReaders),
        Route(method: .get, path: "/fhir/Patient?identifier={ins}", allowed: identityReaders, isSearch: true),
        Route(method: .post, path: "/fhir/Patient/{patient}/$close", allowed: [.holder, .agent]),
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
        try await withCarnet(engine) { client, tokens in
            var seed = 100
            for route in Self.routes {
                for who in Who.allCases {
                    seed += 1
                    let ins = INS.fixture(seed)
                    let patientID = try await createPatient(client, tokens, ins)
                    let author = try await tokens.bearer(.doctor("99700000011"))
                    let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(ins))
                    let documentID = pushed.json["id"] as? String ?? ""
                    let path = route.path.replacingOccurrences(of: "{patient}", with: patientID)
                        .replacingOccurrences(of: "{document}", with: documentID)
                        .replacingOccurrences(of: "{ins}", with: "\(ins.system.uri)%7C\(ins.value)")
                    let body = route.body.map { $0 == "{push}" ? DocumentRoutesTests.documentBody(ins) : ByteBuffer(string: $0) } ?? ByteBuffer()
                    var headers = try await who.headers(tokens, ins: ins)
                    if route.body != nil { headers[.contentType] = route.contentType }
                    let response = try await client.execute(uri: path, method: route.method, headers: headers, body: body)
                    let cell = "\(route) as \(who): \(response.status.code) \(response.text.prefix(200))"
                    #expect(response.status.code < 500, Comment(rawValue: cell))
                    if who == .anonymous {
                        #expect(response.status == .unauthorized, Comment(rawValue: cell))
                    } else if route.allowed.contains(who) {
                        #expect(response.status == route.success && (!route.isSearch || (response.json["total"] as? Int ?? 0) > 0), Comment(rawValue: cell))
                    } else if route.isSearch {
                        #expect([.ok, .forbidden, .notFound].contains(response.status) && (response.json["total"] as? Int ?? 0) == 0, Comment(rawValue: cell))
                    } else {
                        #expect([.forbidden, .notFound].contains(response.status), Comment(rawValue: cell))
                    }
                }
            }
        }
    }
}
