import CarnetFHIR
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The search result parameters FHIR R4 gives every search (search.html#summary, #total, and
/// http.html's `Prefer: handling`), for every resource type at once, around the searches themselves:
///
/// - `_summary=count` answers the total alone: the search runs as it would, with the same access
///   decisions (a hidden document is no more counted than listed), and its entries are left out.
///   `_summary=false` is the default; other summaries are refused (400) rather than ignored.
/// - `_total=none|estimate|accurate` is accepted: Carnet's totals are always accurate.
/// - `POST [type]/_search` with a form-encoded body is the same search as a `GET`.
/// - `Prefer: handling=lenient` turns an unknown search parameter from a 400 into a search without
///   it, and the Bundle says which were ignored in an `OperationOutcome` entry (search mode
///   `outcome`). Without it, searches stay strict, as documented: a typo never widens a search.
struct FHIRSearchControlsMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext
    /// Parameters one lenient search may drop before giving up.
    static let maximumIgnored = 16

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        if request.method == .post && request.uri.path.hasSuffix("/_search") { request = try await Self.searchByPost(request) }
        guard request.method == .get, let query = request.uri.query, !query.isEmpty else { return try await next(request, context) }
        let sent = Self.pairs(query)
        var pairs = sent
        var countOnly = false
        for (name, value) in pairs where name == "_summary" {
            switch value {
            case "count": countOnly = true
            case "false": break
            default: throw FHIRInputError("'\(value)' is not supported: use _summary=count (the total alone) or leave it out", at: "_summary",
                                          code: "not-supported")
            }
        }
        for (name, value) in pairs where name == "_total" && !["none", "estimate", "accurate"].contains(value) {
            throw FHIRInputError("'\(value)' is not a _total: none, estimate or accurate", at: "_total")
        }
        pairs.removeAll { $0.name == "_summary" || $0.name == "_total" }
        let lenient = request.headers[.prefer]?.lowercased().contains("handling=lenient") == true
        let stripped = pairs.count != sent.count
        var ignored: [String] = []
        var response: Response
        while true {
            do {
                // The request as sent unless a parameter was taken out of it.
                response = try await next(stripped || !ignored.isEmpty ? Self.request(request, query: pairs) : request, context)
                break
            } catch let error as FHIRInputError where lenient && error.code == "not-supported" && ignored.count < Self.maximumIgnored {
                guard let name = error.expression, pairs.contains(where: { $0.name == name }) else { throw error }
                ignored.append(name)
                pairs.removeAll { $0.name == name }
            }
        }
        guard countOnly || !ignored.isEmpty, response.status == .ok else { return response }
        return try await Self.rewritten(response, countOnly: countOnly, ignored: ignored)
    }

    /// `POST [type]/_search` (R4 search.html#Introduction): the form-encoded body's parameters joined to
    /// the URL's, then searched exactly as a `GET` (the route's handler is the search's own).
    static func searchByPost(_ request: Request) async throws -> Request {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == nil || mediaType == "application/x-www-form-urlencoded" else {
            throw HTTPError(.unsupportedMediaType, message: "a search by POST sends its parameters as application/x-www-form-urlencoded")
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
        var head = request.head
        head.method = .get
        let query = [request.uri.query ?? "", form].filter { !$0.isEmpty }.joined(separator: "&")
        let path = String(request.uri.path.dropLast("/_search".count))
        head.path = query.isEmpty ? path : "\(path)?\(query)"
        return Request(head: head, body: .init(buffer: ByteBuffer()))
    }

    /// The query's parameters as sent (still percent-encoded), in order.
    static func pairs(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            return (name, value.removingPercentEncoding ?? value)
        }
    }

    /// The same request with another query.
    static func request(_ request: Request, query pairs: [(name: String, value: String)]) -> Request {
        var head = request.head
        let path = request.uri.path
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))
        let query = pairs.map { pair in
            (pair.name.addingPercentEncoding(withAllowedCharacters: allowed) ?? pair.name) + "="
                + (pair.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? pair.value)
        }.joined(separator: "&")
        head.path = query.isEmpty ? path : "\(path)?\(query)"
        return Request(head: head, body: request.body)
    }

    /// A searchset Bundle with its entries left out (`_summary=count`) and the ignored parameters said.
    static func rewritten(_ response: Response, countOnly: Bool, ignored: [String]) async throws -> Response {
        let collected = CollectedBody()
        try await response.body.write(CollectingWriter(into: collected))
        guard var bundle = (try? JSONSerialization.jsonObject(with: Data(collected.buffer.readableBytesView))) as? [String: Any],
              bundle["resourceType"] as? String == "Bundle", bundle["type"] as? String == "searchset"
        else { return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: collected.buffer)) }
        var entries = countOnly ? [] : (bundle["entry"] as? [[String: Any]] ?? [])
        if countOnly { bundle["link"] = (bundle["link"] as? [[String: Any]] ?? []).filter { $0["relation"] as? String == "self" } }
        if !ignored.isEmpty {
            entries.append(["resource": ["resourceType": "OperationOutcome", "issue": [[
                "severity": "warning", "code": "not-supported",
                "diagnostics": "ignored (Prefer: handling=lenient): \(ignored.joined(separator: ", "))", "expression": ignored,
            ]]], "search": ["mode": "outcome"]])
        }
        bundle["entry"] = entries.isEmpty ? nil : entries
        let data = try JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = response.headers
        headers[.contentLength] = nil
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Where a ``CollectingWriter`` puts what it is given.
final class CollectedBody: @unchecked Sendable {
    var buffer = ByteBuffer()
}

/// Collects a response body written to it, to rewrite it.
struct CollectingWriter: ResponseBodyWriter {
    let into: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        into.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
