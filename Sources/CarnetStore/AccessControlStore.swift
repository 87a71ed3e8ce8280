public import CarnetCore

/// Where each record's access controls (the patient's consents, blocks, emergency choices, legal
/// representatives) live: one versioned value per record, changed with its audit event.
public protocol AccessControlStore: Sendable {
    /// The record's controls; the defaults (version 0) when none were ever saved.
    func accessControls(recordID: RecordID) async throws -> AccessControls

    /// Saves `controls` if the stored version is `controls.version - 1` (0: none stored yet), with
    /// `audit`, in one transaction.
    ///
    /// - Throws: ``StoreError/versionConflict`` when someone else changed them since they were read.
    func saveAccessControls(_ controls: AccessControls, recordID: RecordID, audit: AuditEvent) async throws

    /// The records whose controls name `representativeINS` (an INS value, as the controls keep it) as a
    /// legal representative, oldest record first: what a parent's portal home lists (DOMAIN.md, Minors).
    ///
    /// Served by an index of representatives written in the same transaction as the controls, so it
    /// never disagrees with them. It says who is *named*, not who may act: whether the holder is
    /// still a minor is for the policy to decide, through `RecordService`.
    func recordsRepresented(by representativeINS: String) async throws -> [HealthRecord]
}
