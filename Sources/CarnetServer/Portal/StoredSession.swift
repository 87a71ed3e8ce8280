import CarnetPortal
import CarnetCore
import Foundation

/// A portal session as the store keeps it: JSON of who it stands for and what it holds (the actor,
/// the CSRF token, the record open, the declared emergency…). The actor is written field by field and
/// rebuilt through the same validating initialisers as a token's claims, so a stored session can never
/// stand for an actor a token could not.
enum StoredSession {
    struct Payload: Codable {
        var kind: Actor.Kind
        var identifier: String
        var insSystem: INSSystem?
        var profession: String?
        var specialty: String?
        var displayName: String?
        var accessMode: AccessMode
        var emergencyReason: String?
        var secretConnection: Bool
        var csrfToken: String
        var patient: UUID?
        var represented: String?
        var emergency: Emergency?
        var signedInAs: String?
        var visit: PortalVisit?
    }

    struct Emergency: Codable {
        var record: UUID
        var mode: AccessMode
        var reason: String
    }

    struct Undecodable: Error {}

    static func encode(_ session: PortalSessions.Session) throws -> Data {
        let actor = session.actor
        var payload = Payload(kind: actor.kind, identifier: actor.identifier, accessMode: actor.accessMode, emergencyReason: actor.emergencyReason,
                              secretConnection: actor.secretConnection, csrfToken: session.csrfToken, patient: session.patient?.rawValue,
                              represented: session.represented, signedInAs: session.signedInAs, visit: session.visit)
        switch actor.role {
        case .patient(let ins): payload.insSystem = ins.system
        case .professional(let professional), .regulator(let professional):
            payload.profession = professional.profession.code
            payload.specialty = professional.specialty
            payload.displayName = professional.displayName
        case .agent, .insurer: break
        }
        payload.emergency = session.emergency.map { Emergency(record: $0.record.rawValue, mode: $0.mode, reason: $0.reason) }
        return try JSONEncoder().encode(payload)
    }

    static func decode(_ data: Data, id: String, lastSeen: Date, expires: Date) throws -> PortalSessions.Session {
        let payload = try JSONDecoder().decode(Payload.self, from: data)
        let role: Actor.Role
        switch payload.kind {
        case .patient:
            role = .patient(try INS(payload.identifier, system: payload.insSystem ?? .nir, keyChecking: .relaxedForTestIdentities))
        case .professional, .regulator:
            guard let code = payload.profession else { throw Undecodable() }
            let professional = Professional(rpps: try RPPS(payload.identifier), profession: try Profession(code: code),
                                            specialty: payload.specialty, displayName: payload.displayName)
            role = payload.kind == .regulator ? .regulator(professional) : .professional(professional)
        case .agent: role = .agent(id: payload.identifier)
        case .insurer: role = .insurer(id: payload.identifier)
        }
        var session = PortalSessions.Session(id: id, actor: Actor(role: role, accessMode: payload.accessMode, emergencyReason: payload.emergencyReason,
                                                                  secretConnection: payload.secretConnection),
                                             csrfToken: payload.csrfToken, lastSeen: lastSeen, expires: expires)
        session.patient = payload.patient.map { RecordID($0) }
        session.represented = payload.represented
        session.signedInAs = payload.signedInAs
        session.visit = payload.visit
        session.emergency = payload.emergency.map { PortalEmergency(record: RecordID($0.record), mode: $0.mode, reason: $0.reason) }
        return session
    }
}
