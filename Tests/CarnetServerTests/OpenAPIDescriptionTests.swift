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
            let service = RecordService(store: store, blobs: try StoreOpening.openBlobs(configuration), matrix: try HabilitationMatrix.bundled(),
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
}
