/// Who is asking, as established by authentication: the subject of every access decision and audit event.
///
/// An `Actor` is built only from a verified token (or, for operators, the command line), never from
/// anything the request body says. It carries the access mode the actor declared, because the same
/// professional is treated differently in an emergency (DOMAIN.md, Emergency access).
public struct Actor: Hashable, Sendable {
    public var role: Role
    public var accessMode: AccessMode
    /// The reason given for an emergency access; required when ``accessMode`` is not ``AccessMode/normal``.
    public var emergencyReason: String?

    /// A minor's secret connection (*connexion secrète*, CSP L1111-5): every document this professional
    /// adds is invisible to the minor's legal representatives.
    public var secretConnection: Bool

    /// The one patient this actor's credential was issued for, when it names one: a VIHF (the DMP's
    /// SAML assertion) is scoped to the patient of its `resource-id`, so the policy refuses it on any
    /// other record (``AccessRule/credentialForAnotherPatient``). `nil`: not scoped (bearer tokens,
    /// client certificates).
    public var patientScope: INS?

    public init(role: Role, accessMode: AccessMode = .normal, emergencyReason: String? = nil, secretConnection: Bool = false,
                patientScope: INS? = nil) {
        self.role = role
        self.accessMode = accessMode
        self.emergencyReason = emergencyReason
        self.secretConnection = secretConnection
        self.patientScope = patientScope
    }

    /// Whether this actor's credential, if scoped to a patient, is for another patient than `ins`.
    public func isScopedToAnotherPatient(than ins: INS) -> Bool {
        guard let patientScope else { return false }
        return patientScope.value != ins.value
    }

    /// The kinds of people and systems that act on records.
    public enum Role: Hashable, Sendable {
        /// The record's holder (*titulaire*), identified by their INS.
        case patient(INS)
        /// A health professional acting through their software.
        case professional(Professional)
        /// An emergency regulator of a Centre 15 (SAMU), who may read in `centre_15` mode.
        case regulator(Professional)
        /// A health-insurer agent (*agent CPAM*): creates and closes records, never reads clinical content.
        case agent(id: String)
        /// The health insurer's feed: writes the care history only.
        case insurer(id: String)
    }

    public static func patient(_ ins: INS) -> Actor { Actor(role: .patient(ins)) }

    /// The kind of actor, as written in tokens and audit events.
    public var kind: Kind {
        switch role {
        case .patient: .patient
        case .professional: .professional
        case .regulator: .regulator
        case .agent: .agent
        case .insurer: .insurer
        }
    }

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case patient, professional, regulator, agent, insurer
    }

    /// A stable identifier of the actor for audit trails: the INS, the RPPS or the staff id.
    /// The holder or a legal representative (whose items are "recorded by the patient").
    public var isPatientSide: Bool {
        if case .patient = role { return true }
        return false
    }

    public var identifier: String {
        switch role {
        case .patient(let ins): ins.value
        case .professional(let professional), .regulator(let professional): professional.rpps.value
        case .agent(let id), .insurer(let id): id
        }
    }

    /// The professional behind the actor, for professionals and regulators.
    public var professional: Professional? {
        switch role {
        case .professional(let professional), .regulator(let professional): professional
        default: nil
        }
    }
}

/// A health professional as authenticated: who they are and what their profession allows.
public struct Professional: Hashable, Sendable {
    public var rpps: RPPS
    public var profession: Profession
    /// Specialty code, e.g. `SM26` for general practice; informative for now.
    public var specialty: String?
    public var displayName: String?

    public init(rpps: RPPS, profession: Profession, specialty: String? = nil, displayName: String? = nil) {
        self.rpps = rpps
        self.profession = profession
        self.specialty = specialty
        self.displayName = displayName
    }
}
