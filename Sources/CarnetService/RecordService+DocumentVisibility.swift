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
    ///
    /// The id is resolved within the record the request names (`patient=`), or for a patient within
    /// their own record, so that the same id planted in other records can neither hide nor shadow the
    /// document; a professional who names no record searches every record, and is asked to name the
    /// patient when more documents carry the id than one answer may weigh.
    public func documentID(uniqueID: String, in subject: Subject? = nil, by actor: Actor) async throws -> DocumentID {
        var named = subject
        if named == nil, case .patient(let ins) = actor.role { named = .ins(ins) }
        var scope: RecordID?
        if let named {
            switch named {
            case .record(let id): scope = id
            case .ins(let ins): scope = try await store.record(ins: ins)?.id
            }
            if scope == nil {
                try await auditMiss(.readDocument, by: actor, detail: "no record for the conditional patch's patient")
                throw AccessError.notFound
            }
        }
        let candidates = try await store.documents(uniqueID: uniqueID, recordID: scope, limit: Self.conditionalPatchCandidates)
        var contexts: [RecordID: DocumentAccessContext] = [:]
        var visible: [DocumentID] = []
        for entry in candidates where entry.status.isReadable {
            if contexts[entry.recordID] == nil, let record = try await store.record(id: entry.recordID) {
                contexts[entry.recordID] = try await documentContext(record)
            }
            guard let context = contexts[entry.recordID] else { continue }
            if AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: entry).isAllowed {
                visible.append(entry.id)
            }
        }
        if scope == nil && candidates.count >= Self.conditionalPatchCandidates { throw DocumentInputError.ambiguousUniqueID(uniqueID) }
        guard let id = visible.first else {
            try await auditMiss(.readDocument, by: actor, detail: "no visible document with this unique id")
            throw AccessError.notFound
        }
        guard visible.count == 1 else { throw DocumentInputError.ambiguousUniqueID(uniqueID) }
        // Resolving the identifier is a read of the document's existence: audited as such, before the change it leads to.
        if let entry = candidates.first(where: { $0.id == id }), let context = contexts[entry.recordID] {
            try await store.appendAudit(AuditEvent(recordID: entry.recordID, recordedAt: clock(), actor: actor, action: .readDocument,
                                                   resources: ["DocumentReference/\(id)"], outcome: .success,
                                                   rule: AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: entry).rule,
                                                   detail: "document found by its unique id"))
        }
        return id
    }

    /// How many documents sharing one unique id a conditional patch naming no record weighs.
    static let conditionalPatchCandidates = 20

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
    public func changeLabels(of id: DocumentID, expectedVersion: Int? = nil, by actor: Actor,
                             _ transform: @Sendable ([Code]) throws -> [Code]) async throws -> DocumentEntry {
        let prepared = try await preparedLabels(of: id, expectedVersion: expectedVersion, by: actor, transform)
        try await save(prepared)
        return prepared.entry
    }

    /// A security-label change decided (refusals audited and thrown) but not saved.
    func preparedLabels(of id: DocumentID, expectedVersion: Int?, by actor: Actor,
                        _ transform: @Sendable ([Code]) throws -> [Code]) async throws -> PreparedDocumentChange {
        try await preparedRelabel(id, expectedVersion: expectedVersion, by: actor, detail: "security labels") { entry, _ in
            let current = entry.visibility.labels.map { Code(system: $0.system, code: $0.code) } + entry.otherLabels
            let labels = try transform(current)
            let visibility = try DocumentVisibility(labels: labels.map { (system: $0.system, code: $0.code) })
            let dmpSystems: Set<String> = [DocumentVisibility.system, DocumentVisibility.oid, Confidentiality.system]
            return (visibility, labels.filter { !dmpSystems.contains($0.system ?? "") })
        }
    }

    /// Loads the document, computes its new labels, decides each changed flag, saves a new version.
    private func relabel(_ id: DocumentID, expectedVersion: Int? = nil, by actor: Actor, detail: String,
                         _ change: (DocumentEntry, Date) throws -> (DocumentVisibility, [Code])) async throws -> DocumentEntry {
        let prepared = try await preparedRelabel(id, expectedVersion: expectedVersion, by: actor, detail: detail, change)
        try await save(prepared)
        return prepared.entry
    }

    /// Loads the document, computes its new labels, decides each changed flag: the new version and its audit event, unsaved.
    private func preparedRelabel(_ id: DocumentID, expectedVersion: Int? = nil, by actor: Actor, detail: String,
                                 _ change: (DocumentEntry, Date) throws -> (DocumentVisibility, [Code])) async throws -> PreparedDocumentChange {
        guard let entry = try await store.document(id: id), entry.status.isReadable, let record = try await store.record(id: entry.recordID) else {
            try await auditMiss(.maskDocument, by: actor, detail: "DocumentReference/\(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        // Who may not even read the document learns nothing about it; who may read it is told why not.
        let read = AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: entry)
        try await enforce(read, .maskDocument, by: actor, record: record, resources: ["DocumentReference/\(id)"],
                          concealing: AccessPolicy.refusalConceals(read, .readDocument, by: actor, in: context, document: entry))
        if let expectedVersion, expectedVersion != entry.metadataVersion { throw DocumentInputError.versionMismatch(current: entry.metadataVersion) }
        var (visibility, otherLabels) = try change(entry, context.now)
        let old = entry.visibility
        // Who set a mask: the patient side's mask (set or affirmed) is the patient's to lift.
        visibility.maskSetByPatient = !visibility.maskedToProfessionals ? nil
            : actor.isPatientSide ? true : old.maskedToProfessionals ? old.maskSetByPatient : nil
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
            || old.confidentiality != visibility.confidentiality || entry.otherLabels != otherLabels || old.maskSetByPatient != visibility.maskSetByPatient {
            actions.append(.maskDocument)
        }
        let unmasks = old.maskedToProfessionals && !visibility.maskedToProfessionals
        var rules: [AccessRule] = []
        for action in actions {
            let decision = action == .maskDocument && unmasks ? AccessPolicy.decideUnmask(by: actor, in: context, document: entry)
                : AccessPolicy.decideDocument(action, by: actor, in: context, document: entry)
            try await enforce(decision, action, by: actor, record: record, resources: ["DocumentReference/\(id)"], concealing: false)
            rules.append(decision.rule)
        }
        if visibility.maskedToProfessionals && visibility.invisibleToPatient && AccessPolicy.hiddenFromPatient(entry, at: context.now) {
            throw AccessChangeError.maskedAndInvisible
        }
        guard !actions.isEmpty else {
            // Allowed, and nothing to change: still a call the door answered, so still a line in the history.
            return PreparedDocumentChange(entry: entry, changed: false, audit: AuditEvent(
                recordID: record.id, recordedAt: context.now, actor: actor, action: .maskDocument, resources: ["DocumentReference/\(id)"],
                outcome: .success, rule: read.rule, detail: "\(detail): unchanged"))
        }
        var changed = entry
        changed.visibility = visibility
        changed.otherLabels = otherLabels
        changed.beginNextVersion(at: context.now)
        return PreparedDocumentChange(entry: changed, changed: true, audit: AuditEvent(
            recordID: record.id, recordedAt: context.now, actor: actor, action: actions.contains(.revealDocumentToPatient) ? .revealDocumentToPatient : actions[0],
            resources: ["DocumentReference/\(id)"], outcome: .success, rule: rules.first ?? read.rule, detail: detail))
    }
}
