@testable import CarnetStore
import Foundation
import Synchronization
import Testing

/// A flush the test holds open until it lets it go, counting how many flushes began.
final class HeldFlush: Sendable {
    let started = Mutex(0)
    let gate = DispatchSemaphore(value: 0)
    let failing = Mutex(false)

    func flush() throws {
        started.withLock { $0 += 1 }
        gate.wait()
        if failing.withLock({ $0 }) { throw POSIXError(.EIO) }
    }

}

/// Waits (polling, up to ~5 s) until `condition` holds, then checks it.
func eventually(_ what: Comment, _ condition: () -> Bool) async throws {
    for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
    #expect(condition(), what)
}

/// Counts callers that returned.
final class Returned: Sendable {
    let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The shared flush behind blob writes: nobody returns before a flush that began after their call,
/// and callers who arrive during a flush share the next one.
@Suite("Group sync")
struct GroupSyncTests {
    @Test("callers arriving during a flush wait for one more flush, shared by all of them")
    func batches() async throws {
        let held = HeldFlush()
        let sync = GroupSync(flush: held.flush)
        let returned = Returned()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sync.sync(); returned.add() }
            try await eventually("the first flush began") { held.started.withLock { $0 } == 1 }
            for _ in 0..<5 { group.addTask { try await sync.sync(); returned.add() } }
            try await eventually("five callers wait") { sync.waitingCount == 5 }
            #expect(returned.value == 0, "nobody returns while the flush runs")
            held.gate.signal()  // the first flush ends: only its caller is covered by it
            try await eventually("the first caller returned") { returned.value == 1 }
            try await eventually("a second flush began") { held.started.withLock { $0 } == 2 }
            #expect(returned.value == 1 && sync.waitingCount == 0)
            held.gate.signal()
            try await group.waitForAll()
        }
        #expect(returned.value == 6)
        #expect(held.started.withLock { $0 } == 2, "the five late callers shared one flush")
    }

    @Test("many concurrent callers with an instant flush all return")
    func manyCallers() async throws {
        let sync = GroupSync(flush: {})
        let returned = Returned()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { try await sync.sync(); returned.add() } }
            try await group.waitForAll()
        }
        #expect(returned.value == 200)
    }

    @Test("a failed flush fails every caller sharing it; the next flush is tried afresh")
    func failures() async throws {
        let held = HeldFlush()
        held.failing.withLock { $0 = true }
        let sync = GroupSync(flush: held.flush)
        held.gate.signal()
        await #expect(throws: POSIXError.self) { try await sync.sync() }
        held.failing.withLock { $0 = false }
        held.gate.signal()
        try await sync.sync()
        #expect(held.started.withLock { $0 } == 2)
    }

    @Test("the volume flush works where the C library has syncfs (Linux)")
    func volumeFlush() throws {
        #if os(Linux)
        #expect(FileSystemSync.isAvailable)
        try FileSystemSync.flush(volumeOf: FileManager.default.temporaryDirectory)
        #endif
        #expect(throws: (any Error).self) { try FileSystemSync.flush(volumeOf: URL(fileURLWithPath: "/nonexistent-carnet-volume")) }
    }
}
