public import CarnetCore
public import Foundation

/// Where the insurer's bulk-feed jobs are kept, so that a job id answers after a restart and on any
/// node sharing the database (issue 15: "a restart no longer forgets job ids"; issue 17: stateless nodes).
/// Holds no health data: counts, an owner, a state, and where the spooled feed waits on the node that took it.
public protocol ImportJobStore: Sendable {
    /// Inserts the job, or replaces the stored one with the same id.
    func saveImportJob(_ job: ImportJob) async throws

    func importJob(id: String) async throws -> ImportJob?

    /// The jobs in any of `states`, oldest first (a starting node resumes the ones it spooled).
    func importJobs(in states: Set<ImportJob.State>) async throws -> [ImportJob]
}

/// One feed accepted over HTTP and what became of it.
public struct ImportJob: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case queued, running, succeeded, failed
    }

    public var id: String
    /// Who started it: the only one who may follow it (kind and identifier, issue 23.16).
    public var ownerKind: Actor.Kind
    public var ownerID: String
    public var format: String
    /// The spooled feed, on the node that accepted it (`<data>/imports/<id>.<format>`).
    public var spoolPath: String
    public var state: State
    public var linesRead: Int
    public var imported: Int
    public var duplicates: Int
    public var rejected: Int
    /// Why it failed, when it did, in words fit for the insurer's operators (no health data).
    public var failure: String?
    /// The feed itself was wrong (a CSV header without the required fields, say): the client's error.
    public var failureIsClientError: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, ownerKind: Actor.Kind, ownerID: String, format: String, spoolPath: String, state: State = .queued,
                linesRead: Int = 0, imported: Int = 0, duplicates: Int = 0, rejected: Int = 0, failure: String? = nil,
                failureIsClientError: Bool = false, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.ownerKind = ownerKind
        self.ownerID = ownerID
        self.format = format
        self.spoolPath = spoolPath
        self.state = state
        self.linesRead = linesRead
        self.imported = imported
        self.duplicates = duplicates
        self.rejected = rejected
        self.failure = failure
        self.failureIsClientError = failureIsClientError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the job will not change any more.
    public var isFinished: Bool { state == .succeeded || state == .failed }
}
