public import CarnetCore
import CarnetStore
import Foundation
import Logging

/// The record's contact: the address one-time sign-in codes and notifications go to. Whoever sets it
/// can sign in as the holder, so only the holder (or an insurer agent, after checking the person's
/// identity) sets it — never a professional's creation request — and a change is told to the
/// previous address, so that a takeover cannot go unnoticed (issue 23.3).
extension RecordService {
    /// Sets (or, with `nil`, removes) the record's e-mail contact; returns the record as stored.
    public func changeContact(of id: RecordID, email: String?, by actor: Actor) async throws -> HealthRecord {
        let (record, _, decision) = try await authorised(.changeContact, on: id, by: actor)
        let previous = record.identity.email
        guard previous != email else { return record }
        let now = clock()
        var changed = record
        changed.changeContact(email: email)
        let audit = AuditEvent(recordID: record.id, recordedAt: now, actor: actor, action: .changeContact, resources: [Self.reference(record.id)],
                               outcome: .success, rule: decision.rule,
                               detail: previous == nil ? "contact set" : "contact changed; the previous contact is told")
        // The change and the notice to the previous contact are written together, or neither.
        let notice = previous.map { PatientNotification.contactChanged(recordID: record.id, previous: $0, at: now, eventID: audit.id) }
        do {
            try await store.updateRecord(changed, audit: audit, notifying: notice.map { [$0] } ?? [])
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
        logger.info("record contact changed", metadata: ["record": "\(record.id)", "actor.kind": "\(actor.kind.rawValue)"])
        return changed
    }
}
