public import CarnetCore
public import CarnetStore
public import Foundation
import Logging

/// Documents through the one door: push (ITI-65/TD2), read (ITI-68/TD3.2), search (ITI-67/TD3.1).
extension RecordService {
    /// Which record a document is for: by id (`Patient/{id}`) or by INS (`Patient?identifier=…`).
    public enum Subject: Sendable, Equatable {
        case record(RecordID)
        case ins(INS)
    }

    /// A document to add: its metadata and its bytes.
    public struct Submission: Sendable {
        public var draft: DocumentDraft
        public var content: Data

        public init(draft: DocumentDraft, content: Data) {
            self.draft = draft
            self.content = content
        }
    }

    /// Adds a document (or a replacement) with its content.
    public func publishDocument(_ draft: DocumentDraft, content: Data, for subject: Subject, by actor: Actor) async throws -> DocumentEntry {
        try await publishDocuments([Submission(draft: draft, content: content)], for: subject, by: actor)[0]
    }

    /// Adds a submission set: every document (and the supersession of the versions they replace) is
    /// stored whole or not at all (IHE MHD ITI-65).
    ///
    /// Contents are stored first (content-addressed, so a failure afterwards leaves only unreferenced
    /// blobs); the entries, supersessions and audit events are then committed in one transaction.
    ///
    /// A submission set (ITI-65's `List`) is stored with them when given, listing them in order.
    public func publishDocuments(_ submissions: [Submission], for subject: Subject, by actor: Actor) async throws -> [DocumentEntry] {
        try await publish(submissions, as: nil, for: subject, by: actor).entries
    }

    /// What a submission stored: its entries in order, and its submission set if it had one.
    public struct Publication: Sendable {
        public var entries: [DocumentEntry]
        public var submissionSet: SubmissionSet?
        /// The same submission was stored before (a producer's retry after a lost answer): nothing new
        /// was written, and these are the entries it stored then.
        public var wasAlreadyStored = false
    }

