import CarnetService
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Health for orchestrators and operators: `GET /health/live` says the process answers (restart it
/// if not); `GET /health/ready` and `GET /health` add a database round trip (send it traffic only
/// if so).
/// Answers 503 when the database does not answer; never exposes the error's text.
struct HealthRoutes {
    let service: RecordService

    func register(on router: Router<CarnetRequestContext>) {
        router.get("health/live") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","version":"\#(CarnetVersion.current)"}"#)))
        }
        router.get("health/ready", use: ready)
        router.get("health", use: ready)
    }

    @Sendable func ready(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let databaseOK: Bool
        do {
            try await service.checkDatabase()
            databaseOK = true
        } catch {
            context.logger.error("health check: database unreachable", metadata: ["error.type": "\(type(of: error))"])
            databaseOK = false
        }
        let body = #"{"status":"\#(databaseOK ? "ok" : "unavailable")","database":"\#(databaseOK ? "ok" : "unreachable")","version":"\#(CarnetVersion.current)"}"#
        return Response(status: databaseOK ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
