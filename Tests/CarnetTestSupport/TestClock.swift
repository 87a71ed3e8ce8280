public import Foundation
import Synchronization

/// A clock the test moves: passed to `buildApplication(clock:)` or `RecordService(clock:)`, it lets a
/// test see a token expire, a session end or a window close without waiting for time to pass.
public final class TestClock: Sendable {
    private let instant: Mutex<Date>

    public init(_ start: Date = Date()) {
        instant = Mutex(start)
    }

    /// "Now", as the application reads it.
    @Sendable public func now() -> Date { instant.withLock { $0 } }

    /// Moves time forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
