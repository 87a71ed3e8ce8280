import Foundation

/// Runs a blocking call (closing a GRDB pool, an online backup, waiting for pg_dump) on a thread of its
/// own and awaits it.
///
/// Why not in place: such calls wait until every reader is given back, and an async read gives its
/// reader back only when its task resumes on Swift's concurrency pool. That pool has one thread per
/// core; blocking them all in these waits starves the very reads being waited for, and the process
/// hangs (seen on 2-core CI machines when two tests closed their stores at once).
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
