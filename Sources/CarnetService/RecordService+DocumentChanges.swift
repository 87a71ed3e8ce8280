public import CarnetCore
import CarnetStore
import Foundation

/// A document change decided by the policy but not yet saved: the new version (or the entry as it
/// is, when nothing changes) and the audit event that goes with it.
struct PreparedDocumentChange: Sendable {
    var entry: DocumentEntry
    /// Whether `entry` is a new version to save; otherwise only the audit event is written.
    var changed: Bool
    var audit: AuditEvent
}

/// Why several document changes asked together are refused before any is decided or saved.
public enum DocumentChangesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A document the actor may see is in another record than the one the request names.
    case patientMismatch(DocumentID)
    /// One document is named by two changes: each must be decided on what is stored.
    case namedTwice(DocumentID)

    public var description: String {
        switch self {
        case .patientMismatch(let id): "DocumentReference/\(id) is not in the record of the patient this request names"
        case .namedTwice(let id): "DocumentReference/\(id) is changed twice in one request: send one change per document"
        }
    }
}

extension RecordService {
    /// One change of several asked together (IHE ITI-57: several updates in one request), each the
    /// same change as its single-document twin: a status transition (``changeDocument(_:_:expectedVersion:by:)``)
    /// or new security labels (``changeLabels(of:expectedVersion:by:_:)``).
    public enum DocumentChange: Sendable {
        case transition(DocumentID, DocumentTransition, expectedVersion: Int? = nil)
        case labels(DocumentID, [Code], expectedVersion: Int? = nil)

        public var documentID: DocumentID {
            switch self {
            case .transition(let id, _, _), .labels(let id, _, _): id
            }
        }
    }

    /// Applies several document changes all or nothing: every change is decided first, by the same
    /// policy as alone (a refusal is audited and thrown, and nothing is saved), then all are saved
    /// with their audit events in one transaction. Each document may be named once.
    ///
    /// - Parameter subject: the patient the request names; a document the actor may see in another
    ///   record is refused with ``DocumentChangesError/patientMismatch(_:)``.
    public func changeDocuments(_ changes: [DocumentChange], in subject: Subject?, by actor: Actor) async throws -> [DocumentEntry] {
        var named: Set<DocumentID> = []
        if let twice = changes.first(where: { !named.insert($0.documentID).inserted }) { throw DocumentChangesError.namedTwice(twice.documentID) }
        var prepared: [PreparedDocumentChange] = []
        for change in changes {
            switch change {
            case .transition(let id, let transition, let version):
                prepared.append(try await preparedTransition(id, transition, expectedVersion: version, by: actor))
            case .labels(let id, let labels, let version):
                prepared.append(try await preparedLabels(of: id, expectedVersion: version, by: actor) { _ in labels })
            }
        }
        if let subject {
            let recordID: RecordID?
            switch subject {
            case .record(let id): recordID = id
            case .ins(let ins): recordID = try await store.record(ins: ins)?.id
            }
            if let other = prepared.first(where: { $0.entry.recordID != recordID }) {
                try await auditMiss(.changeDocument, by: actor, detail: "DocumentReference/\(other.entry.id): not in the named patient's record")
                throw DocumentChangesError.patientMismatch(other.entry.id)
            }
        }
        do {
            try await store.updateDocuments(prepared.filter(\.changed).map(\.entry), audits: prepared.map(\.audit))
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
        return prepared.map(\.entry)
    }

    /// Saves one prepared change: its new version with its audit event, or the audit event alone.
    func save(_ prepared: PreparedDocumentChange) async throws {
        guard prepared.changed else {
            try await store.appendAudit(prepared.audit)
            return
        }
        do {
            try await store.updateDocument(prepared.entry, audit: prepared.audit)
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
    }
}
