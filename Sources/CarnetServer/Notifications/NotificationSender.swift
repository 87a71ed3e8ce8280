public import CarnetCore
public import Logging

/// Delivers one notification to its patient. Throwing means "not delivered": the dispatcher retries
/// unless the error is ``NotificationDeliveryError/permanent(_:)``.
public protocol NotificationSender: Sendable {
    func deliver(_ notification: PatientNotification, to record: HealthRecord) async throws
}

public enum NotificationDeliveryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Retrying cannot help (no address, address refused).
    case permanent(String)
    /// The server answered with a temporary failure or the connection failed.
    case temporary(String)

    public var description: String {
        switch self {
        case .permanent(let reason), .temporary(let reason): reason
        }
    }
}

/// The default sender: writes that a notification was due to the log, without its text (which may
/// name a professional or an emergency reason) — enough to run Carnet without a mail server.
public struct LogNotificationSender: NotificationSender {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func deliver(_ notification: PatientNotification, to record: HealthRecord) async throws {
        logger.info("patient notification", metadata: ["kind": "\(notification.kind.rawValue)", "notification": "\(notification.id)"])
    }
}
