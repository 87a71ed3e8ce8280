public import CarnetCore
import Foundation
import Synchronization

/// Tokens already verified, with the actor each stands for, until they expire.
///
/// Software calls with the same bearer token for hours; checking its ES256 signature again on every
/// request was a few percent of each request's CPU. The same bytes verify the same way, so a token
/// seen valid stays valid until its `exp` — the only time-dependent check (the issuer is fixed, and
/// a retired signing key keeps verifying longer than any token it signed lives). Bounded: when full,
/// it starts over, so memory stays small whoever sends what.
final class VerifiedTokens: Sendable {
    private let entries = Mutex<[String: (actor: Actor, expiry: Date)]>([:])
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The actor of a token verified before, if it has not expired at `now`.
    func actor(for token: String, now: Date) -> Actor? {
        entry(for: token, now: now)?.actor
    }

    /// The actor of a token verified before and when it expires, if it has not expired at `now`.
    func entry(for token: String, now: Date) -> (actor: Actor, expiry: Date)? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiry else {
                entries[token] = nil
                return nil
            }
            return entry
        }
    }

    func remember(_ token: String, actor: Actor, expiry: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = (actor, expiry)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
