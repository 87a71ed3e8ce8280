import CarnetCore
import CarnetStore
import Foundation

/// What of a record's history its reader may see: an event naming a document, a submission set or a
/// summary item the reader may not see is absent for that reader — from pages, totals and alerts
/// alike (DOMAIN.md, Saying no without saying too much; issues 16.1 and 23.2).
///
/// Each document and item is decided with the same policy as the documents page, for this reader
/// (an INVISIBLE_PATIENT document while it holds for the holder; secret-connection and
/// INVISIBLE_REPRESENTANTS_LEGAUX documents and items for a minor's legal representative; masked
/// ones for a professional, were one ever to read a history). Their references go to the database
/// as an exclusion of the history query (``AuditFilter/excludedResources``), so paging and totals
/// are computed on what the reader sees, on both engines, without over-fetching. Events name what
/// they touch in their resources (a replacement's `detail` names an id that is among them too), so
/// the resources are what is matched.
extension RecordService {
    /// The references (`DocumentReference/<id>`, `Binary/<id>`, `List/<id>`, `Condition/<id>`…) the
    /// actor may not see in `record`, decided now with `controls`.
    func referencesHidden(from actor: Actor, in record: HealthRecord, controls: AccessControls) async throws -> Set<String> {
        let context = documentContext(record, controls)
        var hidden: Set<String> = []
        var visibleDocuments: Set<DocumentID> = []
        let index = try await store.documentIndex(recordID: record.id, statuses: Set(DocumentStatus.allCases), from: nil, until: nil,
                                                  newestFirst: true)
        for document in index {
            if AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: document).isAllowed {
                visibleDocuments.insert(document.id)
            } else {
                hidden.formUnion(["DocumentReference/\(document.id)", "Binary/\(document.id)"])
            }
        }
        // A submission set none of whose documents the reader may see is as hidden as they are.
        for set in try await store.submissionSets(recordID: record.id) where set.documentIDs.allSatisfy({ !visibleDocuments.contains($0) }) {
            hidden.insert("List/\(set.id)")
        }
        for item in try await store.summaryEntries(recordID: record.id, kinds: Set(SummaryKind.allCases), includingDeleted: true) {
            let first = item.version == 1 ? item : try await store.summaryEntryVersions(id: item.id).first
            if !AccessPolicy.decideSummary(.read, kind: item.kind, by: actor, in: context, current: item, first: first).isAllowed {
                hidden.insert(Self.reference(item))
            }
        }
        // Authorisations declared in a secret connection, whose Consent a representative does not see.
        if case .patient(let person) = actor.role {
            let shown = controls.shown(to: person, holder: record.ins)
            for rpps in controls.authorisations.keys where shown.authorisations[rpps] == nil {
                hidden.insert("Consent/\(Authorisation.consentID(recordID: record.id, rpps: rpps))")
            }
        }
        return hidden
    }

    /// `filter` narrowed to what the actor may see of the record's history: without the events naming
    /// what they may not see, and, for anyone but the holder (a minor's legal representative), without
    /// what professionals did in the minor's secret connection — so such a professional never appears
    /// to the representatives, whatever the event names.
    func historyFilter(_ filter: AuditFilter, for actor: Actor, in record: HealthRecord, controls: AccessControls) async throws -> AuditFilter {
        var narrowed = filter
        narrowed.excludedResources.formUnion(try await referencesHidden(from: actor, in: record, controls: controls))
        narrowed.excludesSecretConnection = narrowed.excludesSecretConnection || Self.isRepresentative(actor, of: record)
        return narrowed
    }

    /// Whether `actor` reads the record as someone other than its holder (a legal representative).
    static func isRepresentative(_ actor: Actor, of record: HealthRecord) -> Bool {
        guard case .patient(let person) = actor.role else { return false }
        return person.value != record.ins.value
    }
}
