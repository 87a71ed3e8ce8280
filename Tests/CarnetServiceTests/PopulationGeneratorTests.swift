import CarnetCore
@testable import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The synthetic population: deterministic for a seed, idempotent, valid identities, a heavy tail of
/// documents, and records the service serves like any other.
@Suite("Synthetic population")
struct PopulationGeneratorTests {
    @Test("the same seed gives the same population; a second run adds nothing", arguments: TestEngine.available)
    func deterministic(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            try await TemporaryDirectory.with { directory async throws in
                let blobs = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
                let generator = PopulationGenerator(store: store, blobs: blobs, now: testInstant)
                let options = PopulationGenerator.Options(patients: 40, documentsPerPatient: 6, claimsPerPatient: 3, seed: 7)
                let first = try await generator.run(options)
                #expect(first.patients == 40 && first.alreadyThere == 0 && first.claims == 120)
                #expect(first.documents > 40 && first.documents < 40 * 30, "about six per patient: \(first.documents)")
                let again = try await generator.run(options)
                #expect(again.alreadyThere == 40 && again.documents == 0 && again.claims == 0)

                var random = SplitMix64(seed: 7 &+ 3 &* 0x9E37_79B9_7F4A_7C15)
                let ins = try PopulationGenerator.patient(3, &random).ins
                let record = try #require(try await store.record(ins: ins), "patient 3 is where the seed puts it")
                #expect(ins.system == .test)
                _ = try INS(ins.value, system: .test, keyChecking: .strict)

                // Served like any record: its authorised professionals find its documents.
                let service = RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled(), clock: { testInstant })
                let controls = try await store.accessControls(recordID: record.id)
                let reader = try #require(controls.authorisations.keys.sorted().first)
                let profession = PopulationGenerator.professionals(count: 50, seed: 7).first { $0.rpps.value == reader }?.profession ?? .physician
                let found = try await service.searchDocuments(of: .record(record.id), DocumentQuery(),
                                                              by: Actor(role: .professional(Professional(rpps: try RPPS(reader), profession: profession))))
                let stored = try await store.documents(recordID: record.id)
                #expect(found.total <= stored.count)
                if let first = stored.first {
                    let content = try await service.documentContent(first.id, by: .patient(ins)).content
                    #expect(content.count == first.content.size && String(decoding: content.prefix(40), as: UTF8.self).hasPrefix("Document synthétique"))
                }
            }
        }
    }

    @Test("document counts have the asked mean and a heavy tail")
    func heavyTail() {
        var random = SplitMix64(seed: 1)
        let counts = (0..<20_000).map { _ in PopulationGenerator.documentCount(mean: 10, &random) }
        let mean = Double(counts.reduce(0, +)) / Double(counts.count)
        #expect(mean > 7 && mean < 13, "\(mean)")
        #expect(counts.filter { $0 <= 10 }.count > counts.count / 2, "most have a handful")
        #expect(counts.contains { $0 >= 100 }, "a few have hundreds")
    }
}
