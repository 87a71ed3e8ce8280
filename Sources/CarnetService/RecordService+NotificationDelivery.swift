public import CarnetCore
import CarnetStore
public import Foundation
import Logging

/// Emptying the notification outbox goes through the door like everything else that reads a record:
/// the dispatcher (a background service of the server) asks the service for what is due and hands
/// each message to its sender, and never holds the store itself (issue 15, "no second door").
///
/// This is the system acting, not a person: it reads only what a message needs (the holder's contact)
/// and appends no access event, as the DMP's own notification service does not appear in a patient's
/// history; the notification was written, with its fact, when someone acted.
extension RecordService {
    /// Attempts after which a notification is given up (about two hours of retries, see ``notificationBackoff(afterAttempts:)``).
    public static let maximumNotificationAttempts = 8

    /// One pass over the due notifications: each is delivered by `deliver`, then marked sent, or scheduled
    /// again with exponential backoff (given up after ``maximumNotificationAttempts`` or a permanent failure).
    /// Delivery is at least once: a crash between delivering and marking repeats a message, never loses one.
    ///
    /// - Parameter isPermanent: whether a delivery error means retrying cannot help (no address, address refused).
    /// - Returns: how many were delivered.
    @discardableResult
    public func deliverDueNotifications(limit: Int = 100, isPermanent: @Sendable (any Error) -> Bool,
                                        deliver: @Sendable (PatientNotification, HealthRecord) async throws -> Void) async throws -> Int {
        let now = clock()
        var delivered = 0
        for notification in try await store.claimDueNotifications(now: now, lease: 300, limit: limit) {
            let attempts = try await store.notifications(recordID: notification.recordID)
                .first { $0.notification.id == notification.id }?.attempts ?? 0
            do {
                guard let record = try await store.record(id: notification.recordID) else { throw RecordGone() }
                try await deliver(notification, record)
                try await store.markNotificationSent(notification.id, at: clock())
                delivered += 1
            } catch {
                let giveUp = error is RecordGone || isPermanent(error) || attempts + 1 >= Self.maximumNotificationAttempts
                let retryAt = giveUp ? nil : now.addingTimeInterval(Self.notificationBackoff(afterAttempts: attempts + 1))
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
    public static func notificationBackoff(afterAttempts attempts: Int) -> TimeInterval {
        min(3_600, 30 * pow(2, Double(max(0, attempts - 1))))
    }

    /// The record a notification was about no longer exists: nothing to deliver to, never retried.
    private struct RecordGone: Error, CustomStringConvertible {
        var description: String { "the record no longer exists" }
    }
}
