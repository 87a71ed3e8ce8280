import CarnetStore
import Logging
import PostgresNIO
import Synchronization

/// The connection pool, refusing work once the store is shut down.
///
/// Why: once its `run()` task has ended, `PostgresClient` waits for a connection forever. A
/// background task that touches the store during shutdown (a notification pass, say) would then
/// never finish, and neither would the application (seen as a hung test run). Here it gets
/// ``StoreError/closed`` at once.
final class GuardedPostgresClient: Sendable {
    let base: PostgresClient
    private let isClosed = Mutex(false)

    init(_ base: PostgresClient) {
        self.base = base
    }

    func close() {
        isClosed.withLock { $0 = true }
    }

    private func checkOpen() throws {
        if isClosed.withLock({ $0 }) { throw StoreError.closed }
    }

    func withConnection<Result>(_ closure: (PostgresConnection) async throws -> Result) async throws -> Result {
        try checkOpen()
        return try await base.withConnection(closure)
    }

    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try checkOpen()
        return try await base.query(query, logger: logger)
    }
}
