import Dispatch
import GRDB
import Synchronization

/// Commits concurrent writers together: one transaction, one fsync, for every write that arrived while
/// the previous commit was on disk (group commit).
///
/// SQLite has one writer and `synchronous=FULL` makes each commit wait for the disk, so one commit per
/// request caps the whole service at the disk's flush rate — and every read of health data writes an
/// audit event. Here each write runs in its own savepoint inside the shared transaction: a write that
/// fails is rolled back alone and its caller gets its error, the others go on. No caller is answered
/// before the transaction holding its write has committed; if the commit fails, every caller in it
/// gets the failure (none of their writes is on disk).
final class GroupCommit: Sendable {
    private struct PendingWrite: Sendable {
        /// Runs the write in a savepoint and keeps its outcome for `finish`.
        let apply: @Sendable (Database) -> Void
        /// Answers the caller once the transaction is committed (`nil`) or failed.
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var pending: [PendingWrite] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    /// Where batches are committed: the transaction runs there synchronously, in place, so a write costs
    /// one hand-off to this queue and one back to its caller (issue 20), not a task and GRDB's own
    /// writer queue besides. A queue rather than a thread of its own: it needs no stopping.
    private let queue = DispatchQueue(label: "carnet.sqlite.group-commit", qos: .userInitiated)
    /// Caps how many writes share one transaction, so a burst cannot hold the writer for long.
    private let maximumBatch: Int

    init(pool: DatabasePool, maximumBatch: Int = 256) {
        self.pool = pool
        self.maximumBatch = maximumBatch
    }

    /// Runs `body` in a transaction shared with the writes that arrive meanwhile; returns once it is committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = Mutex<Result<T, any Error>?>(nil)
            let write = PendingWrite(
                apply: { db in
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try body(db)
                            return .commit
                        }
                        outcome.withLock { $0 = value.map { .success($0) } }
                    } catch {
                        outcome.withLock { $0 = .failure(error) }
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        let result = outcome.withLock { $0 } ?? .failure(GroupCommitError.writeNotRun)
                        continuation.resume(with: result)
                    }
                })
            let startsDraining = state.withLock { state in
                state.pending.append(write)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startsDraining {
                queue.async { self.drain() }
            }
        }
    }

    /// Commits batches until no write is waiting.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [PendingWrite] in
                let batch = Array(state.pending.prefix(maximumBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try pool.write { db in
                    for write in batch { write.apply(db) }
                }
                for write in batch { write.finish(nil) }
            } catch {
                for write in batch { write.finish(error) }
            }
        }
    }
}

/// A write that was committed without having run: cannot happen unless the batch loop is broken.
enum GroupCommitError: Error {
    case writeNotRun
}
