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

/// Runs a short blocking call (an fsync) on Dispatch's global pool, which grows threads for blocking
/// work, and awaits it.
///
/// Why not in place: Swift's concurrency pool has one thread per core, so a request waiting for its
/// disk flush there stops every other request on that core; from Dispatch's pool, concurrent flushes
/// overlap (the file system journals them together) while the concurrency pool keeps serving.
public func offBlockingPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
    }
}
