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

extension HTTPField.Name {
    /// FHIR's preferences (`return=…`, `handling=lenient`), R4 http.html#return.
    static let prefer = HTTPField.Name("Prefer")!  // safe: a valid constant header name
    /// The criteria of a conditional create, R4 http.html#ccreate.
    static let ifNoneExist = HTTPField.Name("If-None-Exist")!  // safe: a valid constant header name
}

extension FHIRResponse {
    /// The version headers of a read (R4 http.html#read: `ETag` and `Last-Modified`).
    static func version(_ version: Int, updated: Date) -> HTTPFields {
        [.eTag: "W/\"\(version)\"", .lastModified: httpDate(updated)]
    }

    /// An HTTP date (RFC 9110 IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(days[((parts.weekday ?? 1) - 1) % 7]), \(two(parts.day)) \(months[((parts.month ?? 1) - 1) % 12]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }
}

/// Paging links of searches: the same query, one page further.
enum SearchPaging {
    /// The `next` link of a page of `count` starting at `offset`, of `total` matches; `nil` on the last
    /// page, and with `_count=0` (the total alone, R4 search.html#count): a next link there would name
    /// the same empty page, and a client following links (fhirpy's `fetch_all`, fhirclient's
    /// `perform_resources`) would never stop.
    static func nextURL(_ request: Request, path: String, offset: Int, count: Int, total: Int) -> String? {
        guard count > 0, offset + count < total else { return nil }
        return "\(path)?\(nextQuery(request, offset: offset + count))"
    }

    static func nextQuery(_ request: Request, offset: Int) -> String {
        var items = URLComponents(string: "?" + (request.uri.query ?? ""))?.queryItems?.filter { $0.name != "_offset" } ?? []
        items.append(URLQueryItem(name: "_offset", value: String(offset)))
        var components = URLComponents()
        components.queryItems = items
        return components.percentEncodedQuery ?? ""
    }
}
