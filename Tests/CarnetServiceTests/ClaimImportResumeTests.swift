import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// An import interrupted mid-way (as Ctrl-C or a crash leaves it: batches committed up to a point,
/// rejected lines already listed past it) resumes where its last batch committed: every claim once,
/// every rejected line listed once, the counts of the whole file.
@Suite("Claims import: resume after an interruption")
struct ClaimImportResumeTests {
    static func line(_ number: Int, ins: INS = .fixture()) -> String {
        #"{"claimId": "R\#(number)", "ins": "\#(ins.value)", "insSystem": "\#(ins.system.uri)", "serviceDate": "2026-10-01", "code": "C", "label": "synthetic"}"#
    }

    /// The line numbers a rejects file lists, in order.
    static func rejectedLines(_ file: URL) throws -> [Int] {
        try String(contentsOf: file.appendingPathExtension("rejects"), encoding: .utf8).split(separator: "\n").compactMap { entry in
            Int(entry.dropFirst("line ".count).prefix { $0.isNumber })
        }
    }

    @Test("interrupted after its first batch, then resumed: no claim or rejects line twice", arguments: TestEngine.available)
    func resume(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            try await TemporaryDirectory.with { directory async throws in
                // Lines 2, 5 and 8 are malformed; with batches of 3 claims the first commit is after line 4.
                let lines = (1...10).map { [2, 5, 8].contains($0) ? "{\"claimId\": \"broken \($0)\"}" : Self.line($0) }
                let file = directory.appendingPathComponent("feed.ndjson")
                try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
                let importer = ClaimImporter(store: store, keyChecking: .relaxedForTestIdentities, batchSize: 3)
                let feed = Actor(role: .insurer(id: "import:test"))

                // The first run is interrupted as soon as its first batch is committed.
                let interrupted = Task {
                    try await importer.run(file: file, by: feed) { _ in withUnsafeCurrentTask { $0?.cancel() } }
                }
                await #expect(throws: CancellationError.self) { try await interrupted.value }
                let committed = try await store.claims(ins: .fixture(), from: try PartialDate("2000-01-01")).count
                #expect(committed == 3, "lines 1, 3 and 4")
                #expect(try Self.rejectedLines(file) == [2, 5, 8], "the interrupted run listed lines past its checkpoint")

                let resumed = try await importer.run(file: file, by: feed)
                #expect(resumed.resumedAfter == 4 && resumed.lines == 10, "\(resumed)")
                #expect(resumed.imported == 7 && resumed.duplicates == 0 && resumed.rejected == 3, "\(resumed)")
                #expect(try Self.rejectedLines(file) == [2, 5, 8], "each rejected line once")
                let ids = try await store.claims(ins: .fixture(), from: try PartialDate("2000-01-01")).map(\.id).sorted()
                #expect(ids == ["R1", "R10", "R3", "R4", "R6", "R7", "R9"])

                // A finished import run again resumes past its end and keeps its rejects as they are.
                let again = try await importer.run(file: file, by: feed)
                #expect(again.resumedAfter == 10 && again.imported == 7 && again.rejected == 3)
                #expect(try Self.rejectedLines(file) == [2, 5, 8])
            }
        }
    }
}