    /// ``publishDocuments(_:for:by:)`` with the submission set (ITI-65's `List`) stored alongside.
    ///
    /// Nothing here answers differently for something the actor may not know: a record the actor may
    /// not know of answers as a missing one, a replaced document they may not see as a missing one, and
    /// a unique id already taken by a document (or set) they may not see is refused without saying by
    /// what. A submission sent again whole — the same unique ids, the same bytes, by the same submitter,
    /// every document visible to them — is answered with what it stored the first time.
    public func publish(_ submissions: [Submission], as set: SubmissionSetDraft?, for subject: Subject,
                        by actor: Actor) async throws -> Publication {
        let (record, controls) = try await resolve(subject, .createDocument, by: actor)
        let context = documentContext(record, controls)
        let decision = AccessPolicy.decideDocument(.createDocument, by: actor, in: context, document: nil)
        try await enforce(decision, .createDocument, by: actor, record: record)
        // A CDA's own header is checked against the metadata and fills what they left out (issue 18), once the
        // actor may push here: a refusal names the INS the submitter named, never that of a record named by id.
        var insNamed = false
        if case .ins = subject { insNamed = true }
        let submissions = try submissions.map { submission in
            var checked = submission
            checked.draft = try CDAHeaderCheck.checked(submission.draft, recordINS: record.ins, insNamedBySubmitter: insNamed)
            return checked
        }

        let now = clock()
        let setID = SubmissionSetID()
        // Everything is decided before anything is written: a refused submission leaves no content behind.
        var decided: [(draft: DocumentDraft, superseded: DocumentEntry?)] = []
        if let replay = try await replayedSubmission(submissions, as: set, in: record, context, by: actor) {
            return replay
        }
        if set != nil, try await existingSubmissionSet(set, in: record, by: actor) != nil {
            throw DocumentInputError.duplicateSubmissionSet(set?.uniqueID ?? "")
        }
        let submittedIDs = Set(submissions.compactMap(\.draft.id))
        for submission in submissions {
            var draft = submission.draft
            // In a minor's secret connection, what a professional adds is hidden from the legal representatives.
            if actor.secretConnection { draft.visibility.invisibleToLegalRepresentatives = true }
            var superseded: DocumentEntry?
            if let replaced = draft.replaces {
                var changed = try await replaceable(replaced, in: record, context, by: actor)
                changed.status = try changed.status.applying(.replace)
                changed.beginNextVersion(at: now)
                superseded = changed
            }
            // A link to another document of this submission is decided with it: that document is new, and the actor's.
            for (index, relation) in draft.relations.enumerated() where !submittedIDs.contains(relation.target) {
                try await relatable(relation.target, in: record, context, by: actor,
                                    at: index < draft.relationPaths.count ? draft.relationPaths[index] : "DocumentReference.relatesTo")
            }
            // The profession's right to write this type (habilitation matrix), said plainly: it is their own submission.
            try await enforce(AccessPolicy.decideDocument(.createDocument, by: actor, in: context, document: DraftFacts(draft, by: actor, at: now)),
                              .createDocument, by: actor, record: record, concealing: false)
            decided.append((draft, superseded))
        }

        let uniqueIDs = decided.compactMap(\.draft.uniqueID)
        if let repeated = uniqueIDs.first(where: { id in uniqueIDs.filter { $0 == id }.count > 1 }) {
            throw DocumentInputError.duplicateUniqueID(repeated)
        }

        var additions: [DocumentAddition] = []
        var audits: [AuditEvent] = []
        for (submission, (draft, superseded)) in zip(submissions, decided) {
            // Stored with the same work whether or not the content is known (content-addressed).
            let blob = try await blobs.put(submission.content, in: record.id)
            let id = draft.id ?? DocumentID()
            var entry = DocumentEntry(
                id: id, recordID: record.id, uniqueID: draft.uniqueID ?? "urn:uuid:\(id)", lineageID: superseded?.lineageID ?? UUID(), replaces: draft.replaces,
                type: draft.type, category: draft.category, title: draft.title, comment: draft.comment, authors: draft.authors,
                submitterID: actor.identifier, date: draft.date ?? now, recordedAt: now, servicePeriod: draft.servicePeriod,
                facilityType: draft.facilityType, practiceSetting: draft.practiceSetting, events: draft.events, format: draft.format,
                visibility: draft.visibility, otherLabels: draft.otherLabels,
                content: DocumentContent(contentType: draft.contentType, language: draft.language, size: blob.reference.size,
                                         sha256: blob.reference.sha256, sha1Base64: blob.sha1Base64, keyID: blob.reference.keyID,
                                         title: draft.contentTitle))
            entry.keptElements = draft.keptElements
            entry.relations = draft.relations.isEmpty ? nil : draft.relations
            entry.submissionID = setID.description
            additions.append(DocumentAddition(entry: entry, superseding: superseded,
                                              searchText: await searchText(of: entry, content: submission.content)))
            var resources = ["DocumentReference/\(entry.id)"]
            if let superseded { resources.append("DocumentReference/\(superseded.id)") }
            if set != nil, audits.isEmpty { resources.append("List/\(setID)") }
            audits.append(AuditEvent(recordID: record.id, recordedAt: now, actor: actor, action: .createDocument, resources: resources,
                                     outcome: .success, rule: decision.rule, detail: superseded.map { "replaces \($0.id)" }))
        }
        let submissionSet = set.map { draft in
            SubmissionSet(id: setID, recordID: record.id, uniqueID: draft.uniqueID ?? "urn:uuid:\(setID)", sourceID: draft.sourceID,
                                 title: draft.title, comment: draft.comment, authors: draft.authors, designationType: draft.designationType,
                                 submitterID: actor.identifier, submittedAt: now, documentIDs: additions.map(\.entry.id))
        }
        do {
            try await store.addDocuments(additions, submissionSet: submissionSet, audits: audits)
        } catch StoreError.duplicateDocument(let uniqueID) {
            // Taken meanwhile by a concurrent submission: said as any taken id is.
            throw DocumentInputError.uniqueIDUnavailable(uniqueID)
        } catch StoreError.duplicateSubmissionSet(let uniqueID) {
            throw DocumentInputError.duplicateSubmissionSet(uniqueID)
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
        return Publication(entries: additions.map(\.entry), submissionSet: submissionSet)
    }

    /// One document's metadata. A document the actor may not see answers exactly as a missing one.
    public func readDocument(_ id: DocumentID, by actor: Actor) async throws -> DocumentEntry {
        let (entry, record, decision) = try await visibleDocument(id, by: actor)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readDocument,
                                               resources: ["DocumentReference/\(entry.id)"], outcome: .success,
                                               rule: decision.rule, detail: "metadata"))
        return entry
    }

    /// A document's exact bytes, checked against their hash before they are returned.
    ///
    /// - Parameter record: when given, a document of any other record answers as a missing one (the
    ///   web access reads within the record the professional opened, whose emergency holds for it alone).
    public func documentContent(_ id: DocumentID, in record: RecordID? = nil, by actor: Actor) async throws -> (entry: DocumentEntry, content: Data) {
        let (entry, record, decision) = try await visibleDocument(id, in: record, by: actor)
        let content: Data
        do {
            content = try await blobs.get(BlobReference(sha256: entry.content.sha256, size: entry.content.size, keyID: entry.content.keyID),
                                         in: record.id)
        } catch let error as BlobError {
            logger.critical("document content failed its check", metadata: ["document": "\(entry.id)", "error": "\(error)"])
            try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readDocument,
                                                   resources: ["DocumentReference/\(entry.id)"], outcome: .failed, rule: nil,
                                                   detail: "content integrity check failed"))
            throw DocumentContentError.integrity
        }
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readDocument,
                                               resources: ["Binary/\(entry.id)"], outcome: .success,
                                               rule: decision.rule, detail: "content"))
        return (entry, content)
    }

    /// The record's documents matching `query` that the actor may see: the page, and the total.
    /// Documents the actor may not see are left out of both, silently.
    public func searchDocuments(of subject: Subject, _ query: DocumentQuery, by actor: Actor) async throws -> (page: [DocumentEntry], total: Int) {
        let found = try await findDocuments(of: subject, query, by: actor)
        return (found.page, found.total)
    }

    /// ``searchDocuments(of:_:by:)`` with what a reader needs to mark what is new to them: the page, the
    /// total and the reader's previous access (issue 18). `new-since-last-access` is decided here, from
    /// the audit trail, before the search's own event is written.
    ///
    /// - Parameter lastAccess: the previous access to use (a portal fixes it when the record is opened);
    ///   `nil` looks it up (``previousAccess(to:by:before:)``).
    public func findDocuments(of subject: Subject, _ query: DocumentQuery, lastAccess: LastAccess? = nil,
                              by actor: Actor) async throws -> DocumentSearchResult {
        let recordID: RecordID
        switch subject {
        case .record(let id): recordID = id
        case .ins(let ins):
            guard let record = try await store.record(ins: ins) else {
                let miss = try await searchMiss(by: actor)
                return DocumentSearchResult(page: miss.page, total: miss.total, lastAccess: LastAccess(at: nil))
            }
            recordID = record.id
        }
        var query = query
        var lookup: LastAccessLookup?
        if let lastAccess {
            if query.newSinceLastAccess { query.recordedSince = lastAccess.at ?? .distantPast }
        } else {
            // Read in the search's own read (issue 20), before the search's own event is written.
            lookup = LastAccessLookup(filter: previousAccessFilter(by: actor, before: clock()), narrows: query.newSinceLastAccess)
        }
        let found = try await searchVisible(recordID, query, lookup, by: actor)
        return DocumentSearchResult(page: found.page, total: found.total, lastAccess: lastAccess ?? LastAccess(at: found.lastAccess))
    }

    /// The search itself, decided and audited, with the reader's previous access when `lookup` asked for it.
    private func searchVisible(_ recordID: RecordID, _ query: DocumentQuery, _ lookup: LastAccessLookup?,
                               by actor: Actor) async throws -> (page: [DocumentEntry], total: Int, lastAccess: Date?) {
        // The record and its controls come with the search's one read; the search is decided on them after.
        guard let found = try await visibleDocuments(of: recordID, query, nil, actor, lastAccess: lookup) else {
            let miss = try await searchMiss(by: actor)
            return (miss.page, miss.total, nil)
        }
        let record = found.record
        let decision = AccessPolicy.decideDocument(.searchDocuments, by: actor, in: found.context, document: nil)
        do {
            try await enforce(decision, .searchDocuments, by: actor, record: record)
        } catch AccessError.notFound {
            return ([], 0, found.lastAccess)
        }
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .searchDocuments,
                                               // The duplicates folded into an entry are named by the answer too (issue 18).
                                               resources: found.page.flatMap { [$0.id] + ($0.foldedDuplicates ?? []).map(\.id) }
                                                   .map { "DocumentReference/\($0)" }, outcome: .success,
                                               rule: decision.rule, detail: "\(found.total) found"))
        return (found.page, found.total, found.lastAccess)
    }

    // MARK: - Steps

    /// The document a submission names by a unique id already taken in the record, when it is this
    /// very submission stored before (visible to the actor, their own, the same bytes and the same
    /// replacement): a retry. `nil` when the id is free.
    ///
    /// - Throws: ``DocumentInputError/duplicateUniqueID(_:)`` for a document the actor may see;
    ///   ``DocumentInputError/uniqueIDUnavailable(_:)``, audited as a refusal, for one they may not:
    ///   said without naming it or saying that it is a document.
    private func existingDocument(_ draft: DocumentDraft, _ sha256: String, in record: HealthRecord, _ context: DocumentAccessContext,
                                  by actor: Actor) async throws -> DocumentEntry? {
        guard let uniqueID = draft.uniqueID,
              let existing = try await store.documents(uniqueID: uniqueID, recordID: record.id, limit: 1).first else { return nil }
        let own = existing.submitterID == actor.identifier
        let read = decision(for: existing, context, actor)
        guard read.isAllowed && (existing.status.isReadable || own) else {
            try await enforce(read.isAllowed ? .deny(.roleNotAllowed) : read, .createDocument, by: actor, record: record,
                              resources: ["DocumentReference/\(existing.id)"], concealing: false, throwing: DocumentInputError.uniqueIDUnavailable(uniqueID))
            throw DocumentInputError.uniqueIDUnavailable(uniqueID)
        }
        guard own, existing.content.sha256 == sha256, existing.replaces == draft.replaces else {
            throw DocumentInputError.duplicateUniqueID(uniqueID)
        }
        return existing
    }

    /// What a submission stored before, when it is sent again (issue 18: an exact re-push is answered with
    /// the existing documents, no second copy); `nil` when it is to be stored.
    ///
    /// Each document is recognised by its unique id (``existingDocument(_:_:in:_:by:)``: the same id
    /// with other bytes or from another submitter is refused) or, when it names none, by its content:
    /// the record's current document with the same bytes that the actor pushed themselves and sees,
    /// with the same type and visibility, replacing nothing (``sameContentRePush(_:_:excluding:in:_:by:)``).
    /// A submission is a re-push only whole: every document recognised, and its set the one stored
    /// then (or none). Otherwise documents recognised by content are stored again as new submissions —
    /// shown folded with the first in searches — and a reused unique id is refused as ever.
    private func replayedSubmission(_ submissions: [Submission], as set: SubmissionSetDraft?, in record: HealthRecord,
                                    _ context: DocumentAccessContext, by actor: Actor) async throws -> Publication? {
        var byUniqueID = 0
        var recognised: [DocumentEntry] = []
        for submission in submissions {
            let sha256 = blobs.address(of: submission.content)
            if let existing = try await existingDocument(submission.draft, sha256, in: record, context, by: actor) {
                byUniqueID += 1
                recognised.append(existing)
            } else if submission.draft.uniqueID == nil,
                      let same = try await sameContentRePush(submission.draft, sha256, excluding: Set(recognised.map(\.id)), in: record, context, by: actor) {
                recognised.append(same)
            }
        }
        guard !recognised.isEmpty else { return nil }
        let storedSet = try await existingSubmissionSet(set, in: record, by: actor)
        let whole = recognised.count == submissions.count && (set == nil || storedSet != nil)
        if byUniqueID > 0, !whole {
            throw DocumentInputError.duplicateUniqueID(recognised[0].uniqueID)
        }
        return whole ? Publication(entries: recognised, submissionSet: storedSet, wasAlreadyStored: true) : nil
    }

    /// The record's document that `draft` (which names no unique id) sends again: the same bytes, pushed
    /// by the same actor, still current and visible to them, with the same type and visibility, and
    /// neither replacing anything — a replacement is never a re-push (DOMAIN.md, TD2.1). Another
    /// submitter's document with the same bytes, or one the actor may not see, is no match: the push is
    /// stored as new, answered as any new push, so it tells nothing of documents the actor may not know of.
    private func sameContentRePush(_ draft: DocumentDraft, _ sha256: String, excluding: Set<DocumentID>, in record: HealthRecord,
                                   _ context: DocumentAccessContext, by actor: Actor) async throws -> DocumentEntry? {
        guard draft.replaces == nil else { return nil }
        var visibility = draft.visibility
        if actor.secretConnection { visibility.invisibleToLegalRepresentatives = true }
        return try await store.documents(recordID: record.id, contentSHA256: sha256).first { existing in
            !excluding.contains(existing.id) && existing.submitterID == actor.identifier && existing.status == .current
                && existing.replaces == nil && existing.type.system == draft.type.system && existing.type.code == draft.type.code
                && existing.visibility == visibility && existing.content.contentType == draft.contentType
                && decision(for: existing, context, actor).isAllowed
        }
    }

    /// The actor's own stored submission set with the unique id of `set`; `nil` when the id is free for
    /// them. A set's unique id is unique per submitter within a record, so another submitter's set —
    /// which the actor may not see — never collides: the answer is the same whether or not it exists.
    private func existingSubmissionSet(_ set: SubmissionSetDraft?, in record: HealthRecord, by actor: Actor) async throws -> SubmissionSet? {
        guard let uniqueID = set?.uniqueID else { return nil }
        return try await store.submissionSet(recordID: record.id, submitterID: actor.identifier, uniqueID: uniqueID)
    }

    /// The document a submission replaces, once the actor may replace it (TD2.1): one they may not know
    /// of, in another record or missing answers the same "not found"; one they see but did not author
    /// is refused with the rule.
    private func replaceable(_ id: DocumentID, in record: HealthRecord, _ context: DocumentAccessContext, by actor: Actor) async throws -> DocumentEntry {
        guard let old = try await store.document(id: id), old.recordID == record.id, old.status.isReadable else {
            try await auditMiss(.changeDocument, by: actor, detail: "DocumentReference/\(id) to replace")
            throw DocumentInputError.replacedDocumentNotFound(id)
        }
        let decision = AccessPolicy.decideReplacement(by: actor, in: context, replaced: old)
        try await enforce(decision, .changeDocument, by: actor, record: record, resources: ["DocumentReference/\(id)"],
                          throwing: decision.rule.concealsExistence ? DocumentInputError.replacedDocumentNotFound(id) : nil)
        return old
    }

    /// Checks that a document a submission links to (`appends`, `transforms`, `signs`) is one the actor
    /// sees in this record; one missing, elsewhere, or hidden from the actor is answered alike, so the
    /// answer tells nothing about documents the actor may not know of.
    private func relatable(_ id: DocumentID, in record: HealthRecord, _ context: DocumentAccessContext, by actor: Actor, at path: String) async throws {
        guard let target = try await store.document(id: id), target.recordID == record.id, target.status.isReadable,
              decision(for: target, context, actor).isAllowed else {
            try await auditMiss(.changeDocument, by: actor, detail: "DocumentReference/\(id) to relate to")
            throw DocumentInputError.relatedDocumentNotFound(id, at: path)
        }
    }

    /// A search for a record that does not exist: audited, and it finds nothing.
    private func searchMiss(by actor: Actor) async throws -> (page: [DocumentEntry], total: Int) {
        try await auditMiss(.searchDocuments, by: actor, detail: "no record for the document's subject")
        return ([], 0)
    }

    private func decision(for document: some DocumentAccessFacts, _ context: DocumentAccessContext, _ actor: Actor) -> Decision {
        AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: document)
    }

    /// The record's documents matching `query` that the actor may see: the page, the total, the record
    /// and the facts they were decided with; `nil` when there is no such record.
    ///
    /// One read: the engine narrows by status, date and author text; every candidate is decided on its index columns,
    /// and when the criteria allow, filtered and paged on them too, so only the page is decoded whole.
    /// The page's entries are decided again as loaded: one changed in between (masked, say) is left out.
    ///
    /// - Parameters:
    ///   - known: the facts to decide with, when the caller has them; otherwise they are built
    ///     from the controls read with the index, and nothing is chosen when the search itself is refused.
    ///   - lastAccess: the reader's previous access to read in the same read (and to narrow by, when it says so).
    func visibleDocuments(of recordID: RecordID, _ query: DocumentQuery, _ known: DocumentAccessContext?, _ actor: Actor,
                          lastAccess: LastAccessLookup? = nil) async throws
        -> (page: [DocumentEntry], total: Int, record: HealthRecord, context: DocumentAccessContext, lastAccess: Date?)? {
        let bounds = DateCondition.bounds(query.dates)
        let narrowing = DocumentNarrowing(authorText: query.foldedAuthorText, textTerms: query.contentTerms, recordedSince: query.recordedSince,
                                          lastAccess: lastAccess)
        guard let read = try await store.documentSearch(recordID: recordID, statuses: query.wantedStatuses, from: bounds?.from,
                                                        until: bounds?.until, narrowing: narrowing, newestFirst: query.newestFirst,
                                                        choose: { record, controls, index in
            let context = known ?? self.documentContext(record, controls)
            // A caller bringing its facts has decided its own action already.
            guard known != nil || AccessPolicy.decideDocument(.searchDocuments, by: actor, in: context, document: nil).isAllowed else {
                return ([], (total: 0, folded: [DocumentID: [DocumentIndexEntry]](), context: context))
            }
            let candidates = index.filter { self.decision(for: $0, context, actor).isAllowed }
            guard query.isAnsweredByIndex else { return (candidates.map(\.id), (total: candidates.count, folded: [DocumentID: [DocumentIndexEntry]](), context: context)) }
            // Duplicates folded among what this reader may see and the search matches only (issue 18), before
            // paging: a hidden copy is never shown, listed or counted.
            var matching = candidates.filter(query.matchesIndexed)
            var folded: [DocumentID: [DocumentIndexEntry]] = [:]
            if query.foldsDuplicates { (matching, folded) = DuplicateFolding.fold(matching) }
            let page = Array(matching.dropFirst(query.offset).prefix(query.count))
            return (page.map(\.id), (total: matching.count, folded: folded.filter { id, _ in page.contains { $0.id == id } }, context: context))
        }) else { return nil }
        let context = read.conclusion.context
        let stillVisible = { (entry: DocumentEntry) in query.matches(entry) && self.decision(for: entry, context, actor).isAllowed }
        guard query.isAnsweredByIndex else {
            let result = query.apply(to: read.entries)
            return (result.page.filter(stillVisible), result.total, read.record, context, read.lastAccess)
        }
        let page = read.entries.filter(stillVisible).map { entry in
            var entry = entry
            entry.foldedDuplicates = read.conclusion.folded[entry.id].map { $0.map(FoldedDuplicate.init) }
            return entry
        }
        return (page, read.conclusion.total, read.record, context, read.lastAccess)
    }

    /// The record a document search is about, the facts its results are decided with, and the search's
    /// own decision; `nil` when there is no record or one the actor may not know of: a search finds
    /// nothing either way.
    ///
    /// - Parameter action: the action the audit trail names (a summary read is searched like documents).
    func searchable(_ subject: Subject, as action: Action = .searchDocuments, by actor: Actor) async throws -> (HealthRecord, DocumentAccessContext, Decision)? {
        do {
            let (record, controls) = try await resolve(subject, action, by: actor)
            let context = documentContext(record, controls)
            let decision = AccessPolicy.decideDocument(.searchDocuments, by: actor, in: context, document: nil)
            try await enforce(decision, action, by: actor, record: record)
            return (record, context, decision)
        } catch AccessError.notFound {
            return nil
        }
    }

    /// The facts a document decision reads, loaded once per request.
    func documentContext(_ record: HealthRecord) async throws -> DocumentAccessContext {
        documentContext(record, try await store.accessControls(recordID: record.id))
    }

    func documentContext(_ record: HealthRecord, _ controls: AccessControls) -> DocumentAccessContext {
        DocumentAccessContext(ins: record.ins, state: record.state, controls: effective(controls, record), matrix: matrix, now: clock())
    }

    /// Loads a document and its record, refusing (as "not found") what the actor may not see; returns
    /// the allowing decision so the read's audit event names its rule without deciding twice.
    private func visibleDocument(_ id: DocumentID, in expected: RecordID? = nil, by actor: Actor) async throws -> (DocumentEntry, HealthRecord, Decision) {
        guard let (entry, record, controls) = try await store.documentWithRecord(id: id), entry.status.isReadable,
              expected == nil || entry.recordID == expected
        else {
            try await auditMiss(.readDocument, by: actor, detail: "DocumentReference/\(id)")
            throw AccessError.notFound
        }
        let context = documentContext(record, controls)
        let decision = decision(for: entry, context, actor)
        // A forbidden document answers exactly as a missing one; a closed record is said as such only
        // about a document the actor could see were it active (issue 24.5).
        try await enforce(decision, .readDocument, by: actor, record: record, resources: ["DocumentReference/\(id)"],
                          concealing: AccessPolicy.refusalConceals(decision, .readDocument, by: actor, in: context, document: entry))
        return (entry, record, decision)
    }

    /// The record a subject names with its controls, read alike whether or not it exists (issue 24.6).
    private func resolve(_ subject: Subject, _ action: Action, by actor: Actor) async throws -> (HealthRecord, AccessControls) {
        let found: (record: HealthRecord, controls: AccessControls)?
        switch subject {
        case .record(let id): found = try await store.recordWithControls(id: id)
        case .ins(let ins): found = try await store.recordWithControls(ins: ins)
        }
        guard let found else {
            try await auditMiss(action, by: actor, detail: "no record for the document's subject")
            throw AccessError.notFound
        }
        return (found.record, found.controls)
    }
}

