public import CarnetCore
import CarnetStore
import Foundation
import CarnetJSON

/// What the portals' sign-in needs from the door: sending a one-time code to a holder, and the audit
/// lines of sign-ins. Neither reads health data; both leave a trace in the record's history.
extension RecordService {
    /// Sends `code` to the holder of the record for the first of `candidates` that has one (the same
    /// number under the INS systems a person may hold), through the notification outbox; `nil` when
    /// none has (the caller answers the same either way, so as not to reveal it).
    public func sendSignInCode(_ code: String, toFirstOf candidates: [INS], validForMinutes minutes: Int) async throws -> INS? {
        for ins in candidates {
            guard let record = try await store.record(ins: ins), record.state != .deleted else { continue }
            let now = clock()
            let notification = PatientNotification(
                recordID: record.id, kind: .signInCode, createdAt: now, dedupeKey: "sign-in:\(UUID().lowercasedText)",
                message: "Votre code de connexion à Carnet : \(code). Il est valable \(minutes) minutes. Si vous ne l'avez pas demandé, ignorez ce message.")
            try await store.addNotification(notification, audit: AuditEvent(recordID: record.id, recordedAt: now, actor: .patient(ins),
                                                                             action: .requestSignInCode, outcome: .success, rule: .holderActsOnOwnRecord))
            return ins
        }
        if let first = candidates.first { try await auditMiss(.requestSignInCode, by: .patient(first), detail: "no record for this INS") }
        return nil
    }

    /// Audits a refused code request (too many codes asked for this INS lately) on the record of the
    /// first of `candidates` that has one, or as a miss: every refusal leaves a trace, and the caller
    /// answers the same either way.
    public func refuseSignInCode(toFirstOf candidates: [INS], detail: String) async throws {
        for ins in candidates {
            guard let record = try await store.record(ins: ins), record.state != .deleted else { continue }
            try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: clock(), actor: .patient(ins), action: .requestSignInCode,
                                                   resources: [Self.reference(record.id)], outcome: .denied, rule: nil, detail: detail))
            return
        }
        if let first = candidates.first { try await auditMiss(.requestSignInCode, by: .patient(first), detail: detail) }
    }

    /// Writes a sign-in (or a refused one) to the audit trail of the record it concerns, if any.
    public func auditSignIn(by actor: Actor, ins: INS?, succeeded: Bool, detail: String? = nil) async throws {
        let record = try await ins.asyncMap { try await store.record(ins: $0) } ?? nil
        try await store.appendAudit(AuditEvent(recordID: record?.id, recordedAt: clock(), actor: actor, action: .signIn,
                                               outcome: succeeded ? .success : .denied, rule: nil, detail: detail))
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
