public import CarnetCore
public import CarnetService
public import Logging
public import ServiceLifecycle

/// Runs the care history's 24-month purge inside `carnet serve`: once at start, then every
/// ``interval`` (`--care-history-purge-hours`, daily by default).
///
/// Why in the server: claims older than 24 months must leave the record (DOMAIN.md), and a job that
/// depends on an operator remembering `carnet care-history purge` or a cron line is a job that is
/// forgotten. It goes through ``RecordService/purgeCareHistory(by:)`` like the command, so each run is
/// audited; nodes sharing a PostgreSQL database may each run it (a purge is idempotent). Reads never
/// serve older claims anyway: the purge is about keeping no more than the law allows.
public struct CareHistoryPurgeService: Service {
    let service: RecordService
    let logger: Logger
    /// Waits between two runs: the interval, cut short by a graceful shutdown; a test passes its own
    /// step, so it never waits for time to pass.
    let pause: @Sendable () async -> Void
    /// Who the purge acts as in the audit trail: the insurer's feed, whose data it removes.
    public static let actor = Actor(role: .insurer(id: "purge:carnet-serve"))

    public init(service: RecordService, interval: Duration, logger: Logger) {
        // Cut short by a graceful shutdown, so that stopping never waits a whole interval.
        self.init(service: service, logger: logger) { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } }
    }

    init(service: RecordService, logger: Logger, pause: @escaping @Sendable () async -> Void) {
        self.service = service
        self.logger = logger
        self.pause = pause
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                _ = try await service.purgeCareHistory(by: Self.actor)
            } catch {
                // A database that is away now may be back at the next run: never stop the server for it.
                logger.error("care history purge failed", metadata: ["error": "\(error)"])
            }
            await pause()
        }
    }
}
