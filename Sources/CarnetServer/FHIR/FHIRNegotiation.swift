import CarnetFHIR
import Foundation
import HTTPTypes
import Hummingbird

/// What FHIR R4's REST rules ask of a server about formats and methods (http.html#mime-type,
/// http.html#version-parameter), said as an `OperationOutcome` instead of answered with something else:
///
/// - Carnet speaks FHIR R4 (4.0) in JSON only: `_format=xml`, an `Accept` that takes XML but no JSON,
///   or a `fhirVersion` other than 4.0 is a 406 — never JSON with a 200 that a client would misread.
///   `Binary` reads are left alone: ITI-68 asks for a document in its own type (a CDA as XML).
/// - A known path asked with a method it does not serve is a 405 with `Allow`, not a 404 that says
///   the resource does not exist.
struct FHIRNegotiationMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = Self.refusal(path: request.uri.path, format: request.uri.queryParameters["_format"].map(String.init),
                                      accept: request.headers[.accept]) {
            return FHIRResponse.make(OperationOutcome(code: "not-supported", diagnostics: refusal), status: .notAcceptable)
        }
        return try await next(request, context)
    }

    /// Why the request's format cannot be served, or `nil` when FHIR R4 JSON answers it.
    static func refusal(path: String, format: String?, accept: String?) -> String? {
        if path.hasPrefix("/fhir/Binary/") { return nil }
        if let format {
            let type = format.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard ["json", "application/json", "application/fhir+json"].contains(type) else {
                return "_format=\(format) is not served: Carnet answers FHIR R4 in JSON only (_format=json)"
            }
        }
        guard let accept, !accept.isEmpty else { return nil }
        let ranges = accept.split(separator: ",").map { range in
            range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        }
        let acceptable = ranges.contains { parts in
            guard let type = parts.first, ["*/*", "application/*", "application/json", "application/fhir+json"].contains(type) else { return false }
            if parts.contains(where: { $0.hasPrefix("q=") && Double($0.dropFirst(2)) == 0 }) { return false }
            let version = parts.first { $0.hasPrefix("fhirversion=") }.map { String($0.dropFirst("fhirversion=".count)) }
            return version.map { $0 == "4.0" || $0.hasPrefix("4.0.") } ?? true
        }
        return acceptable ? nil : "Accept: \(accept) is not served: Carnet answers FHIR R4 (fhirVersion=4.0) as application/fhir+json"
    }

    /// The methods the router serves on `path` (an `OpenAPIDescription` template with `{…}` captures
    /// matches any one segment); empty when no route has this path.
    static func allowedMethods(on path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let methods = OpenAPIDescription.operations.filter { operation in
            let template = operation.path.split(separator: "/", omittingEmptySubsequences: true)
            return template.count == segments.count && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map { $0.method.uppercased() }
        return Array(Set(methods)).sorted()
    }
}
