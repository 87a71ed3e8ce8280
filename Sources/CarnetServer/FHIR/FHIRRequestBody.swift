import CarnetFHIR
import Foundation
import Hummingbird

/// Reading request bodies: within the configured size limit (413 beyond it) and only as FHIR JSON.
enum FHIRRequestBody {
    static let acceptedMediaTypes = ["application/fhir+json", "application/json", "application/json+fhir"]

    static func collect(_ request: Request, limit: Int, accepting mediaTypes: [String] = acceptedMediaTypes) async throws -> Data {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw HTTPError(.contentTooLarge)
        }
        let buffer = try await request.body.collect(upTo: limit)
        if buffer.readableBytes > 0, let type = request.headers[.contentType] {
            let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard mediaTypes.contains(mediaType) else {
                throw HTTPError(.unsupportedMediaType, message: "Content-Type '\(type)' is not accepted: send \(mediaTypes.joined(separator: " or "))")
            }
        }
        return Data(buffer.readableBytesView)
    }
}
