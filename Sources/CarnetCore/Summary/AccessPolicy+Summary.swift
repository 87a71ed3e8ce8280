import Foundation

/// What is being done to a summary item.
public enum SummaryOperation: String, Sendable, CaseIterable {
    case read, create, update, delete
}

extension AccessPolicy {
    /// Decides an operation on an item of the structured summary, by the document rules applied to the
    /// item's section (``SummaryKind/documentType``) plus the summary's own:
    ///
    /// - reading is reading that section's document: the patient side always, a professional with a
    ///   basis (authorisation, care team, treating physician, emergency) whose profession the matrix
    ///   lets read it, or who recorded the item;
    /// - contacts, the trusted person, directives and organ donation are the patient's own section:
    ///   only the holder (or a minor's legal representative) writes them;
    /// - clinical items are created by professionals as they feed the record (no authorisation, within
    ///   the profession's right to write), and by the patient as self-reported;
    /// - changing an item needs the right to create it and, for a professional, to read it; the
    ///   patient side changes only what it recorded last;
    /// - deleting is the act of whoever recorded the item first (as only an author deletes a document).
    ///
    /// - Parameters:
    ///   - current: the item's latest version, for every operation but `create`.
    ///   - first: the item's first version, whose recorder is the item's author.
    public static func decideSummary(_ operation: SummaryOperation, kind: SummaryKind, by actor: Actor, in context: DocumentAccessContext,
                                     current: SummaryEntry?, first: SummaryEntry?) -> Decision {
        let author = first?.authorID ?? actor.identifier
        let document = (current ?? SummaryEntry(recordID: RecordID(), kind: kind, status: "", code: nil, date: nil, authorID: author,
                                                recordedByPatient: false, recordedAt: context.now, resource: .init()))
            .asPolicyDocument(firstAuthorID: author)
        let read = decideDocument(.readDocument, by: actor, in: context, document: document)
        if operation == .read { return read }

        let patientSide: Bool
        switch actor.role {
        case .patient: patientSide = true
        case .professional, .regulator: patientSide = false
        case .agent, .insurer: return .deny(.noClinicalContent)
        }
        if !patientSide && kind.isPatientSection { return .deny(.patientSectionOnly) }
        let create = decideDocument(.createDocument, by: actor, in: context, document: patientSide ? nil : document)
        guard create.isAllowed else { return create }
        guard operation != .create else { return create }
        guard let current, let first else { return .deny(.roleNotAllowed) }

        if patientSide {
            guard read.isAllowed else { return read }
            let recordedByPatientSide = operation == .delete ? first.recordedByPatient : current.recordedByPatient
            return recordedByPatientSide ? create : .deny(.itemRecordedByProfessional)
        }
        if operation == .delete {
            return !first.recordedByPatient && first.authorID == actor.identifier ? .allow(.authorChangesOwnDocument) : .deny(.notTheItemAuthor)
        }
        return read.isAllowed ? create : read
    }
}
