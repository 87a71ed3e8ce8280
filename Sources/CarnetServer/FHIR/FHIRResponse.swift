import CarnetFHIR
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds `application/fhir+json` responses.
enum FHIRResponse {
    static let contentType = "application/fhir+json; charset=utf-8"

    static func make(_ body: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        do {
            let data = try FHIRJSON.encode(body)
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return Response(status: .internalServerError, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: #"{"resourceType":"OperationOutcome","issue":[{"severity":"fatal","code":"exception"}]}"#)))
        }
    }
}

/// Paging links of searches: the same query, one page further.
enum SearchPaging {
    static func nextQuery(_ request: Request, offset: Int) -> String {
        var items = URLComponents(string: "?" + (request.uri.query ?? ""))?.queryItems?.filter { $0.name != "_offset" } ?? []
        items.append(URLQueryItem(name: "_offset", value: String(offset)))
        var components = URLComponents()
        components.queryItems = items
        return components.percentEncodedQuery ?? ""
    }
}
