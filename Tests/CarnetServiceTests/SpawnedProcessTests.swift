import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CarnetService

/// The child process runner the PDF extraction uses instead of Foundation's `Process` (whose `run()`
/// crashed the test suite): output read, exit status, a kill, a missing program, nothing inherited.
@Suite("Spawned child processes")
struct SpawnedProcessTests {
    @Test("the output and the exit status come back; a signal gives no status")
    func outputAndStatus() throws {
        let echo = try SpawnedProcess.start("/bin/sh", arguments: ["-c", "printf 'bonjour'; exit 3"])
        #expect(String(decoding: echo.readOutput(upTo: 100), as: UTF8.self) == "bonjour")
        #expect(echo.wait() == 3)

        let bounded = try SpawnedProcess.start("/bin/sh", arguments: ["-c", "printf '0123456789'"])
        #expect(bounded.readOutput(upTo: 4) == Data("0123".utf8))
        #expect(bounded.wait() == 0)

        let sleeper = try SpawnedProcess.start("/bin/sleep", arguments: ["30"])
        let started = Date()
        sleeper.kill()
        #expect(sleeper.readOutput(upTo: 100).isEmpty)
        #expect(sleeper.wait() == nil)
        #expect(Date().timeIntervalSince(started) < 10)
        sleeper.kill() // after it was reaped: no signal to a pid that may be someone else's now
    }

    @Test("the errors can come back instead of the output, in the environment given")
    func errorsAndEnvironment() throws {
        let child = try SpawnedProcess.start("/bin/sh", arguments: ["-c", "echo out; echo \"err $CARNET_SPAWN_TEST\" >&2; exit 1"],
                                             environment: ["CARNET_SPAWN_TEST": "value", "PATH": "/usr/bin:/bin"], capturing: .standardError)
        #expect(String(decoding: child.readOutput(upTo: 100), as: UTF8.self) == "err value\n")
        #expect(child.wait() == 1)

        // A child that writes more than a pipe holds is drained, not left blocked.
        let talkative = try SpawnedProcess.start("/bin/sh", arguments: ["-c", "head -c 1000000 /dev/zero >&2"], capturing: .standardError)
        #expect(talkative.readOutput(upTo: 10).count == 10)
        talkative.discardOutput()
        #expect(talkative.wait() == 0)
    }

    @Test("a missing program is an error, not a crash")
    func missing() {
        #expect(throws: SpawnedProcess.Failure.self) { try SpawnedProcess.start("/nonexistent/pdftotext", arguments: []) }
    }

    @Test("the child gets /dev/null as input and errors, and none of the server's other descriptors")
    func descriptors() throws {
        // A descriptor opened without close-on-exec, as a library might: the child must not inherit it.
        let inheritable = Glibc.open("/dev/zero", O_RDONLY)
        try #require(inheritable > 3)
        defer { close(inheritable) }
        let child = try SpawnedProcess.start("/bin/sh", arguments: ["-c", "ls /proc/self/fd; readlink /proc/self/fd/0 /proc/self/fd/2"])
        let lines = String(decoding: child.readOutput(upTo: 10_000), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(child.wait() == 0)
        // 0, 1, 2 and the descriptor `ls` opens on /proc/self/fd itself; then the two links.
        let descriptors = lines.compactMap { Int($0) }
        #expect(descriptors.allSatisfy { $0 <= 3 })
        #expect(!descriptors.contains(Int(inheritable)))
        #expect(lines.suffix(2) == ["/dev/null", "/dev/null"])
    }
}
