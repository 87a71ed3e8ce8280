extension AccessPolicy {
    /// Decides a document action: adding one to a record, or reading or listing one.
    ///
    /// For listing, the service asks once per document and drops the refused ones silently: a
    /// document the actor may not see is absent, never a 403 that reveals it (DOMAIN.md, Masked documents).
    ///
    /// Interim rules until the Access control issue (4) brings consent, blocking, the treating physician
    /// and the habilitation matrix — deliberately narrower than the DMP, never wider:
    /// - the holder adds documents to their record, reads all of them but those not visible to the patient,
    ///   and deletes or archives them;
    /// - the professional who submitted a document changes its status (delete, archive, entered in error);
    /// - a professional in normal mode feeds an active record (feeding needs no authorisation, PDSm);
    /// - a professional reads the documents they submitted; in a declared emergency (break-the-glass,
    ///   Centre 15) they read an active record's documents, except documents masked to professionals;
    /// - agents and the insurer never read or write clinical content.
    ///
    /// - Parameter document: the document concerned, for reads; `nil` for a creation.
    public static func decideDocument(_ action: Action, by actor: Actor, on ins: INS, in state: RecordState,
                                      document: DocumentEntry?) -> Decision {
        guard action.isDocumentAction else { return .deny(.roleNotAllowed) }
        if state == .deleted { return .deny(.recordDeleted) }
        switch actor.role {
        case .patient(let holder):
            guard holder.value == ins.value else { return .deny(.notTheHolder) }
            if let document, document.visibility.invisibleToPatient, action != .createDocument { return .deny(.documentNotVisibleToPatient) }
            return .allow(.holderActsOnOwnRecord)
        case .professional, .regulator:
            guard state == .active else { return .deny(.recordClosed) }
            if action == .createDocument {
                guard case .professional = actor.role, actor.accessMode == .normal else { return .deny(.roleNotAllowed) }
                return .allow(.professionalFeedsActiveRecord)
            }
            if action == .searchDocuments && document == nil {
                // The search itself; each result is then decided on its own.
                return .allow(.professionalSearchesOwnOrInEmergency)
            }
            guard let document else { return .deny(.roleNotAllowed) }
            if action == .changeDocument {
                // Only the professional who submitted it changes a document's status (TD3.3c: author only).
                if document.submitterID == actor.identifier, actor.accessMode == .normal { return .allow(.authorChangesOwnDocument) }
                return document.submitterID == actor.identifier ? .deny(.roleNotAllowed) : .deny(.noAuthorisationYet)
            }
            if document.submitterID == actor.identifier { return .allow(.authorReadsOwnDocument) }
            if document.visibility.maskedToProfessionals { return .deny(.documentMasked) }
            if actor.accessMode.isEmergency { return .allow(.emergencyAccess) }
            return .deny(.noAuthorisationYet)
        case .agent, .insurer:
            return .deny(.noClinicalContent)
        }
    }
}
