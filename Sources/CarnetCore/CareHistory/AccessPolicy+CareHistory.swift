public import Foundation

extension AccessPolicy {
    /// Decides reading a record's care history (its claims, searched or read one by one).
    ///
    /// Why no rule of its own: the DMP shows the care history as a document of type `REMB`
    /// (*données de remboursement*, TRE_A05, class 60) submitted by the insurer, so the document rules
    /// decide it — the patient side; professionals with a basis (authorisation, care team, treating
    /// physician, an emergency mode the patient did not oppose) whose profession the matrix lets read
    /// `REMB`, unless blocked or the documents are hidden; never insurer agents or the feed itself, and
    /// no professional is its author.
    public static func decideCareHistory(of recordID: RecordID, by actor: Actor, in context: DocumentAccessContext) -> Decision {
        decideDocument(.readDocument, by: actor, in: context, document: careHistoryDocument(of: recordID, at: context.now))
    }

    /// Decides the feed's bulk actions, which concern no one record: importing claims and purging the
    /// claims past the 24-month window — the insurer's feed alone (an operator at the command line acts
    /// as it); never a patient, a professional or an insurer agent.
    ///
    /// Loading the national directory of professionals (`carnet import directory`) is decided here too:
    /// a bulk load of public reference data, by the same system identity — an operator at the command
    /// line, never a person of the portals or a client of the API.
    public static func decideFeed(_ action: Action, by actor: Actor) -> Decision {
        guard action == .importCareHistory || action == .purgeCareHistory || action == .importDirectory else { return .deny(.roleNotAllowed) }
        guard case .insurer = actor.role else { return .deny(.roleNotAllowed) }
        return .allow(action == .importDirectory ? .operatorLoadsDirectory : .insurerFeedsCareHistory)
    }

    /// The care history as the document the policy reasons about.
    public static func careHistoryDocument(of recordID: RecordID, at now: Date) -> DocumentEntry {
        DocumentEntry(recordID: recordID, uniqueID: "care-history:\(recordID)", type: Code(system: "urn:oid:1.2.250.1.213.1.1.4.12", code: "REMB"),
                      category: Code(system: "urn:oid:1.2.250.1.213.1.1.4.1", code: "60"), submitterID: "assurance-maladie", date: now,
                      recordedAt: now,
                      content: DocumentContent(contentType: "application/fhir+json", language: "fr-FR", size: 0, sha256: "", sha1Base64: "", keyID: ""))
    }
}
