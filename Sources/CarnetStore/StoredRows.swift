public import CarnetCore
public import Foundation

/// A record as plain columns, the one shape both engines read and write.
///
/// Keeping the column mapping here means SQLite and PostgreSQL cannot drift in how they spell a
/// state, serialise an identity or round a date.
public struct RecordRow: Sendable, Equatable {
    public var id: UUID
    public var insSystem: String
    public var insValue: String
    public var identityJSON: String
    public var state: String
    public var createdAtMilliseconds: Int64
    public var stateChangedAtMilliseconds: Int64
    public var stateReason: String?
    public var version: Int

    public init(id: UUID, insSystem: String, insValue: String, identityJSON: String, state: String,
                createdAtMilliseconds: Int64, stateChangedAtMilliseconds: Int64, stateReason: String?, version: Int) {
        self.id = id
        self.insSystem = insSystem
        self.insValue = insValue
        self.identityJSON = identityJSON
        self.state = state
        self.createdAtMilliseconds = createdAtMilliseconds
        self.stateChangedAtMilliseconds = stateChangedAtMilliseconds
        self.stateReason = stateReason
        self.version = version
    }

    public init(_ record: HealthRecord) throws {
        self.init(id: record.id.rawValue, insSystem: record.ins.system.uri, insValue: record.ins.value,
                  identityJSON: try StoredForms.encodeJSON(record.identity), state: record.state.rawValue,
                  createdAtMilliseconds: StoredForms.milliseconds(record.createdAt),
                  stateChangedAtMilliseconds: StoredForms.milliseconds(record.stateChangedAt),
                  stateReason: record.stateReason, version: record.version)
    }

    public func record() throws -> HealthRecord {
        HealthRecord(id: RecordID(id), ins: try StoredForms.ins(system: insSystem, value: insValue),
                     identity: try StoredForms.identity(from: identityJSON),
                     state: try StoredForms.enumValue(RecordState.self, state),
                     createdAt: StoredForms.date(milliseconds: createdAtMilliseconds),
                     stateChangedAt: StoredForms.date(milliseconds: stateChangedAtMilliseconds),
                     stateReason: stateReason, version: version)
    }
}

/// An audit event as plain columns.
public struct AuditRow: Sendable, Equatable {
    public var id: UUID
    public var recordID: UUID?
    public var recordedAtMilliseconds: Int64
    public var actorKind: String
    public var actorID: String
    public var profession: String?
    public var accessMode: String
    public var emergencyReason: String?
    public var action: String
    public var resourcesJSON: String
    public var outcome: String
    public var rule: String?
    public var detail: String?
    /// ``AuditEvent/secretConnection`` (`secret_connection`, migration 013).
    public var secretConnection: Bool

    public init(id: UUID, recordID: UUID?, recordedAtMilliseconds: Int64, actorKind: String, actorID: String,
                profession: String?, accessMode: String, emergencyReason: String?, action: String,
                resourcesJSON: String, outcome: String, rule: String?, detail: String?, secretConnection: Bool = false) {
        self.id = id
        self.recordID = recordID
        self.recordedAtMilliseconds = recordedAtMilliseconds
        self.actorKind = actorKind
        self.actorID = actorID
        self.profession = profession
        self.accessMode = accessMode
        self.emergencyReason = emergencyReason
        self.action = action
        self.resourcesJSON = resourcesJSON
        self.outcome = outcome
        self.rule = rule
        self.detail = detail
        self.secretConnection = secretConnection
    }

    public init(_ event: AuditEvent) throws {
        self.init(id: event.id, recordID: event.recordID?.rawValue,
                  recordedAtMilliseconds: StoredForms.milliseconds(event.recordedAt), actorKind: event.actorKind.rawValue,
                  actorID: event.actorID, profession: event.profession, accessMode: event.accessMode.rawValue,
                  emergencyReason: event.emergencyReason, action: event.action.rawValue,
                  resourcesJSON: StoredForms.stringsJSON(event.resources), outcome: event.outcome.rawValue,
                  rule: event.rule?.rawValue, detail: event.detail, secretConnection: event.secretConnection)
    }

    public func event() throws -> AuditEvent {
        AuditEvent(id: id, recordID: recordID.map(RecordID.init), recordedAt: StoredForms.date(milliseconds: recordedAtMilliseconds),
                   actorKind: try StoredForms.enumValue(Actor.Kind.self, actorKind), actorID: actorID, profession: profession,
                   accessMode: try StoredForms.enumValue(AccessMode.self, accessMode), emergencyReason: emergencyReason,
                   action: try StoredForms.enumValue(Action.self, action),
                   resources: try StoredForms.strings(fromJSON: resourcesJSON),
                   outcome: try StoredForms.enumValue(AuditEvent.Outcome.self, outcome),
                   rule: try rule.map { try StoredForms.enumValue(AccessRule.self, $0) }, detail: detail, secretConnection: secretConnection)
    }
}

extension AuditEvent {
    /// The same event attributed to `recordID`: a creation that found an existing record is audited
    /// against that record, not the one the caller proposed.
    public func pointing(at recordID: RecordID) -> AuditEvent {
        let resources = self.recordID.map { old in self.resources.map { $0.replacingOccurrences(of: old.description, with: recordID.description) } }
        return AuditEvent(id: id, recordID: recordID, recordedAt: recordedAt, actorKind: actorKind, actorID: actorID,
                          profession: profession, accessMode: accessMode, emergencyReason: emergencyReason, action: action,
                          resources: resources ?? self.resources, outcome: outcome, rule: rule, detail: detail,
                          secretConnection: secretConnection)
    }

    /// A creation that found the record already there answers with that record: a read of its
    /// identity, audited as one against the existing record — never as a creation, nor with what
    /// creating would have granted (issue 23.10: every read of the record writes a read event).
    public func existingRecordRead(at recordID: RecordID) -> AuditEvent {
        let pointed = pointing(at: recordID)
        return AuditEvent(id: id, recordID: recordID, recordedAt: recordedAt, actorKind: actorKind, actorID: actorID,
                          profession: profession, accessMode: accessMode, emergencyReason: emergencyReason, action: .readIdentity,
                          resources: pointed.resources, outcome: outcome, rule: rule,
                          detail: "creation asked for a record that exists: the existing record was returned")
    }
}
