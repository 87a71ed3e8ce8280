import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 24.6: a request refused because its target may not be known, and a request for a target that
/// does not exist, answer alike in words (the leak suite) and must in time too: the difference in
/// latency would tell what the words do not. The store does the same reads and decoding for both (a
/// miss reads another row — the next one on SQLite, a decoy by exact key on PostgreSQL — and throws it
/// away), and both write one audit event.
///
/// Measured here through the router, in process (no network), interleaving the two kinds so that load
/// from elsewhere falls on both alike; bounded to a few hundred requests per pair.
@Suite("Timing: refused and missing answer alike")
struct TimingEqualityTests {
    static let rounds = 200

    /// Latencies in milliseconds of each request kind, sorted, the kinds taken in turn.
    static func latencies(_ requests: [@Sendable () async throws -> TestResponse]) async throws -> [[Double]] {
        var samples = Array(repeating: [Double](), count: requests.count)
        for round in 0..<(rounds + 20) {
            for offset in requests.indices {
                let index = (offset + round) % requests.count
                let start = ContinuousClock.now
                let response = try await requests[index]()
                let elapsed = ContinuousClock.now - start
                #expect(response.status == .notFound || response.status == .ok, "\(response.text)")
                // The first rounds warm caches and connections.
                if round >= 20 { samples[index].append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15) }
            }
        }
        return samples.map { $0.sorted() }
    }

    static func median(_ sorted: [Double]) -> Double { sorted[sorted.count / 2] }

    /// The two medians may differ by noise, not by work: at most 0.3 ms or 15 % of the missing one.
    /// - Parameter judging: whether a difference fails the test, or is only reported (a first measure,
    ///   taken again when it differs: the suite's other tests run beside this one and load the machine
    ///   in bursts; a real difference in work shows in both measures).
    @discardableResult
    static func expectAlike(_ refused: [Double], _ missing: [Double], _ what: String, judging: Bool = true) -> Bool {
        let difference = abs(median(refused) - median(missing))
        let tolerance = max(0.3, 0.15 * median(missing))
        print("timing \(what): refused p50 \(median(refused)) ms, missing p50 \(median(missing)) ms, difference \(difference) ms (tolerance \(tolerance))")
        if judging { #expect(difference <= tolerance, "\(what): refused p50 \(median(refused)) ms vs missing p50 \(median(missing)) ms") }
        return difference <= tolerance
    }

    @Test("a hidden document, another person's INS and another person's record take the time of what does not exist",
          arguments: TestEngine.available)
    func refusedAndMissingAlike(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            // Several records and documents, as in any real store, for the misses' decoy reads.
            for seed in 9...14 {
                _ = try await createPatient(client, tokens, .fixture(seed))
                _ = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(.fixture(seed)))
            }
            let stranger = try await tokens.bearer(.doctor("99700000033"))
            let other = try await tokens.bearer(.patient(.fixture(9)))
            let id = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            let ins = INS.fixture()
            let missingINS = INS.fixture(8)
            let measure = { try await Self.latencies([
                { try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: stranger) },
                { try await client.execute(uri: "/fhir/DocumentReference/\(UUID().uuidString.lowercased())", method: .get, headers: stranger) },
                { try await client.execute(uri: "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)", method: .get, headers: other) },
                { try await client.execute(uri: "/fhir/Patient?identifier=\(missingINS.system.uri)%7C\(missingINS.value)", method: .get, headers: other) },
                { try await client.execute(uri: "/fhir/Patient/\(patientID)", method: .get, headers: other) },
                { try await client.execute(uri: "/fhir/Patient/\(UUID().uuidString.lowercased())", method: .get, headers: other) },
            ]) }
            let pairs = [(0, 1, "document"), (2, 3, "INS search"), (4, 5, "Patient read")]
            let first = try await measure()
            let firstAlike = pairs.map { Self.expectAlike(first[$0.0], first[$0.1], "\(engine) \($0.2)", judging: false) }
            guard firstAlike.contains(false) else { return }
            let second = try await measure()
            for (pair, alike) in zip(pairs, firstAlike) where !alike {
                Self.expectAlike(second[pair.0], second[pair.1], "\(engine) \(pair.2), measured again")
            }
        }
    }
}
