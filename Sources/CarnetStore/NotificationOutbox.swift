public import CarnetCore
public import Foundation

/// The outbox of patient notifications. Rows are added by the engines in the same transaction as the
/// audit event of their fact (``PatientNotification/triggered(by:wantsNewDocumentNotices:)``); a
/// dispatcher claims due rows, delivers them, and marks each sent or schedules a retry.
public protocol NotificationOutbox: Sendable {
    /// Claims up to `limit` pending notifications due at `now`, pushing their next attempt `lease`
    /// seconds ahead so that another dispatcher (another node) does not take them meanwhile.
    func claimDueNotifications(now: Date, lease: TimeInterval, limit: Int) async throws -> [PatientNotification]

    func markNotificationSent(_ id: UUID, at date: Date) async throws

    /// Counts a failed attempt; retries at `retryAt`, or gives up (status failed) when it is `nil`.
    func markNotificationFailed(_ id: UUID, error: String, retryAt: Date?) async throws

    /// A record's notifications, oldest first, with their delivery state.
    func notifications(recordID: RecordID) async throws -> [OutboxEntry]

    /// Notifications not yet delivered (pending), for metrics.
    func notificationBacklog() async throws -> Int

    /// Adds a notification no audited fact triggers (a sign-in code), with the audit event that says
    /// it was sent, in one transaction.
    func addNotification(_ notification: PatientNotification, audit: AuditEvent) async throws
}

/// A notification and where its delivery stands.
public struct OutboxEntry: Sendable, Equatable {
    public var notification: PatientNotification
    public var status: NotificationStatus
    public var attempts: Int

    public init(notification: PatientNotification, status: NotificationStatus, attempts: Int) {
        self.notification = notification
        self.status = status
        self.attempts = attempts
    }
}
