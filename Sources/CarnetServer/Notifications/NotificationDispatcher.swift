public import CarnetCore
public import CarnetService
public import Foundation
public import Logging
public import ServiceLifecycle

/// Empties the notification outbox: claims due notifications, delivers each through the sender,
/// marks it sent, or schedules a retry with exponential backoff (gives up after ``maximumAttempts``).
///
/// Delivery is at least once: a crash between sending and marking can repeat a message, never lose one.
public struct NotificationDispatcher: Service {
    let service: RecordService
    let sender: any NotificationSender
    let logger: Logger
    let interval: Duration

    public static let maximumAttempts = RecordService.maximumNotificationAttempts

    public init(service: RecordService, sender: any NotificationSender, logger: Logger, interval: Duration = .seconds(2)) {
        self.service = service
        self.sender = sender
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // Cut short by a graceful shutdown, so that stopping never waits a whole interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            do {
                _ = try await dispatchDue()
            } catch {
                logger.error("notification dispatch failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One pass over the due notifications (at the service's "now"); returns how many were delivered.
    @discardableResult
    public func dispatchDue(limit: Int = 100) async throws -> Int {
        let sender = sender
        return try await service.deliverDueNotifications(limit: limit, isPermanent: { error in
            if case NotificationDeliveryError.permanent = error { true } else { false }
        }, deliver: { notification, record in try await sender.deliver(notification, to: record) })
    }

    /// Seconds before the next attempt: 30 s, 1 min, 2 min… capped at one hour.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        RecordService.notificationBackoff(afterAttempts: attempts)
    }
}
