public import CarnetCore
public import CarnetStore
public import Foundation
public import Logging

/// The one door to health data: every front door (FHIR routes, portal, command line) calls this.
///
/// Each operation takes an authenticated ``Actor``, asks ``AccessPolicy`` with facts loaded from the
/// store, performs the store operation, and appends an ``AuditEvent``: in the same transaction as a
/// write, right after a read, and on its own for a refusal (ARCHITECTURE.md, invariant 1). Nothing
/// here knows about HTTP, and this module cannot import a storage engine or the web framework.
public struct RecordService: Sendable {
    /// Not public: nothing reaches health data but through the door's methods (ARCHITECTURE.md, invariant 1).
    let store: any RecordStore
    let blobs: any BlobStore
    /// The profession × document type rights, loaded once at start-up.
    public let matrix: HabilitationMatrix
    /// Legal representatives act for holders under this age; `nil` turns minor management off.
    public let ageOfMajority: Int?
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Reads PDFs' text for the full-text index (issue 18); its `executable` set to `nil` turns it off.
    public var pdfText = PDFTextExtractor()

    /// - Parameters:
    ///   - clock: the source of "now", injected so tests can pin time; values are rounded to the
    ///     millisecond, the precision both engines store.
    public init(store: any RecordStore, blobs: any BlobStore, matrix: HabilitationMatrix, ageOfMajority: Int? = 18,
                logger: Logger = Logger(label: "carnet.service"), clock: @escaping @Sendable () -> Date = Date.init) {
        self.ageOfMajority = ageOfMajority
        self.store = store
        self.blobs = blobs
        self.matrix = matrix
        self.logger = logger
        self.clock = { StoredForms.date(milliseconds: StoredForms.milliseconds(clock())) }
    }

    // MARK: - Records

    /// Creates the record for `identity` under `ins`, or returns the existing one (creation is idempotent per INS).
    ///
    /// DOMAIN.md, The record: created by the patient, an insurer agent or a professional with the
    /// patient's consent; a second creation returns the existing record. A professional who creates
    /// the record is authorised by that act.
    public func createRecord(ins: INS, identity: PatientIdentity, by actor: Actor) async throws -> RecordCreation {
        let existing = try await store.record(ins: ins)
        var existingControls = AccessControls()
        if let existing { existingControls = try await store.accessControls(recordID: existing.id) }
        let decision = AccessPolicy.decide(.createRecord, by: actor, on: ins, in: existing?.state, controls: existingControls)
        try await enforce(decision, .createRecord, by: actor, record: existing)
        let now = clock()
        var identity = identity
        // The contact sign-in codes go to is set only by whoever may change it (the holder, an agent):
        // a professional's creation request never chooses it (issue 23.3, holder takeover).
        if !AccessPolicy.decide(.changeContact, by: actor, on: ins, in: .active).isAllowed { identity.email = nil }
        let record = HealthRecord(ins: ins, identity: identity, createdAt: now)
        var controls: AccessControls?
        if case .professional(let professional) = actor.role {
            controls = AccessControls(authorisations: [professional.rpps.value: Authorisation(basis: .recordCreation, since: now)], version: 1)
        }
        let audit = AuditEvent(recordID: record.id, recordedAt: now, actor: actor, action: .createRecord,
                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule,
                               detail: controls == nil ? nil : "the creating professional is authorised by this act")
        let creation = try await store.createRecord(record, controls: controls, audit: audit)
        if case .created = creation {
            logger.info("record created", metadata: ["record": "\(record.id)", "actor.kind": "\(actor.kind.rawValue)"])
        }
        return creation
    }

    /// Reads a record's administrative identity by id.
    public func readRecord(_ id: RecordID, by actor: Actor) async throws -> HealthRecord {
        guard let (record, controls) = try await store.recordWithControls(id: id) else {
            try await auditMiss(.readIdentity, by: actor, detail: "Patient/\(id)")
            throw AccessError.notFound
        }
        return shown(try await read(record, controls, by: actor), to: actor)
    }

    /// The record as `actor` may see it: without the closure reason unless the policy lets them read it.
    func shown(_ record: HealthRecord, to actor: Actor) -> HealthRecord {
        AccessPolicy.readsStateReason(actor) ? record : record.withoutStateReason()
    }

    /// Finds the record of an INS (the DMP's existence check, TD0.2). `nil` when no record exists.
    public func findRecord(ins: INS, by actor: Actor) async throws -> HealthRecord? {
        try await checkExistence(ins: ins, by: actor)?.record
    }

