import Foundation
import Synchronization

/// One flush of the disk for every caller that asked while the previous flush was running (the file
/// counterpart of the database's group commit).
///
/// Why: each pushed document's content is a file that must be on disk before the document is
/// acknowledged. Flushing each file and its directory on its own cost two `fsync`s per push, 17 % of a
/// push's CPU under load; concurrent pushes now share one flush of the volume. A caller returns only
/// after a flush that *began after it called* has completed, so whatever it wrote before calling is
/// on disk; if that flush fails, every caller sharing it gets the error.
final class GroupSync: Sendable {
    private struct State {
        var waiting: [CheckedContinuation<Void, any Error>] = []
        var flushing = false
    }

    private let state = Mutex(State())
    private let flush: @Sendable () throws -> Void

    /// - Parameter flush: makes everything written so far durable (blocking; run off Swift's pool).
    init(flush: @escaping @Sendable () throws -> Void) {
        self.flush = flush
    }

    /// Returns once everything the caller wrote before calling is on disk.
    func sync() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startsFlushing = state.withLock { state in
                state.waiting.append(continuation)
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startsFlushing {
                Task { await self.drain() }
            }
        }
    }

    /// How many callers wait for the next flush (for tests that hold a flush open).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Flushes until nobody is waiting. A caller that arrives during a flush waits for the next one:
    /// the running flush may have started before its write.
    private func drain() async {
        while true {
            let batch = state.withLock { state in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            // On Dispatch's pool, which grows threads for blocking work: Swift's must not wait on the disk.
            let flush = flush
            let outcome: Result<Void, any Error>
            do {
                try await offBlockingPool { try flush() }
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            for waiter in batch { waiter.resume(with: outcome) }
        }
    }
}

/// `syncfs(2)`: flushes the whole file system holding a descriptor, in one journal commit.
///
/// Looked up at run time because Swift's Glibc module does not import it (it is a GNU extension);
/// `nil` where the C library lacks it, and the blob store then flushes file by file.
enum FileSystemSync {
    private typealias SyncFS = @convention(c) (Int32) -> Int32

    private static let function: SyncFS? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: SyncFS.self)
    }()

    static var isAvailable: Bool { function != nil }

    /// Flushes the file system holding `directory`.
    static func flush(volumeOf directory: URL) throws {
        guard let function else { throw CocoaError(.featureUnsupported) }
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard function(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