/// A document request that cannot be honoured as sent (the FHIR layer maps these to 4xx).
public enum DocumentInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateUniqueID(String)
    case duplicateSubmissionSet(String)
    /// A unique id taken by a document the caller may not see: said without naming it.
    case uniqueIDUnavailable(String)
    case replacedDocumentNotFound(DocumentID)
    /// A `relatesTo` target (named at the path, e.g. `DocumentReference.relatesTo[0].target`) missing or not visible to the sender.
    case relatedDocumentNotFound(DocumentID, at: String)
    /// Several documents the caller may see share this unique id (in different records).
    case ambiguousUniqueID(String)
    /// `If-Match` named a metadata version that is no longer the document's (FHIR: 412).
    case versionMismatch(current: Int)

    public var description: String {
        switch self {
        case .duplicateUniqueID(let id): "the record already has a document with unique id \(id): a new version needs a new unique id"
        case .ambiguousUniqueID(let id): "more than one document may have unique id \(id): name the patient (patient=<id>) or patch DocumentReference/{id} instead"
        case .duplicateSubmissionSet(let id): "submission set unique id \(id) cannot be used: each submission needs a unique id of its own"
        case .uniqueIDUnavailable(let id): "unique id \(id) cannot be used: each document needs a unique id of its own"
        case .replacedDocumentNotFound(let id): "DocumentReference/\(id) to replace does not exist in this patient's record"
        case .versionMismatch(let current): "the document changed since it was read: its version is now \(current) (If-Match)"
        case .relatedDocumentNotFound(let id, _): "DocumentReference/\(id) this document relates to does not exist in this patient's record"
        }
    }
}

