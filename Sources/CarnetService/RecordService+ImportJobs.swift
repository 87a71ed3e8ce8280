public import CarnetCore
import CarnetStore
import Foundation

/// Who may follow an insurer-feed import job (`GET /fhir/$import-claims/{job}`): the actor who started
/// it, and no one else — the same staff id under another kind of actor (an agent named like the feed)
/// is someone else (issue 23.16). A refusal answers as an unknown job and is audited.
extension RecordService {
    /// Returns when `actor` started the job (`owner`); otherwise audits the refusal and throws "not found".
    /// `owner` is `nil` for a job this node does not know.
    public func checkImportJobReader(job: String, owner: Actor?, by actor: Actor) async throws {
        guard let owner else { throw AccessError.notFound }
        guard owner.kind == actor.kind, owner.identifier == actor.identifier else {
            try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .importCareHistory,
                                                   resources: ["$import-claims/\(job)"], outcome: .denied, rule: .roleNotAllowed,
                                                   detail: "import job started by another actor"))
            throw AccessError.notFound
        }
    }
}
