public import CarnetCore
import CarnetStore
public import Foundation
import Logging

/// The care history through the one door: read as the DMP shows it, a document of type `REMB`
/// (*données de remboursement*) — so the same rules decide: the patient's side, professionals with a
/// basis whose profession the matrix allows to read it, never insurer agents; only the last 24 months.
extension RecordService {
    /// A record's claims within the 24-month window, newest care first, filtered by `dates`.
    public func careHistory(of id: RecordID, dates: [DateCondition] = [], by actor: Actor) async throws -> [Claim] {
        guard let record = try await store.record(id: id) else {
            try await auditMiss(.readCareHistory, by: actor, detail: "Patient/\(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        let decision = AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: Self.careHistoryDocument(record, at: context.now))
        try await enforce(decision, .readCareHistory, by: actor, record: record)
        let claims = try await store.claims(ins: record.ins, from: Claim.windowStart(at: context.now)).filter { claim in
            let day = Self.day(claim.serviceDate)
            return dates.allSatisfy { $0.holds(for: day) }
        }
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: context.now, actor: actor, action: .readCareHistory,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule,
                                               detail: "\(claims.count) claims"))
        return claims
    }

    /// Removes every claim older than the 24-month window; audited. For operators (the CLI acts as the insurer).
    public func purgeCareHistory(by actor: Actor) async throws -> Int {
        guard case .insurer = actor.role else { throw AccessError.denied(.roleNotAllowed) }
        let start = Claim.windowStart(at: clock())
        let purged = try await store.purgeClaims(before: start)
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .purgeCareHistory, outcome: .success,
                                               rule: nil, detail: "\(purged) claims for care before \(start) removed"))
        logger.info("care history purged", metadata: ["claims": "\(purged)", "before": "\(start)"])
        return purged
    }

    /// The care history as the document the policy reasons about (TRE_A05 `REMB`, class 60).
    static func careHistoryDocument(_ record: HealthRecord, at now: Date) -> DocumentEntry {
        DocumentEntry(recordID: record.id, uniqueID: "care-history:\(record.id)", type: Code(system: "urn:oid:1.2.250.1.213.1.1.4.12", code: "REMB"),
                      category: Code(system: "urn:oid:1.2.250.1.213.1.1.4.1", code: "60"), submitterID: "assurance-maladie", date: now,
                      recordedAt: now,
                      content: DocumentContent(contentType: "application/fhir+json", language: "fr-FR", size: 0, sha256: "", sha1Base64: "", keyID: ""))
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
                                  progress: @Sendable (ClaimImporter.Progress) -> Void = { _ in }) async throws -> ClaimImporter.Summary {
        guard case .insurer = actor.role else {
            try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .importCareHistory, outcome: .denied,
                                                   rule: .roleNotAllowed))
            throw AccessError.denied(.roleNotAllowed)
        }
        return try await ClaimImporter(store: store, keyChecking: keyChecking).run(file: file, format: format, by: actor, progress: progress)
    }
}