/// Stored content that failed its integrity check: reported, never served.
public enum DocumentContentError: Error, Equatable, Sendable, CustomStringConvertible {
    case integrity

    public var description: String { "the document's stored content failed its integrity check; the incident has been logged" }
}

extension RecordService {
    /// Changes a document's status: delete (logical, kept for the retention period), archive, unarchive,
    /// or withdraw as entered in error. Replacing goes through ``publishDocuments(_:for:by:)``.
    ///
    /// Withdrawing as entered in error is its submitter's alone; the holder may delete and archive.
    ///
    /// Who may not know the document exists gets "not found"; who may read it but not change it is told
    /// the rule (403). `expectedVersion` (`If-Match`) refuses a change made on a stale read.
    public func changeDocument(_ id: DocumentID, _ transition: DocumentTransition, expectedVersion: Int? = nil,
                               by actor: Actor) async throws -> DocumentEntry {
        let prepared = try await preparedTransition(id, transition, expectedVersion: expectedVersion, by: actor)
        try await save(prepared)
        return prepared.entry
    }

    /// A status change decided (refusals audited and thrown) but not saved: ``changeDocument(_:_:expectedVersion:by:)``
    /// saves it alone, ``changeDocuments(_:in:by:)`` with others in one transaction.
    func preparedTransition(_ id: DocumentID, _ transition: DocumentTransition, expectedVersion: Int?,
                            by actor: Actor) async throws -> PreparedDocumentChange {
        precondition(transition != .replace, "replacement is a publication")
        guard let entry = try await store.document(id: id), entry.status != .deleted, entry.status != .enteredInError,
              let record = try await store.record(id: entry.recordID)
        else {
            try await auditMiss(.changeDocument, by: actor, detail: "DocumentReference/\(id)")
            throw AccessError.notFound
        }
        let context = try await documentContext(record)
        let read = AccessPolicy.decideDocument(.readDocument, by: actor, in: context, document: entry)
        try await enforce(read, .changeDocument, by: actor, record: record, resources: ["DocumentReference/\(id)"],
                          concealing: AccessPolicy.refusalConceals(read, .readDocument, by: actor, in: context, document: entry))
        var decision = AccessPolicy.decideDocument(.changeDocument, by: actor, in: context, document: entry)
        if decision.isAllowed, transition == .enterInError, entry.submitterID != actor.identifier {
            decision = .deny(.notTheDocumentAuthor)
        }
        try await enforce(decision, .changeDocument, by: actor, record: record, resources: ["DocumentReference/\(id)"], concealing: false)
        if let expectedVersion, expectedVersion != entry.metadataVersion { throw DocumentInputError.versionMismatch(current: entry.metadataVersion) }
        var changed = entry
        changed.status = try entry.status.applying(transition)
        changed.beginNextVersion(at: clock())
        return PreparedDocumentChange(entry: changed, changed: true, audit: AuditEvent(
            recordID: record.id, recordedAt: clock(), actor: actor, action: .changeDocument, resources: ["DocumentReference/\(id)"],
            outcome: .success, rule: decision.rule, detail: "\(transition.rawValue): \(entry.status.rawValue) → \(changed.status.rawValue)"))
    }
}

