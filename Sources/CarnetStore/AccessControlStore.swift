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
}