    /// What TD0.2 tells a professional about their own standing on a record.
    public struct ExistenceCheck: Sendable {
        public var record: HealthRecord
        /// For professionals: whether they may read (authorised, care team, treating physician), are blocked, or neither.
        public var access: ProfessionalAccess?
        public var isTreatingPhysician: Bool
        /// For a professional: the patient revoked their authorisation (and has not authorised them
        /// again), so that a page says so instead of offering to declare consent anew in one click.
        public var revokedByPatient: Bool = false
    }

    public enum ProfessionalAccess: String, Sendable {
        case authorised, careTeam = "care-team", none, blocked
    }

    /// TD0.2: does a record exist for this INS, is it open, and where does the caller stand. A closed
    /// record is reported to professionals as closed (with its date and reason), per PDSm, rather than
    /// refused: they need to know it exists but is closed; nothing else of it is readable.
    public func checkExistence(ins: INS, by actor: Actor) async throws -> ExistenceCheck? {
        guard let (record, stored) = try await store.recordWithControls(ins: ins) else {
            try await auditMiss(.readIdentity, by: actor, detail: "no record for this INS")
            return nil
        }
        let controls = effective(stored, record)
        var decision = AccessPolicy.decide(.readIdentity, by: actor, on: record.ins, in: record.state, controls: controls)
        if !decision.isAllowed, decision.rule == .recordClosed || decision.rule == .professionalBlocked, actor.professional != nil {
            // TD0.2 reports a closed record as closed, and a blocked professional's status as blocked.
            decision = .allow(.professionalChecksActiveRecord)
        }
        do {
            try await enforce(decision, .readIdentity, by: actor, record: record)
        } catch AccessError.notFound {
            return nil
        }
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readIdentity,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule,
                                               detail: "existence check (TD0.2)"))
        let visible = shown(record, to: actor)
        guard let rpps = actor.professional?.rpps.value else { return ExistenceCheck(record: visible, access: nil, isTreatingPhysician: false) }
        let access: ProfessionalAccess
        if controls.blocked[rpps] != nil {
            access = .blocked
        } else if let authorisation = controls.effectiveAuthorisation(of: rpps) {
            access = authorisation.basis == .careTeam ? .careTeam : .authorised
        } else {
            access = controls.isTreatingPhysician(rpps) ? .authorised : .none
        }
        return ExistenceCheck(record: visible, access: access, isTreatingPhysician: controls.isTreatingPhysician(rpps),
                              revokedByPatient: access == .none && controls.isRevoked(rpps))
    }

    /// Moves a record through its lifecycle (close, reopen, delete, restore).
    ///
    /// The policy decides who may; the state machine decides whether the record's state allows it;
    /// the store refuses the write if someone changed the record meanwhile.
    public func transition(_ id: RecordID, _ action: Action, reason: String?, by actor: Actor) async throws -> HealthRecord {
        guard let transition = action.transition else { preconditionFailure("\(action) is not a lifecycle transition") }
        guard let (record, controls) = try await store.recordWithControls(id: id) else {
            try await auditMiss(action, by: actor, detail: "Patient/\(id)")
            throw AccessError.notFound
        }
        let decision = AccessPolicy.decide(action, by: actor, on: record.ins, in: record.state, controls: effective(controls, record))
        try await enforce(decision, action, by: actor, record: record)
        let now = clock()
        let changed: HealthRecord
        do {
            changed = try record.applying(transition, at: now, reason: reason)
        } catch {
            try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: now, actor: actor, action: action,
                                                   resources: [Self.reference(record.id)], outcome: .failed,
                                                   rule: decision.rule, detail: error.description))
            throw error
        }
        let audit = AuditEvent(recordID: record.id, recordedAt: now, actor: actor, action: action,
                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule, detail: reason)
        do {
            try await store.updateRecord(changed, audit: audit)
        } catch StoreError.versionConflict {
            throw RecordError.versionConflict
        }
        logger.info("record state changed", metadata: ["record": "\(record.id)", "state": "\(changed.state.rawValue)"])
        return changed
    }

    /// One page of the audit trail (the patient's access history), newest first, within
    /// [`from`, `until`), with the total in that range. Reading it is itself audited.
    public func auditTrailPage(of id: RecordID, from: Date?, until: Date?, limit: Int, offset: Int,
                               by actor: Actor) async throws -> (events: [AuditEvent], total: Int) {
        let (record, controls, decision) = try await authorised(.readAuditTrail, on: id, by: actor)
        // Events naming what the reader may not see are absent, from the total too (RecordService+HistoryVisibility).
        let filter = try await historyFilter(AuditFilter(from: from, until: until), for: actor, in: record, controls: controls)
        let page = try await store.auditEventPage(recordID: record.id, filter: filter, limit: limit, offset: offset)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readAuditTrail,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule))
        return page
    }

    /// The audit trail of a record, newest first: for the holder and a minor's legal representatives.
    /// Reading it is itself audited.
    public func auditTrail(of id: RecordID, by actor: Actor, limit: Int = 100) async throws -> [AuditEvent] {
        let (record, controls, decision) = try await authorised(.readAuditTrail, on: id, by: actor)
        let filter = try await historyFilter(AuditFilter(), for: actor, in: record, controls: controls)
        let events = try await store.auditEventPage(recordID: record.id, filter: filter, limit: limit, offset: 0).events
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readAuditTrail,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule))
        return events
    }

    /// Checks that the database answers, for health checks; touches no health data.
    public func checkDatabase() async throws {
        try await store.ping()
    }

    /// Notifications waiting in the outbox (not yet delivered, not given up), for operations
    /// metrics: a count, no health data.
    public func notificationBacklog() async throws -> Int {
        try await store.notificationBacklog()
    }

    // MARK: - Shared steps

    /// Loads a record and its controls and enforces a record-level `action`; "not found" for a missing record.
    func authorised(_ action: Action, on id: RecordID, by actor: Actor) async throws -> (HealthRecord, AccessControls, Decision) {
        guard let (record, controls) = try await store.recordWithControls(id: id) else {
            try await auditMiss(action, by: actor, detail: "Patient/\(id)")
            throw AccessError.notFound
        }
        let decision = AccessPolicy.decide(action, by: actor, on: record.ins, in: record.state, controls: effective(controls, record))
        try await enforce(decision, action, by: actor, record: record)
        return (record, controls, decision)
    }

    /// The controls as decisions read them (legal representatives only while the holder is a minor).
    func effective(_ controls: AccessControls, _ record: HealthRecord) -> AccessControls {
        controls.effective(for: record.identity, at: clock(), ageOfMajority: ageOfMajority)
    }

    func read(_ record: HealthRecord, _ controls: AccessControls, by actor: Actor) async throws -> HealthRecord {
        let decision = AccessPolicy.decide(.readIdentity, by: actor, on: record.ins, in: record.state, controls: effective(controls, record))
        try await enforce(decision, .readIdentity, by: actor, record: record)
        try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: actor, action: .readIdentity,
                                               resources: [Self.reference(record.id)], outcome: .success, rule: decision.rule))
        return record
    }

    /// Audits a refusal and throws it; does nothing when the decision allows.
    ///
    /// - Parameter concealing: whether the refusal must look like absence; by default as the rule says.
    /// - Parameter throwing: the error to throw instead of the access error, when the front door must
    ///   answer a refusal as an input error (a replaced document that may not be known is "not found").
    func enforce(_ decision: Decision, _ action: Action, by actor: Actor, record: HealthRecord?, resources: [String]? = nil,
                 concealing: Bool? = nil, throwing substitute: (any Error)? = nil) async throws {
        guard !decision.isAllowed else { return }
        try await store.appendAudit(AuditEvent(recordID: record?.id, recordedAt: clock(), actor: actor, action: action,
                                               resources: resources ?? record.map { [Self.reference($0.id)] } ?? [], outcome: .denied,
                                               rule: decision.rule))
        logger.notice("access denied", metadata: ["action": "\(action.rawValue)", "rule": "\(decision.rule.rawValue)",
                                                  "actor.kind": "\(actor.kind.rawValue)"])
        if let substitute { throw substitute }
        throw concealing ?? decision.rule.concealsExistence ? AccessError.notFound : AccessError.denied(decision.rule)
    }

    /// Audits a request for something that does not exist, and logs it as a refusal is logged: a probe
    /// for what does not exist is worth seeing, and it must cost what a refusal costs (issue 24.6).
    func auditMiss(_ action: Action, by actor: Actor, detail: String) async throws {
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: action,
                                               outcome: .failed, rule: nil, detail: detail))
        logger.notice("access denied", metadata: ["action": "\(action.rawValue)", "rule": "not-found", "actor.kind": "\(actor.kind.rawValue)"])
    }

    static func reference(_ id: RecordID) -> String { "Patient/\(id)" }

    /// The service's "now": every front door reads time here (token expiry, portal sessions, rate
    /// limits, a submission's date), so one injected clock moves them all and tests never wait.
    public func now() -> Date { clock() }
}

/// Refusals the door gives, already shaped for a person: a refusal names its rule; absence and
/// concealed refusals look the same on purpose.
public enum AccessError: Error, Equatable, Sendable, CustomStringConvertible {
    case denied(AccessRule)
    case notFound

    public var description: String {
        switch self {
        case .denied(let rule): rule.explanation
        case .notFound: "no record matches, or you may not know it exists"
        }
    }
}
