import CarnetCore
import Foundation
import HTTPTypes
import Hummingbird

/// Per-client request budgets (token buckets): an actor's requests on the API, a client address's
/// sign-in attempts. Over budget, a request is answered 429 with `Retry-After` and does nothing.
/// Kept in memory, per node: a shared limiter is for the national deployment's gateway.
actor RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private var buckets: [String: Bucket] = [:]
    let perMinute: Int
    private var sweeps = 0

    init(perMinute: Int) {
        self.perMinute = perMinute
    }

    /// Takes one request from `key`'s budget; `nil` when allowed, else the seconds to wait.
    func take(_ key: String, now: Date) -> Int? {
        guard perMinute > 0 else { return nil }
        let rate = Double(perMinute) / 60
        var bucket = buckets[key] ?? Bucket(tokens: Double(perMinute), updated: now)
        bucket.tokens = min(Double(perMinute), bucket.tokens + now.timeIntervalSince(bucket.updated) * rate)
        bucket.updated = now
        defer {
            buckets[key] = bucket
            sweep(now: now)
        }
        guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
        bucket.tokens -= 1
        return nil
    }

    /// Forgets full buckets now and then, so idle clients cost nothing.
    private func sweep(now: Date) {
        sweeps += 1
        guard sweeps % 10_000 == 0 else { return }
        let rate = Double(perMinute) / 60
        buckets = buckets.filter { $0.value.tokens + now.timeIntervalSince($0.value.updated) * rate < Double(perMinute) }
    }
}

/// The answer to a request over its budget.
enum RateLimited: Error {
    case retryAfter(Int)
}

/// Applies an actor's budget to authenticated FHIR requests (after authentication names the actor).
struct ActorRateLimitMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext
    let limiter: RateLimiter
    /// The service's clock (``RecordService/now()``).
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let actor = context.actor { try await charge(actor) }
        return try await next(request, context)
    }

    /// Takes one request from `actor`'s budget; also called by the XDS.b door for an actor only its VIHF names.
    func charge(_ actor: Actor) async throws {
        if let wait = await limiter.take("\(actor.kind.rawValue):\(actor.identifier)", now: now()) {
            throw RateLimited.retryAfter(wait)
        }
    }
}
