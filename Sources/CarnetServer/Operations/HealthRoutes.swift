import CarnetService
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `GET /health`: liveness plus a database round trip, for load balancers and operators.
/// Answers 503 when the database does not answer; never exposes the error's text.
struct HealthRoutes {
    let service: RecordService

    func register(on router: Router<CarnetRequestContext>) {
        router.get("health") { _, context -> Response in
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
}
