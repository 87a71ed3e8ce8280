import CarnetCore
import Foundation

/// Who is calling on the XDS.b door: the professional of a verified VIHF when the message carries
/// one, else the actor the bearer token or the client certificate established (``AuthenticationMiddleware``).
///
/// An assertion present is never ignored: it verifies, or the request is refused (401), even when a
/// token also came — software that sends a VIHF means its patient scope and access mode to apply.
/// When both come, they must name the same professional, as a token and a certificate must.
struct XDSIdentity {
    let trust: VIHFTrust?
    let keyChecking: INS.KeyChecking
    /// The per-actor request budget, charged here for actors only a VIHF names (the middleware could not know them).
    let limit: ActorRateLimitMiddleware

    func actor(for envelope: SOAPEnvelope, authenticated: Actor?, now: Date) async throws -> Actor {
        guard VIHFAssertion.isPresent(in: envelope.root) else {
            guard let authenticated else { throw AuthenticationError.missing }
            return authenticated
        }
        let actor: Actor
        do throws(VIHFRefusal) {
            let assertion = try VIHFAssertion.verify(in: envelope.root, trust: trust, now: now)
            actor = try VIHFIdentity.actor(from: assertion.element, keyChecking: keyChecking)
        } catch {
            throw error.fault
        }
        if let authenticated {
            guard authenticated.professional?.rpps == actor.professional?.rpps else {
                throw VIHFRefusal.failedAuthentication("the bearer token or client certificate names another actor than the assertion").fault
            }
        } else {
            try await limit.charge(actor)
        }
        return actor
    }
}
