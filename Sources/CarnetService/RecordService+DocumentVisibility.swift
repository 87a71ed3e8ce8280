public import CarnetCore
import CarnetStore
import Foundation

/// Changing who sees one document: masking to professionals (TD3.3a, the holder or the author),
/// lifting "not visible to the patient" after the announcement (TD3.3b, a professional who may read
/// it), and any security-label change DMP software sends as a patch, each part decided on its own.
extension RecordService {
    public enum VisibilityChange: String, Sendable, Equatable {
        case mask, unmask
        case revealToPatient = "reveal-to-patient"
    }

    /// The document a producer's unique id names, among those the actor may read (PDSm's conditional
    /// patch). None visible answers as none at all.
    public func documentID(uniqueID: String, by actor: Actor) async throws -> DocumentID {
        var visible: [DocumentID] = []
        for entry in try await store.documents(uniqueID: uniqueID) where entry.status.isReadable {
            guard let record = try await store.record(id: entry.recordID) else { continue }
            if AccessPolicy.decideDocument(.readDocument, by: actor, in: try await documentContext(record), document: entry).isAllowed {
                visible.append(entry.id)
            }
        }
        guard let id = visible.first else {
            try await auditMiss(.readDocument, by: actor, detail: "no visible document with this unique id")
            throw AccessError.notFound
        }
        guard visible.count == 1 else { throw DocumentInputError.ambiguousUniqueID(uniqueID) }
        return id
    }

    /// `$mask`, `$unmask`, `$show-to-patient`.
    public func changeVisibility(of id: DocumentID, _ change: VisibilityChange, by actor: Actor) async throws -> DocumentEntry {
        try await relabel(id, by: actor, detail: change.rawValue) { entry, now in
            var visibility = entry.visibility
            switch change {
            case .mask: visibility.maskedToProfessionals = true
            case .unmask: visibility.maskedToProfessionals = false
            case .revealToPatient:
                guard AccessPolicy.hiddenFromPatient(entry, at: now) else { throw AccessChangeError.notHiddenFromPatient }
                visibility.invisibleToPatient = false
            }
            return (visibility, entry.otherLabels)
        }
    }

    /// A security-label patch (TD3.3a/b): `transform` turns the current labels (as on the wire) into
    /// the new ones; every visibility flag that changes must be allowed to this actor.
    public func changeLabels(of id: DocumentID, by actor: Actor,
                             _ transform: @Sendable ([Code]) throws -> [Code]) async throws -> DocumentEntry {
        try await relabel(id, by: actor, detail: "security labels") { entry, _ in
            let current = entry.visibility.labels.map { Code(system: $0.system, code: $0.code) } + entry.otherLabels
            let labels = try transform(current)
            let visibility = try DocumentVisibility(labels: labels.map { (system: $0.system, code: $0.code) })
            let dmpSystems: Set<String> = [DocumentVisibility.system, DocumentVisibility.oid, Confidentiality.system]
            return (visibility, labels.filter { !dmpSystems.contains($0.system ?? "") })
        }
    }

    /// Loads the document, computes its new labels, decides each changed flag, saves a new version.
    private func relabel(_ id: DocumentID, by actor: Actor, detail: String,
                         _ change: (DocumentEntry, Date) throws -> (DocumentVisibility, [Code])) async throws -> DocumentEntry {
        guard let entry = try await store.document(id: id), entry.status.isReadable, let record = try await store.record(id: entry.recordID) else {
            try await auditMiss(.maskDocument, by: actor, detail: "DocumentReference/\(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        // Who may not even read the document learns nothing about it; who may read it is told why not.
        let read = AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: entry)
        try await enforce(read, .maskDocument, by: actor, record: record, resources: ["DocumentReference/\(id)"],
                          concealing: AccessPolicy.refusalConceals(read, .readDocument, by: actor, in: context, document: entry))
        let (visibility, otherLabels) = try change(entry, context.now)
        let old = entry.visibility
        var actions: [Action] = []
        if old.invisibleToPatient != visibility.invisibleToPatient {
            if visibility.invisibleToPatient {
                // Hiding a document from its patient pending an announcement is a professional's act on their own document.
                guard actor.professional != nil else { throw AccessError.denied(.roleNotAllowed) }
                actions.append(.changeDocument)
            } else {
                actions.append(.revealDocumentToPatient)
            }
        }
        if old.maskedToProfessionals != visibility.maskedToProfessionals || old.invisibleToLegalRepresentatives != visibility.invisibleToLegalRepresentatives
            || old.maskedToSocialProfessionals != visibility.maskedToSocialProfessionals || old.maskedToThirdParties != visibility.maskedToThirdParties
            || old.confidentiality != visibility.confidentiality || entry.otherLabels != otherLabels {
            actions.append(.maskDocument)
        }
        var rules: [AccessRule] = []
        for action in actions {
            let decision = AccessPolicy.decideDocument(action, by: actor, in: context, document: entry)
            try await enforce(decision, action, by: actor, record: record, resources: ["DocumentReference/\(id)"], concealing: false)
            rules.append(decision.rule)
        }
        if visibility.maskedToProfessionals && visibility.invisibleToPatient && AccessPolicy.hiddenFromPatient(entry, at: context.now) {
            throw AccessChangeError.maskedAndInvisible
        }
        guard !actions.isEmpty else { return entry }
        var changed = entry
        changed.visibility = visibility
        changed.otherLabels = otherLabels
        changed.beginNextVersion(at: context.now)
        do {
            try await store.updateDocument(changed, audit: AuditEvent(
                recordID: record.id, recordedAt: context.now, actor: actor, action: actions.contains(.revealDocumentToPatient) ? .revealDocumentToPatient : actions[0],
                resources: ["DocumentReference/\(id)"], outcome: .success, rule: rules.first ?? read.rule, detail: detail))
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
        return changed
    }
}
