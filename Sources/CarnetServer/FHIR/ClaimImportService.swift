import CarnetCore
import CarnetService
import Foundation
import Logging
import ServiceLifecycle

/// Runs the insurer's feed jobs of this node, one at a time, under ServiceLifecycle: the jobs this
/// node spooled and did not finish before it stopped first (an import resumes where it stopped),
/// then each job as it is accepted. A graceful shutdown stops the running import at a batch
/// boundary; the job stays running in the store and resumes at the next start.
struct ClaimImportService: Service {
    let service: RecordService
    let queue: ClaimImportQueue
    /// Where this node spools feeds (`<data>/imports`): its unfinished jobs are the ones spooled here.
    let spoolDirectory: URL
    let keyChecking: INS.KeyChecking
    let logger: Logger

    func run() async throws {
        for id in try await service.importJobsToResume(spooledUnder: spoolDirectory) {
            logger.info("resuming claims import", metadata: ["job": "\(id)"])
            try await runJob(id)
        }
        for await id in queue.accepted.cancelOnGracefulShutdown() {
            try await runJob(id)
        }
    }

    private func runJob(_ id: String) async throws {
        do {
            try await cancelWhenGracefulShutdown { try await service.runImportJob(id, keyChecking: keyChecking) }
        } catch is CancellationError {
            logger.info("claims import interrupted, to be resumed", metadata: ["job": "\(id)"])
        } catch {
            // Saving the job's end failed (the database went away): the job resumes at the next start.
            logger.error("claims import job not recorded", metadata: ["job": "\(id)", "error": "\(error)"])
        }
    }
}

/// The jobs accepted by this node's routes, handed to its ``ClaimImportService``.
struct ClaimImportQueue: Sendable {
    let accepted: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init() {
        (accepted, continuation) = AsyncStream.makeStream(of: String.self)
    }

    func submit(_ id: String) { continuation.yield(id) }
}
