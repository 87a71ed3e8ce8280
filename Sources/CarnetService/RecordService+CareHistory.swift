public import CarnetCore
import CarnetStore
public import Foundation
import Logging

/// The care history through the one door, decided by ``AccessPolicy/decideCareHistory(of:by:in:)``
/// (the DMP's `REMB` document rules); only the last 24 months.
extension RecordService {
    /// A record's claims within the 24-month window, newest care first, filtered by `dates`.
    public func careHistory(of id: RecordID, dates: [DateCondition] = [], by actor: Actor) async throws -> [Claim] {
        let (record, decision, now, window) = try await decidedCareHistory(of: id, by: actor)
        let claims = window.filter { claim in
            let day = Self.day(claim.serviceDate)
            return dates.allSatisfy { $0.holds(for: day) }
        }
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: now, actor: actor, action: .readCareHistory,
                                               resources: [Self.reference(record.id)] + (claims.isEmpty ? [] : [Self.claimsReference(record.id)]),
                                               outcome: .success, rule: decision.rule, detail: "\(claims.count) claims"))
        return claims
    }

    /// How a read that returned claims names them in its audit event (the search that found them), so
    /// that an empty care history is told apart from a consulted one (``AuditEvent/disclosesContent``).
    static func claimsReference(_ id: RecordID) -> String { "ExplanationOfBenefit?patient=\(id)" }

    /// One claim of a record's care history (FHIR read of an `ExplanationOfBenefit`): the first claim
    /// within the 24-month window that `matches`, decided and audited as the whole history is, under
    /// `reference` (the resource the reader asked for). A claim outside the window is not found.
    public func careHistoryClaim(of id: RecordID, reference: String, matching matches: (Claim) -> Bool, by actor: Actor) async throws -> Claim {
        let (record, decision, now, window) = try await decidedCareHistory(of: id, by: actor)
        let claim = window.first(where: matches)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: now, actor: actor, action: .readCareHistory,
                                               resources: [Self.reference(record.id), reference], outcome: claim == nil ? .failed : .success,
                                               rule: decision.rule, detail: claim == nil ? "no such claim within 24 months" : "1 claim"))
        guard let claim else { throw AccessError.notFound }
        return claim
    }

    /// The record, the decision that lets `actor` read its care history (refusals audited and thrown)
    /// and the claims within the window, newest care first.
    private func decidedCareHistory(of id: RecordID, by actor: Actor) async throws -> (HealthRecord, Decision, Date, [Claim]) {
        guard let record = try await store.record(id: id) else {
            try await auditMiss(.readCareHistory, by: actor, detail: "Patient/\(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        let decision = AccessPolicy.decideCareHistory(of: record.id, by: actor, in: context)
        try await enforce(decision, .readCareHistory, by: actor, record: record)
        return (record, decision, context.now, try await store.claims(ins: record.ins, from: Claim.windowStart(at: context.now)))
    }

    /// Removes every claim older than the 24-month window; audited, refusals too. For operators and
    /// `carnet serve`'s timer (``Actor`` of the insurer's role), never a client of the API.
    public func purgeCareHistory(by actor: Actor) async throws -> Int {
        let decision = try await authoriseFeed(.purgeCareHistory, by: actor)
        let start = Claim.windowStart(at: clock())
        let purged = try await store.purgeClaims(before: start)
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .purgeCareHistory, outcome: .success,
                                               rule: decision.rule, detail: "\(purged) claims for care before \(start) removed"))
        logger.info("care history purged", metadata: ["claims": "\(purged)", "before": "\(start)"])
        return purged
    }

    /// Noon of the care day in Paris, so a date search on the day matches it.
    static func day(_ date: PartialDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return calendar.date(from: DateComponents(year: date.year, month: date.month ?? 1, day: date.day ?? 1, hour: 12)) ?? Date.distantPast
    }
}

extension RecordService {
    /// Imports an insurer's feed file: the insurer's feed only (a CLI operator acts as it). Audited
    /// (refusals too) and summarised in the audit trail.
    public func importCareHistory(file: URL, format: ClaimImporter.Format?, keyChecking: INS.KeyChecking, by actor: Actor,
                                  progress: @Sendable (ClaimImporter.Progress) async -> Void = { _ in }) async throws -> ClaimImporter.Summary {
        let decision = try await authoriseFeed(.importCareHistory, by: actor)
        return try await ClaimImporter(store: store, keyChecking: keyChecking, clock: clock)
            .run(file: file, format: format, by: actor, rule: decision.rule, progress: progress)
    }

    /// Adds claims given whole (the demo's, a test's), as the feed does: decided and audited like an import.
    /// Returns how many were new.
    public func importClaims(_ claims: [Claim], source: String, by actor: Actor) async throws -> Int {
        let decision = try await authoriseFeed(.importCareHistory, by: actor)
        let imported = try await store.addClaims(claims, checkpoint: ClaimImportCheckpoint(source: source, linesDone: claims.count, imported: 0,
                                                                                          duplicates: 0, rejected: 0))
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .importCareHistory, outcome: .success,
                                               rule: decision.rule, detail: "\(source): \(imported) of \(claims.count) claims new"))
        return imported
    }

    /// Decides one of the feed's bulk actions, auditing a refusal; a front door asks before it accepts
    /// a feed's body, so that nothing of a refused feed is even spooled.
    @discardableResult
    public func authoriseFeed(_ action: Action, by actor: Actor) async throws -> Decision {
        let decision = AccessPolicy.decideFeed(action, by: actor)
        try await enforce(decision, action, by: actor, record: nil, concealing: false)
        return decision
    }
}
