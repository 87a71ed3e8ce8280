import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Logging
import Testing
@testable import carnet

/// `carnet import claims` and `carnet care-history purge` through the command line, on both engines;
/// the progress meter's two forms.
@Suite("carnet import claims")
struct ImportClaimsCommandTests {
    @Test("imports a feed, twice as once; purges; refuses an unknown format", arguments: TestEngine.available)
    func importTwice(_ engine: TestEngine) async throws {
        try await engine.withDatabaseURL { databaseURL async throws in
            try await TemporaryDirectory.with { directory async throws in
                let ins = INS.fixture()
                let file = directory.appendingPathComponent("feed.jsonl")
                let today = Date().formatted(.iso8601.year().month().day())
                try (1...3).map { #"{"claimId": "L\#($0)", "ins": "\#(ins.value)", "insSystem": "\#(ins.system.uri)", "serviceDate": "\#(today)", "code": "C", "label": "synthetic"}"# }
                    .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
                let storage = databaseURL.map { ["--database", $0] } ?? ["--data", directory.path]
                for _ in 0..<2 {
                    let command = try #require(try Carnet.parseAsRoot(["import", "claims", file.path] + storage) as? ImportClaims)
                    try await command.run()
                }
                let configuration = CarnetConfiguration(dataDirectory: directory, databaseURL: databaseURL)
                let store = try await StoreOpening.open(configuration, logger: Logger(label: "test"))
                #expect(try await store.claims(ins: ins, from: Claim.windowStart(at: Date())).count == 3)
                let imports = try await store.chainedAuditEvents(after: nil, limit: 1_000).map(\.event).filter { $0.action == .importCareHistory }
                #expect(imports.count == 2 && imports.allSatisfy { $0.outcome == .success && $0.actorKind == .insurer })
                await store.shutdown()
                let purge = try #require(try Carnet.parseAsRoot(["care-history", "purge"] + storage) as? PurgeCareHistory)
                try await purge.run()
                #expect(throws: (any Error).self) { try Carnet.parseAsRoot(["import", "claims", file.path, "--format", "xml"]) }
            }
        }
    }

    /// What a meter wrote, and a clock the test moves.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        private var now = Date(timeIntervalSince1970: 1_000_000)
        var written: String { lock.withLock { text } }
        func write(_ chunk: String) { lock.withLock { text += chunk } }
        func time() -> Date { lock.withLock { now } }
        func advance(_ seconds: TimeInterval) { lock.withLock { now += seconds } }
    }

    static func progress(lines: Int, of total: Int) -> ClaimImporter.Progress {
        ClaimImporter.Progress(lines: lines, bytes: lines * 100, totalBytes: total * 100, imported: lines - 1, duplicates: 0, rejected: 1)
    }

    @Test("not on a terminal: whole plain lines, at most one every 2 seconds, with rate and ETA")
    func plainLines() {
        let recorder = Recorder()
        let meter = ProgressMeter(interactive: false, output: recorder.write, clock: recorder.time)
        recorder.advance(10)
        meter.show(Self.progress(lines: 1_000, of: 4_000))
        recorder.advance(1)
        meter.show(Self.progress(lines: 1_100, of: 4_000))  // within 2 s of the last line: not printed
        recorder.advance(9)
        meter.show(Self.progress(lines: 2_000, of: 4_000))
        meter.finish()
        let lines = recorder.written.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == [
            "progress: 25% 1000 lines, 100 lines/s, 999 imported, 0 already there, 1 rejected, ETA 0:30",
            "progress: 50% 2000 lines, 100 lines/s, 1999 imported, 0 already there, 1 rejected, ETA 0:20",
            "",
        ], "\(recorder.written)")
        #expect(!recorder.written.contains("\r"))
    }

    @Test("on a terminal: one bar redrawn in place at every batch, a newline when done")
    func bar() {
        let recorder = Recorder()
        let meter = ProgressMeter(interactive: true, output: recorder.write, clock: recorder.time)
        recorder.advance(5)
        meter.show(Self.progress(lines: 500, of: 1_000))
        recorder.advance(0.5)
        meter.show(Self.progress(lines: 1_000, of: 1_000))
        meter.finish()
        let draws = recorder.written.split(separator: "\r", omittingEmptySubsequences: true)
        #expect(draws.count == 2, "\(recorder.written)")
        #expect(draws.first?.hasPrefix("[" + String(repeating: "#", count: 15) + String(repeating: ".", count: 15) + "] 50% 500 lines, 100 lines/s") == true)
        #expect(draws.last?.hasPrefix("[" + String(repeating: "#", count: 30) + "] 100% 1000 lines") == true && draws.last?.contains("ETA 0:00") == true)
        #expect(recorder.written.hasSuffix("\n") && recorder.written.filter { $0 == "\n" }.count == 1)
    }
}
