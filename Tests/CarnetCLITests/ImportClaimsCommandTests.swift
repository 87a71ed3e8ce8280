import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import Logging
import Testing
@testable import carnet

/// `carnet import claims` and `carnet care-history purge` through the command line.
@Suite("carnet import claims")
struct ImportClaimsCommandTests {
    @Test("imports a feed into the data directory, twice as once; refuses an unknown format")
    func importTwice() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let ins = INS.fixture()
            let file = directory.appendingPathComponent("feed.jsonl")
            let today = Date().formatted(.iso8601.year().month().day())
            try (1...3).map { #"{"claimId": "L\#($0)", "ins": "\#(ins.value)", "insSystem": "\#(ins.system.uri)", "serviceDate": "\#(today)", "code": "C", "label": "synthetic"}"# }
                .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            for _ in 0..<2 {
                let command = try #require(try Carnet.parseAsRoot(["import", "claims", file.path, "--data", directory.path]) as? ImportClaims)
                try await command.run()
            }
            let store = try await StoreOpening.open(CarnetConfiguration(dataDirectory: directory), logger: Logger(label: "test"))
            #expect(try await store.claims(ins: ins, from: Claim.windowStart(at: Date())).count == 3)
            await store.shutdown()
            let purge = try #require(try Carnet.parseAsRoot(["care-history", "purge", "--data", directory.path]) as? PurgeCareHistory)
            try await purge.run()
            #expect(throws: (any Error).self) { try Carnet.parseAsRoot(["import", "claims", file.path, "--format", "xml"]) }
        }
    }
}
