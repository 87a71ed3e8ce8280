public import CarnetCore
import CarnetStore

/// Changing who sees one document: masking to professionals (TD3.3a, the holder or the author) and
/// lifting "not visible to the patient" after the announcement (TD3.3b, a professional who may read it).
extension RecordService {
    public enum VisibilityChange: String, Sendable, Equatable {
        case mask, unmask
        case revealToPatient = "reveal-to-patient"
    }

    public func changeVisibility(of id: DocumentID, _ change: VisibilityChange, by actor: Actor) async throws -> DocumentEntry {
        let action: Action = change == .revealToPatient ? .revealDocumentToPatient : .maskDocument
        guard let entry = try await store.document(id: id), entry.status.isReadable, let record = try await store.record(id: entry.recordID) else {
            try await auditMiss(action, by: actor, detail: "DocumentReference/\(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        // Who may not even read the document learns nothing about it; who may read it is told why not.
        let read = AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: entry)
        let decision = read.isAllowed ? AccessPolicy.decideDocument(action, by: actor, in: context, document: entry) : read
        try await enforce(decision, action, by: actor, record: record, resources: ["DocumentReference/\(id)"],
                          concealing: !read.isAllowed && read.rule != .recordClosed)
        var changed = entry
        switch change {
        case .mask:
            if AccessPolicy.hiddenFromPatient(entry, at: context.now) { throw AccessChangeError.maskedAndInvisible }
            changed.visibility.maskedToProfessionals = true
        case .unmask:
            changed.visibility.maskedToProfessionals = false
        case .revealToPatient:
            guard AccessPolicy.hiddenFromPatient(entry, at: context.now) else { throw AccessChangeError.notHiddenFromPatient }
            changed.visibility.invisibleToPatient = false
        }
        changed.beginNextVersion(at: context.now)
        do {
            try await store.updateDocument(changed, audit: AuditEvent(
                recordID: record.id, recordedAt: context.now, actor: actor, action: action, resources: ["DocumentReference/\(id)"],
                outcome: .success, rule: decision.rule, detail: change.rawValue))
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
        return changed
    }
}
