public import CarnetCore
public import CarnetStore
public import Foundation
public import Logging
public import ServiceLifecycle

/// Empties the notification outbox: claims due notifications, delivers each through the sender,
/// marks it sent, or schedules a retry with exponential backoff (gives up after ``maximumAttempts``).
///
/// Delivery is at least once: a crash between sending and marking can repeat a message, never lose one.
public struct NotificationDispatcher: Service {
    let store: any RecordStore
    let sender: any NotificationSender
    let logger: Logger
    let interval: Duration
    let clock: @Sendable () -> Date

    public static let maximumAttempts = 8

    public init(store: any RecordStore, sender: any NotificationSender, logger: Logger, interval: Duration = .seconds(2),
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.sender = sender
        self.logger = logger
        self.interval = interval
        self.clock = clock
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

    /// One pass over the due notifications; returns how many were delivered.
    @discardableResult
    public func dispatchDue(limit: Int = 100) async throws -> Int {
        let now = clock()
        var delivered = 0
        for notification in try await store.claimDueNotifications(now: now, lease: 300, limit: limit) {
            let attempts = try await store.notifications(recordID: notification.recordID)
                .first { $0.notification.id == notification.id }?.attempts ?? 0
            do {
                guard let record = try await store.record(id: notification.recordID) else {
                    throw NotificationDeliveryError.permanent("the record no longer exists")
                }
                try await sender.deliver(notification, to: record)
                try await store.markNotificationSent(notification.id, at: clock())
                delivered += 1
            } catch {
                let permanent = if case NotificationDeliveryError.permanent = error { true } else { false }
                let giveUp = permanent || attempts + 1 >= Self.maximumAttempts
                let retryAt = giveUp ? nil : now.addingTimeInterval(Self.backoff(afterAttempts: attempts + 1))
                try await store.markNotificationFailed(notification.id, error: "\(error)", retryAt: retryAt)
                logger.warning("notification not delivered", metadata: [
                    "notification": "\(notification.id)", "kind": "\(notification.kind.rawValue)", "attempt": "\(attempts + 1)",
                    "final": "\(giveUp)",
                ])
            }
        }
        return delivered
    }

    /// Seconds before the next attempt: 30 s, 1 min, 2 min… capped at one hour.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(3_600, 30 * pow(2, Double(max(0, attempts - 1))))
    }
}
