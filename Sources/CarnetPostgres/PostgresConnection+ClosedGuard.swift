import CarnetStore
import Logging
import PostgresNIO

/// Statements sent on a connection the server has already closed never get an answer from
/// PostgresNIO (its write is dropped once the channel is torn down, and the query's promise is
/// never completed), so the request would wait forever — seen in the failover harness: a primary
/// killed mid-transaction left the push waiting on its ROLLBACK. The transaction's own statements
/// check first, and a closed connection is said to be what it is: the database away.
extension PostgresConnection {
    /// `ROLLBACK` if the connection is still open; after a failure on a closed one there is nothing to
    /// roll back (the server ended the transaction when it closed).
    func rollbackUnlessClosed(logger: Logger) async {
        guard !isClosed else { return }
        _ = try? await query("ROLLBACK", logger: logger)
    }

    /// Throws ``StoreError/unavailable(_:)`` if the server has closed the connection.
    func requireOpen() throws {
        if isClosed { throw StoreError.unavailable("the connection to the database was closed") }
    }
}
