public import CarnetCore
public import CarnetStore
public import Foundation
import Logging

/// The insurer's feed over HTTP as jobs kept in the store: accepted (queued), run by the node that
/// spooled the feed, followed by the actor who started it — and by no one else: the same staff id
/// under another kind of actor (an agent named like the feed) is someone else (issue 23.16). A job id
/// answers after a restart and on every node sharing the database (issue 15).
extension RecordService {
    /// Queues a feed spooled at `file` as a job of `actor`'s, decided as the feed is (insurer only) and audited.
    public func queueImport(id: String, spooledAt file: URL, format: ClaimImporter.Format, by actor: Actor) async throws -> ImportJob {
        let decision = try await authoriseFeed(.importCareHistory, by: actor)
        let now = clock()
        let job = ImportJob(id: id, ownerKind: actor.kind, ownerID: actor.identifier, format: format.rawValue, spoolPath: file.path,
                            createdAt: now, updatedAt: now)
        try await store.saveImportJob(job)
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: now, actor: actor, action: .importCareHistory,
                                               resources: ["$import-claims/\(id)"], outcome: .success, rule: decision.rule,
                                               detail: "feed accepted, job queued"))
        return job
    }

    /// The job as its owner follows it. Anyone else, and an unknown id, get "not found", audited.
    public func importJob(_ id: String, by actor: Actor) async throws -> ImportJob {
        guard let job = try await store.importJob(id: id) else {
            try await auditMiss(.importCareHistory, by: actor, detail: "$import-claims/\(id)")
            throw AccessError.notFound
        }
        guard job.ownerKind == actor.kind, job.ownerID == actor.identifier else {
            try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .importCareHistory,
                                                   resources: ["$import-claims/\(id)"], outcome: .denied, rule: .roleNotAllowed,
                                                   detail: "import job started by another actor"))
            throw AccessError.notFound
        }
        return job
    }

    /// The ids of the unfinished jobs whose feed was spooled under `directory` (this node's): what a
    /// starting node resumes. Another node's jobs are left to it.
    public func importJobsToResume(spooledUnder directory: URL) async throws -> [String] {
        let prefix = directory.standardizedFileURL.path + "/"
        return try await store.importJobs(in: [.queued, .running]).filter { $0.spoolPath.hasPrefix(prefix) }.map(\.id)
    }

    /// Runs a queued (or interrupted) job to its end as the actor who started it: the import is decided
    /// again for that actor, and resumes where an interrupted run stopped (the importer's checkpoints).
    /// Its state is saved after every batch. Cancelled (a node shutting down), it stays running, to be
    /// resumed; a failure is kept with its reason. The spooled feed is removed once imported; its
    /// rejects file stays beside it for the insurer's operators.
    public func runImportJob(_ id: String, keyChecking: INS.KeyChecking) async throws {
        guard var job = try await store.importJob(id: id), !job.isFinished else { return }
        job.state = .running
        job.updatedAt = clock()
        try await store.saveImportJob(job)
        let file = URL(fileURLWithPath: job.spoolPath)
        do {
            guard job.ownerKind == .insurer else { throw ImportJobError.ownerMayNotFeed }
            guard FileManager.default.fileExists(atPath: file.path) else { throw ImportJobError.feedLost }
            let started = job
            let summary = try await importCareHistory(file: file, format: ClaimImporter.Format(rawValue: job.format), keyChecking: keyChecking,
                                                      by: Actor(role: .insurer(id: job.ownerID))) { progress in
                var running = started
                running.linesRead = progress.lines
                running.imported = progress.imported
                running.duplicates = progress.duplicates
                running.rejected = progress.rejected
                running.updatedAt = self.clock()
                try? await self.store.saveImportJob(running)
            }
            try? FileManager.default.removeItem(at: file)
            job.state = .succeeded
            job.linesRead = summary.lines
            job.imported = summary.imported
            job.duplicates = summary.duplicates
            job.rejected = summary.rejected
        } catch {
            // A node shutting down stops the import at a batch boundary: the job stays running, to be resumed.
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            logger.error("claims import failed", metadata: ["job": "\(id)", "error": "\(error)"])
            job.state = .failed
            job.failure = "\(error)"
            job.failureIsClientError = error is ClaimImportError
        }
        job.updatedAt = clock()
        try await store.saveImportJob(job)
    }
}

/// Why a job could not run at all.
public enum ImportJobError: Error, Sendable, CustomStringConvertible {
    /// Only the insurer feeds the care history; a job owned by anyone else is not run.
    case ownerMayNotFeed
    /// The spooled feed is gone from the node that accepted it.
    case feedLost

    public var description: String {
        switch self {
        case .ownerMayNotFeed: "only the insurer's feed is imported"
        case .feedLost: "the feed received is no longer on this node; post it again (the import resumes, nothing is added twice)"
        }
    }
}
