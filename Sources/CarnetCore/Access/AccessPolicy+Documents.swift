public import Foundation

/// What a document decision reads besides the actor and the document: the record, the patient's
/// controls, the habilitation matrix and the time (for rules that lift themselves).
public struct DocumentAccessContext: Sendable {
    public var ins: INS
    public var state: RecordState
    public var controls: AccessControls
    public var matrix: HabilitationMatrix
    public var now: Date

    public init(ins: INS, state: RecordState, controls: AccessControls, matrix: HabilitationMatrix, now: Date) {
        self.ins = ins
        self.state = state
        self.controls = controls
        self.matrix = matrix
        self.now = now
    }
}

extension AccessPolicy {
    /// How long "not visible to the patient" holds without an announcement (CSP R1111-53: one month).
    public static func invisibilityLifts(for document: some DocumentAccessFacts) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return calendar.date(byAdding: .month, value: 1, to: document.recordedAt) ?? document.recordedAt.addingTimeInterval(31 * 86_400)
    }

    /// Whether the document is still hidden from its patient at `now`.
    public static func hiddenFromPatient(_ document: some DocumentAccessFacts, at now: Date) -> Bool {
        document.visibility.invisibleToPatient && now < invisibilityLifts(for: document)
    }

    /// Decides a document action: adding one, reading or listing, changing its status or visibility.
    ///
    /// For listing, the service asks once for the search (`document == nil`) and then once per
    /// document, dropping the refused ones silently: a document the actor may not see is absent,
    /// never a 403 that reveals it (DOMAIN.md, Masked documents).
    ///
    /// Professionals, in order: the record must be active; a blocked professional has no access in
    /// any mode; feeding needs no authorisation (unless blocked) but the profession's right to write;
    /// the author keeps their own documents; any other read needs a basis — the patient's
    /// authorisation (or care-team membership not opposed), being the treating physician, or an
    /// emergency mode the patient did not oppose — then the document must not be masked (except to
    /// the treating physician, never in emergencies) nor all documents hidden, and the profession
    /// must be allowed that document type by the matrix.
    ///
    /// - Parameter document: the document concerned; `nil` for a creation or the search itself.
    public static func decideDocument(_ action: Action, by actor: Actor, in context: DocumentAccessContext,
                                      document: (any DocumentAccessFacts)?) -> Decision {
        guard action.isDocumentAction else { return .deny(.roleNotAllowed) }
        // A credential issued for one patient (a VIHF) opens that patient's record only, whatever else holds.
        if actor.isScopedToAnotherPatient(than: context.ins) { return .deny(.credentialForAnotherPatient) }
        if context.state == .deleted { return .deny(.recordDeleted) }
        switch actor.role {
        case .patient(let person):
            return decideForPatientSide(action, person: person, context, document)
        case .professional(let professional), .regulator(let professional):
            return decideForProfessional(action, actor, professional, context, document)
        case .agent, .insurer:
            return .deny(.noClinicalContent)
        }
    }

    /// Decides replacing `replaced` with a new version (TD2.1): replacing is deciding on the replaced
    /// document, so the actor must first be allowed to know it (a refusal here conceals it, as for an id
    /// that does not exist), then be its submitter — a professional's software replaces its own
    /// documents (PDSm TD2.1, DOMAIN.md), and the patient side replaces only what it submitted —
    /// with the right to change it (normal mode, active record).
    public static func decideReplacement(by actor: Actor, in context: DocumentAccessContext, replaced: some DocumentAccessFacts) -> Decision {
        let read = decideDocument(.readDocument, by: actor, in: context, document: replaced)
        guard read.isAllowed else { return read }
        guard replaced.submitterID == actor.identifier else { return .deny(.onlyAuthorReplaces) }
        return decideDocument(.changeDocument, by: actor, in: context, document: replaced)
    }

    /// Decides lifting the mask of a masked document (TD3.3a): as masking, except that a mask the
    /// patient side set is the patient's to lift — the author masks and unmasks only their own masks.
    public static func decideUnmask(by actor: Actor, in context: DocumentAccessContext, document: some DocumentAccessFacts) -> Decision {
        let decision = decideDocument(.maskDocument, by: actor, in: context, document: document)
        guard decision.isAllowed, document.visibility.maskSetByPatient == true, !actor.isPatientSide else { return decision }
        return .deny(.maskSetByPatient)
    }

    /// The holder and a minor's legal representatives.
    private static func decideForPatientSide(_ action: Action, person: INS, _ context: DocumentAccessContext,
                                             _ document: (any DocumentAccessFacts)?) -> Decision {
        let rule: AccessRule
        if person.value == context.ins.value {
            rule = .holderActsOnOwnRecord
        } else if context.controls.legalRepresentatives.contains(person.value) {
            rule = .legalRepresentativeActsForMinor
            if let document, document.visibility.invisibleToLegalRepresentatives { return .deny(.documentNotVisibleToLegalRepresentatives) }
        } else {
            return .deny(.notTheHolder)
        }
        if action == .revealDocumentToPatient { return .deny(.roleNotAllowed) }
        if let document, action != .createDocument, hiddenFromPatient(document, at: context.now) {
            return .deny(.documentNotVisibleToPatient)
        }
        return .allow(rule)
    }

    private static func decideForProfessional(_ action: Action, _ actor: Actor, _ professional: Professional,
                                              _ context: DocumentAccessContext, _ document: (any DocumentAccessFacts)?) -> Decision {
        let rpps = professional.rpps.value
        let controls = context.controls
        guard context.state == .active else { return .deny(.recordClosed) }
        if controls.blocked[rpps] != nil { return .deny(.professionalBlocked) }
        let isAuthor = document.map { $0.submitterID == actor.identifier } ?? false

        switch action {
        case .createDocument:
            // Feeding is not reading: no authorisation needed, in normal mode, within the profession's rights.
            guard case .professional = actor.role, actor.accessMode == .normal else { return .deny(.roleNotAllowed) }
            if controls.feedingOpposed == true { return .deny(.feedingOpposed) }
            if let document, !context.matrix.mayWrite(professional.profession, type: document.type.code) { return .deny(.professionNotHabilitated) }
            return .allow(.professionalFeedsActiveRecord)
        case .searchDocuments where document == nil:
            // The search itself; each result is then decided on its own (an author finds their own).
            // An emergency mode the patient opposed is said at once rather than answered by an empty list.
            if actor.accessMode == .breakTheGlass && !controls.breakTheGlassAllowed { return .deny(.breakTheGlassOpposed) }
            if actor.accessMode == .centre15 && !controls.regulationAllowed { return .deny(.regulationOpposed) }
            return .allow(.professionalSearchesOwnOrInEmergency)
        case .changeDocument:
            // Only the professional who submitted it changes a document's status (TD3.3c: author only).
            return isAuthor && actor.accessMode == .normal ? .allow(.authorChangesOwnDocument) : .deny(isAuthor ? .roleNotAllowed : .notTheDocumentAuthor)
        case .maskDocument:
            return isAuthor && actor.accessMode == .normal ? .allow(.authorChangesOwnDocument) : .deny(isAuthor ? .roleNotAllowed : .notTheDocumentAuthor)
        default:
            break
        }
        guard let document else { return .deny(.roleNotAllowed) }
        if isAuthor { return .allow(.authorReadsOwnDocument) }
        // A document withdrawn as entered in error leaves every other professional's searches
        // (issue 23.15): only the patient side and its author still find it.
        if document.status == .enteredInError { return .deny(.documentWithdrawn) }

        let basis: AccessRule
        switch actor.accessMode {
        case .normal:
            guard case .professional = actor.role else { return .deny(.roleNotAllowed) }
            if controls.isTreatingPhysician(rpps) {
                basis = .treatingPhysician
            } else if let authorisation = controls.effectiveAuthorisation(of: rpps) {
                basis = authorisation.basis == .careTeam ? .careTeamMember : .authorisedByPatient
            } else {
                return .deny(.noAuthorisationYet)
            }
        case .breakTheGlass:
            guard case .professional = actor.role else { return .deny(.roleNotAllowed) }
            guard controls.breakTheGlassAllowed else { return .deny(.breakTheGlassOpposed) }
            basis = .breakTheGlass
        case .centre15:
            guard case .regulator = actor.role else { return .deny(.roleNotAllowed) }
            guard controls.regulationAllowed else { return .deny(.regulationOpposed) }
            basis = .centre15Regulation
        }
        if controls.documentsHiddenFromProfessionals { return .deny(.documentsHiddenByPatient) }
        if document.visibility.maskedToProfessionals && basis != .treatingPhysician { return .deny(.documentMasked) }
        guard context.matrix.mayRead(professional.profession, type: document.type.code) else { return .deny(.professionNotHabilitated) }
        if action == .revealDocumentToPatient && actor.accessMode != .normal { return .deny(.roleNotAllowed) }
        return .allow(basis)
    }
}

extension AccessPolicy {
    /// Whether a refusal on a closed record must look like absence (404) rather than say "record closed".
    ///
    /// A professional is told a record is closed only about what they could otherwise see: a masked
    /// document, one they are not authorised for, or one their profession may not read answers, on a
    /// closed record, exactly as a random id — else "record closed" would confirm that it exists
    /// (issue 24.5). Decided by asking again as if the record were active.
    public static func concealsClosedRecordRefusal(_ action: Action, by actor: Actor, in context: DocumentAccessContext,
                                                   document: any DocumentAccessFacts) -> Bool {
        guard context.state == .closed else { return false }
        var active = context
        active.state = .active
        return !decideDocument(action, by: actor, in: active, document: document).isAllowed
    }

    /// Whether a refusal of `decision` conceals the thing asked for: by the rule, or, for "record
    /// closed", when the actor could not see it on an active record either.
    public static func refusalConceals(_ decision: Decision, _ action: Action, by actor: Actor, in context: DocumentAccessContext,
                                       document: any DocumentAccessFacts) -> Bool {
        decision.rule == .recordClosed ? concealsClosedRecordRefusal(action, by: actor, in: context, document: document) : true
    }
}