extension RecordService {
    /// Every metadata version of a document, oldest first (`_history`), to whoever may read it now.
    public func documentHistory(_ id: DocumentID, by actor: Actor) async throws -> [DocumentEntry] {
        let (entry, record, decision) = try await visibleDocument(id, by: actor)
        let versions = try await store.documentVersions(id: id)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readDocument,
                                               resources: ["DocumentReference/\(entry.id)"], outcome: .success,
                                               rule: decision.rule, detail: "history (\(versions.count) versions)"))
        return versions
    }

    /// A record's submission sets (ITI-66) as the actor may see them: each lists only the documents
    /// the actor may see, and a set with none of them is left out, so a list never betrays a hidden
    /// document. Newest first; the page and the total.
    public func searchSubmissionSets(of subject: Subject, _ query: SubmissionSetQuery, by actor: Actor) async throws
        -> (page: [SubmissionSet], total: Int) {
        guard let (record, context, decision) = try await searchable(subject, by: actor) else { return ([], 0) }
        let readable = Set(DocumentStatus.allCases.filter(\.isReadable))
        let visibleIDs = Set(try await store.documentIndex(recordID: record.id, statuses: readable, from: nil, until: nil, newestFirst: true)
            .filter { self.decision(for: $0, context, actor).isAllowed }.map(\.id))
        let sets = try await store.submissionSets(recordID: record.id).compactMap { set -> SubmissionSet? in
            var shown = set
            shown.documentIDs = set.documentIDs.filter(visibleIDs.contains)
            return shown.documentIDs.isEmpty ? nil : shown
        }
        let result = query.apply(to: sets)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .searchDocuments,
                                               resources: result.page.map { "List/\($0.id)" }, outcome: .success,
                                               rule: decision.rule, detail: "submission sets: \(result.total) found"))
        return result
    }
}

/// A document not yet stored, as the policy sees it: decided before its content is written.
struct DraftFacts: DocumentAccessFacts {
    var status = DocumentStatus.current
    var type: Code
    var submitterID: String
    var recordedAt: Date
    var visibility: DocumentVisibility

    init(_ draft: DocumentDraft, by actor: Actor, at now: Date) {
        type = draft.type
        submitterID = actor.identifier
        recordedAt = now
        visibility = draft.visibility
    }
}
