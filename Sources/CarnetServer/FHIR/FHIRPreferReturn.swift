import CarnetFHIR
import Foundation
import HTTPTypes
import Hummingbird

/// `Prefer: return=minimal | representation | OperationOutcome` on creates, updates, patches and
/// operations (R4 http.html#ops): the same change, answered with its headers alone (`Location`,
/// `ETag`), with the resource (the default), or with an `OperationOutcome` saying it was done. A
/// transaction answers with its `transaction-response` Bundle whatever the preference: its entries
/// are the outcome.
struct FHIRPreferReturnMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard [.post, .put, .patch].contains(request.method), (200..<300).contains(response.status.code), request.uri.path != "/fhir",
              let preference = Self.returnPreference(request.headers[.prefer])
        else { return response }
        var headers = response.headers
        headers[.contentLength] = nil
        switch preference {
        case "minimal":
            headers[.contentType] = nil
            return Response(status: response.status, headers: headers, body: .init())
        case "operationoutcome":
            return FHIRResponse.make(OperationOutcome(severity: "information", code: "informational",
                                                      diagnostics: "\(request.method.rawValue) done: \(response.status.code) \(response.status.reasonPhrase)"),
                                     status: response.status, headers: headers)
        default:
            return response
        }
    }

    /// The `return` preference of a `Prefer` header, lower-cased, if it names one.
    static func returnPreference(_ header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ",").flatMap({ $0.split(separator: ";") }) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if pair.count == 2, pair[0] == "return" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
