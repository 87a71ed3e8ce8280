package import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child program started with `posix_spawn`: one of its output streams read through a pipe, its
/// input and the other stream on /dev/null, stopped with SIGKILL on demand, reaped once.
///
/// Why not Foundation's `Process`: on Linux (Swift 6.3.1) its `run()` copies whole `dirent` records
/// while it lists /proc/self/fd, and now and then reads past glibc's buffer into an unmapped page: a
/// SIGSEGV of the whole process (seen in the test suite, in the PDF extraction of a push;
/// swift-corelibs-foundation PR #5472). A document push must never be able to take the service down,
/// so its helper program starts here, with the C library's own call.
package final class SpawnedProcess: Sendable {
    private let pid: Int32
    private let output: Int32
    /// Whether the child has ended (seen, not yet reaped): after that its pid is never signalled,
    /// since it may be reused once reaped.
    private let ended = Mutex(false)

    package struct Failure: Error {
        package let call: String
        package let code: Int32
    }

    /// Which of the child's streams comes back through the pipe; the other goes to /dev/null.
    package enum Captured: Sendable {
        case standardOutput
        case standardError
    }

    private init(pid: Int32, output: Int32) {
        self.pid = pid
        self.output = output
    }

    /// Starts `executable` (an absolute path) with `arguments`, in `environment` (this process's by default).
    package static func start(_ executable: String, arguments: [String],
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              capturing captured: Captured = .standardOutput) throws -> SpawnedProcess {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw Failure(call: "pipe", code: errno) }
        // Close-on-exec, so that no other child started meanwhile keeps the pipe open (`pipe2` is not
        // declared to Swift here).
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let (piped, discarded): (Int32, Int32) = captured == .standardOutput ? (1, 2) : (2, 1)
        posix_spawn_file_actions_adddup2(&actions, ends[1], piped)
        posix_spawn_file_actions_addopen(&actions, discarded, "/dev/null", O_WRONLY, 0)
        // Nothing else of the server's (database files, sockets) reaches the child.
        if let closeFrom = closeFromAction { _ = closeFrom(&actions, 3) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(ends[1])
        guard status == 0 else {
            close(ends[0])
            throw Failure(call: "posix_spawn", code: status)
        }
        return SpawnedProcess(pid: pid, output: ends[0])
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module
    /// does not declare; `nil` on an older C library, where only close-on-exec descriptors are kept back.
    private static let closeFromAction: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// The captured stream up to its end or `limit` bytes, whichever comes first.
    package func readOutput(upTo limit: Int) -> Data {
        var collected = Data()
        readChunks(upTo: limit) { collected.append(contentsOf: $0) }
        return collected
    }

    /// Reads the rest of the captured stream and throws it away, so that a talkative child never
    /// blocks on a full pipe.
    package func discardOutput() {
        readChunks(upTo: .max) { _ in }
    }

    /// Hands the captured stream to `consume`, chunk by chunk, until its end or `limit` bytes.
    private func readChunks(upTo limit: Int, _ consume: (ArraySlice<UInt8>) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var remaining = limit
        while remaining > 0 {
            let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, min($0.count, remaining)) }
            if count > 0 {
                consume(buffer[0..<count])
                remaining -= count
            } else if count == 0 || errno != EINTR {
                return
            }
        }
    }

    /// Stops the child with SIGKILL, unless it has already ended.
    package func kill() {
        ended.withLock { ended in
            if !ended { _ = Glibc.kill(pid, SIGKILL) }
        }
    }

    /// Waits for the child to end and reaps it: its exit status, or `nil` when a signal ended it.
    package func wait() -> Int32? {
        var info = siginfo_t()
        // Seen ended without being reaped, so that `kill()` never signals a reused pid.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        ended.withLock { $0 = true }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        close(output)
        return status & 0x7f == 0 ? (status >> 8) & 0xff : nil
    }
}
