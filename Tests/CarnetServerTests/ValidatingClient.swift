import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A test client that checks every FHIR JSON response body with the independent validator, so each
/// HTTP test also proves its responses are valid FHIR R4.
struct ValidatingClient: TestClientProtocol {
    let base: any TestClientProtocol

    var port: Int? { base.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let response = try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
        if response.headers[.contentType]?.hasPrefix("application/fhir+json") == true {
            if let problem = try await FHIRValidator.shared.problem(in: Data(response.body.readableBytesView)) {
                Issue.record("\(method) \(uri) answered invalid FHIR: \(problem)")
            }
        }
        return response
    }
}
