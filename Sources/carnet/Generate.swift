import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import Foundation
import Logging

/// `carnet generate`: a synthetic population for benchmarks, loaded straight into the store
/// (README "Benchmarks"). Deterministic for a seed; re-running adds nothing twice.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic population (patients, documents, claims) for benchmarks; synthetic data only.")

    @OptionGroup var storage: StorageOptions

    @Option(help: "How many patients.")
    var patients: Int

    @Option(help: "Mean documents per patient (a heavy tail: most have a few, some hundreds).")
    var documentsPerPatient = 10

    @Option(help: "Claims per patient, over the last 30 months.")
    var claimsPerPatient = 0

    @Option(help: "The seed: the same seed gives the same population.")
    var seed: UInt64 = 1

    func validate() throws {
        guard patients > 0 && patients <= 19_000_000 else { throw ValidationError("--patients must be between 1 and 19,000,000") }
        guard documentsPerPatient >= 0 && claimsPerPatient >= 0 else { throw ValidationError("counts must not be negative") }
    }

    func run() async throws {
        var logger = Logger(label: "carnet.generate")
        logger.logLevel = .warning
        let configuration = storage.configuration
        let store = try await StoreOpening.open(configuration, logger: logger)
        let generator = PopulationGenerator(store: store, blobs: try StoreOpening.openBlobs(configuration, store: store))
        let meter = ProgressMeter(interactive: isatty(STDERR_FILENO) == 1)
        do {
            let summary = try await generator.run(.init(patients: patients, documentsPerPatient: documentsPerPatient,
                                                        claimsPerPatient: claimsPerPatient, seed: seed)) { progress in
                meter.show(count: progress.patients, unit: "patients", fraction: Double(progress.patients) / Double(max(progress.totalPatients, 1)),
                           detail: "\(progress.documents) documents, \(progress.claims) claims")
            }
            meter.finish()
            print(summary)
            await store.shutdown()
        } catch {
            meter.finish()
            await store.shutdown()
            throw error
        }
    }
}
