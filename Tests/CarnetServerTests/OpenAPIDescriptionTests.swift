import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CarnetServer

/// `/openapi.json` describes every route the router serves, and nothing else.
@Suite("OpenAPI description")
struct OpenAPIDescriptionTests {
    @Test("the description names exactly the routes the router serves, each once")
    func matchesRoutes() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let configuration = CarnetConfiguration.testing(dataDirectory: directory)
            let store = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
            let service = RecordService(store: store, blobs: try StoreOpening.openBlobs(configuration, store: store), matrix: try HabilitationMatrix.bundled(),
                                        logger: Logger(label: "test"))
            let router = buildRouter(configuration, service: service, tokens: try await TokenAuthority.loadOrCreate(in: directory))
            let served = router.routes.map { "\($0.method.rawValue) \($0.path)" }
            // The router prints captures as OpenAPI does: /fhir/Patient/{id}.
            let described = OpenAPIDescription.operations.map { "\($0.method.uppercased()) \($0.path)" }
            #expect(Set(described).count == described.count, "an operation is described twice")
            #expect(Set(served).subtracting(described).sorted() == [], "served but not described")
            #expect(Set(described).subtracting(served).sorted() == [], "described but not served")
            await store.shutdown()
        }
    }

    @Test("served at /openapi.json without authentication: OpenAPI 3, every operation with responses and a security choice")
    func served() async throws {
        try await withCarnet { client, _ in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["openapi"] as? String == "3.0.3")
            #expect((response.json["servers"] as? [[String: Any]])?.first?["url"] as? String == "http://carnet.test")
            let paths = try #require(response.json["paths"] as? [String: [String: [String: Any]]])
            #expect(paths["/fhir/DocumentReference"]?["get"]?["operationId"] as? String == "getFhirDocumentReference")
            let operations = paths.values.flatMap(\.values)
            #expect(operations.count == OpenAPIDescription.operations.count)
            #expect(operations.allSatisfy { $0["responses"] is [String: Any] && $0["security"] is [Any] })
            let ids = operations.compactMap { $0["operationId"] as? String }
            #expect(Set(ids).count == ids.count, "operation ids are unique")
        }
    }

    /// A plausible value for a described query parameter, so that only an unsupported name is refused.
    static func value(_ name: String, patient: String, ins: INS) -> String {
        switch name {
        case "patient", "subject": patient
        case "identifier": "\(ins.system.uri)%7C\(ins.value)"
        case "_id": patient
        case "date", "service-date", "period": "ge2020-01-01"
        case "_count": "5"
        case "_offset": "0"
        case "_sort": "-date"
        case "active": "true"
        case "status": "current"
        default: "x"
        }
    }

    @Test("every query parameter the description lists is one the server takes (no 'not-supported' answer)")
    func describedParametersAccepted() async throws {
        try await withCarnet { client, tokens in
            let ins = INS.fixture()
            let patient = try await createPatient(client, tokens, ins)
            let holder = try await tokens.bearer(.patient(ins))
            let searches = OpenAPIDescription.operations.filter { $0.method == "get" && !$0.query.isEmpty && !$0.path.contains("{") }
            #expect(searches.count >= 10, "the summary's seven types, documents, lists, audit events, patients, claims")
            for operation in searches {
                for name in operation.query {
                    // The INS form of the patient where a parameter names it by identifier.
                    let value = name.hasSuffix(".identifier") && name.hasPrefix("patient") ? "\(ins.system.uri)%7C\(ins.value)"
                        : operation.path == "/fhir/List" && name == "code" ? "submissionset"  // Lists are submission sets only
                        : Self.value(name, patient: patient, ins: ins)
                    let query = name == "patient" || name == "subject" || operation.path == "/fhir/Patient" ? "\(name)=\(value)"
                        : "patient=\(patient)&\(name)=\(value)"
                    let response = try await client.execute(uri: "\(operation.path)?\(query)", method: .get, headers: holder)
                    let refusedAsUnknown = response.status == .badRequest && response.issue["code"] as? String == "not-supported"
                    #expect(!refusedAsUnknown && response.status.code < 500, "\(operation.path)?\(query): \(response.status) \(response.text.prefix(200))")
                }
            }
            // And the check bites: a parameter no search takes is refused as such.
            let unknown = try await client.execute(uri: "/fhir/Condition?patient=\(patient)&patient.identifier=x", method: .get, headers: holder)
            #expect(unknown.status == .badRequest && unknown.issue["code"] as? String == "not-supported")
        }
    }
}
