public import Foundation

/// What the patient (or the law, for the treating physician) decided about who may see their record:
/// the facts the policy reads besides the actor and the document (DOMAIN.md, Who may do what).
///
/// One value per record, stored whole and changed with a version check, so a decision always reads
/// one consistent set of choices. Professionals are keyed by RPPS, legal representatives by INS value.
public struct AccessControls: Hashable, Sendable, Codable {
    /// Who may read, and on what basis (explicit grant, consent declared in consultation, care team…).
    public var authorisations: [String: Authorisation]
    /// Professionals the patient blocked: no access in any mode, authorised or not.
    public var blocked: [String: Date]
    /// Professionals the patient opposed as care-team members: their care-team declaration authorises nothing.
    public var careTeamOpposed: Set<String>
    /// The *médecin traitant DMP*: reads documents masked to professionals.
    public var treatingPhysician: TreatingPhysician?
    /// `false` once the patient opposed break-the-glass access.
    public var breakTheGlassAllowed: Bool
    /// `false` once the patient opposed Centre 15 regulation access.
    public var regulationAllowed: Bool
    /// The patient hid every document from every professional but its author, even in emergencies.
    public var documentsHiddenFromProfessionals: Bool
    /// Legal representatives of a minor holder, by INS value.
    public var legalRepresentatives: Set<String>
    /// The patient opposed the feeding of their record: professionals may no longer add documents.
    public var feedingOpposed: Bool?
    /// The patient asked to be told of each new document (`nil`: never asked, no).
    public var notifyNewDocuments: Bool?
    /// Professionals whose authorisation the patient revoked, with when: until the patient authorises
    /// them again, their own declarations (consent in consultation, care team) authorise nothing, so a
    /// revocation cannot be undone by the professional it was aimed at. `nil` in controls stored before.
    public var revoked: [String: Date]?
    /// Bumped by every change (optimistic concurrency, and the Consent versions).
    public var version: Int

    public init(authorisations: [String: Authorisation] = [:], blocked: [String: Date] = [:], careTeamOpposed: Set<String> = [],
                treatingPhysician: TreatingPhysician? = nil, breakTheGlassAllowed: Bool = true, regulationAllowed: Bool = true,
                documentsHiddenFromProfessionals: Bool = false, legalRepresentatives: Set<String> = [], version: Int = 0) {
        self.authorisations = authorisations
        self.blocked = blocked
        self.careTeamOpposed = careTeamOpposed
        self.treatingPhysician = treatingPhysician
        self.breakTheGlassAllowed = breakTheGlassAllowed
        self.regulationAllowed = regulationAllowed
        self.documentsHiddenFromProfessionals = documentsHiddenFromProfessionals
        self.legalRepresentatives = legalRepresentatives
        self.version = version
    }

    /// The authorisation that lets `rpps` read in normal mode, if any: care-team membership counts
    /// only while the patient has not opposed it.
    public func effectiveAuthorisation(of rpps: String) -> Authorisation? {
        guard let authorisation = authorisations[rpps] else { return nil }
        if authorisation.basis == .careTeam && careTeamOpposed.contains(rpps) { return nil }
        return authorisation
    }

    public func isTreatingPhysician(_ rpps: String) -> Bool { treatingPhysician?.rpps == rpps }

    /// Whether the patient revoked `rpps` and has not authorised them again since.
    public func isRevoked(_ rpps: String) -> Bool { revoked?[rpps] != nil }

    /// The controls as decisions must read them: legal representatives act only while the holder is a
    /// minor, and only where minor management is on (`ageOfMajority` nil: off) — settings, per DOMAIN.md.
    public func effective(for identity: PatientIdentity, at now: Date, ageOfMajority: Int?) -> AccessControls {
        guard !legalRepresentatives.isEmpty else { return self }
        var effective = self
        if let ageOfMajority, identity.isMinor(at: now, ageOfMajority: ageOfMajority) { return self }
        effective.legalRepresentatives = []
        return effective
    }
}

/// One professional's authorisation to read a record.
public struct Authorisation: Hashable, Sendable, Codable {
    /// Where the authorisation comes from; written in the audit trail and the patient's Consent list.
    public enum Basis: String, Hashable, Sendable, Codable, CaseIterable {
        /// The patient granted it themselves (portal, `$authorize` by the patient).
        case patientGrant = "patient-grant"
        /// The professional declared that the patient consented during a consultation.
        case consultation = "consultation-consent"
        /// The professional created the record with the patient's consent.
        case recordCreation = "record-creation"
        /// The professional declared care-team membership (deemed authorised unless the patient opposes).
        case careTeam = "care-team"
    }

    public var basis: Basis
    public var since: Date
    /// Declared by a professional acting in a minor's secret connection (CSP L1111-5): what they do
    /// there, this declaration included, is absent for the legal representatives (issue 23.7).
    /// `nil` (authorisations stored before the flag existed) reads as `false`.
    public var declaredInSecretConnection: Bool?

    public init(basis: Basis, since: Date, declaredInSecretConnection: Bool? = nil) {
        self.basis = basis
        self.since = since
        self.declaredInSecretConnection = declaredInSecretConnection
    }
}

extension Authorisation {
    /// The id of the `Consent` that shows an authorisation: named by the audit event of its
    /// declaration, so the history leaves that event out for whoever may not see the Consent.
    public static func consentID(recordID: RecordID, rpps: String) -> String { "\(recordID)-authorisation-\(rpps)" }
}

extension AccessControls {
    /// The controls as `person` may read them (the `Consent` list): a legal representative does not
    /// see the authorisations professionals declared in the minor's secret connection — they would
    /// reveal the confidential care (issue 23.7); the holder sees everything.
    public func shown(to person: INS, holder: INS) -> AccessControls {
        guard person.value != holder.value else { return self }
        var shown = self
        shown.authorisations = authorisations.filter { $0.value.declaredInSecretConnection != true }
        return shown
    }
}

/// The patient's designated treating physician (*médecin traitant DMP*).
public struct TreatingPhysician: Hashable, Sendable, Codable {
    public var rpps: String
    public var since: Date

    public init(rpps: String, since: Date) {
        self.rpps = rpps
        self.since = since
    }
}
