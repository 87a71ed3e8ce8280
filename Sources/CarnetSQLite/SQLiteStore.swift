public import CarnetCore
public import CarnetStore
public import Foundation
import CarnetJSON
import GRDB

/// The embedded engine: one SQLite file in WAL mode with `synchronous=FULL`, so that a write is on disk
/// before it is acknowledged (ARCHITECTURE.md, invariant 3).
///
/// GRDB's `DatabasePool` serialises writers and lets readers run concurrently with them; concurrent
/// writes share one transaction and one fsync (``GroupCommit``), each still all-or-nothing. The
/// migrations run when the store opens; a database written by a newer Carnet is refused rather than
/// misread.
public final class SQLiteStore: RecordStore {
    let pool: DatabasePool
    /// Every short write of a request goes through it (group commit); bulk imports write on their own.
    let writer: GroupCommit
    public let path: String

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(10)
        self.path = path
        // Health data: the database and its companions are the owner's only (0600), created so
        // rather than left to SQLite's default and the process umask.
        try PrivateFiles.create(path)
        PrivateFiles.restrict(PrivateFiles.sqliteFiles(path))
        pool = try DatabasePool(path: path, configuration: configuration)
        PrivateFiles.restrict(PrivateFiles.sqliteFiles(path))
        writer = GroupCommit(pool: pool)
        let migrator = SQLiteMigrations.migrator
        let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
        if superseded {
            throw StoreError.schemaTooNew(detail: "unknown SQLite migrations applied")
        }
        try migrator.migrate(pool)
    }

    public func createRecord(_ record: HealthRecord, controls: AccessControls?, audit: AuditEvent) async throws -> RecordCreation {
        let row = try RecordRow(record)
        let controlsJSON = try controls.map(StoredForms.encodeJSON)
        return try await writer.write { db in
            if let existing = try Self.fetchRecord(db, byINSSystem: row.insSystem, value: row.insValue) {
                try Self.insertAudit(db, try AuditRow(audit.existingRecordRead(at: existing.id)))
                return .existing(existing)
            }
            try db.cachedStatement(sql: """
                INSERT INTO records (id, ins_system, ins_value, identity_json, state, created_at_ms,
                                     state_changed_at_ms, state_reason, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [row.id.lowercasedText, row.insSystem, row.insValue, row.identityJSON, row.state,
                                 row.createdAtMilliseconds, row.stateChangedAtMilliseconds, row.stateReason, row.version])
            try db.cachedStatement(sql: "INSERT INTO record_identifiers (ins_system, ins_value, record_id) VALUES (?, ?, ?)").execute(
                           arguments: [row.insSystem, row.insValue, row.id.lowercasedText])
            if let controls, let controlsJSON {
                try db.cachedStatement(sql: "INSERT INTO access_controls (record_id, controls_json, version) VALUES (?, ?, ?)").execute(
                               arguments: [row.id.lowercasedText, controlsJSON, controls.version])
                try Self.indexRepresentatives(db, controls, recordID: row.id.lowercasedText)
            }
            try Self.insertAudit(db, try AuditRow(audit.pointing(at: record.id)))
            return .created(record)
        }
    }

    public func record(id: RecordID) async throws -> HealthRecord? {
        try readInPlace { db in try Self.fetchRecord(db, id: id) }
    }

    static func fetchRecord(_ db: Database, id: RecordID) throws -> HealthRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM records WHERE id = ?"), arguments: [id.rawValue.lowercasedText])
            .map(recordRow)?.record()
    }

    public func record(ins: INS) async throws -> HealthRecord? {
        try readInPlace { db in try Self.fetchRecord(db, byINSSystem: ins.system.uri, value: ins.value) }
    }

    public func recordWithControls(id: RecordID) async throws -> (record: HealthRecord, controls: AccessControls)? {
        try readInPlace { db in try Self.withControls(db, try Self.fetchRecord(db, id: id)) }
    }

    public func recordWithControls(ins: INS) async throws -> (record: HealthRecord, controls: AccessControls)? {
        try readInPlace { db in try Self.withControls(db, try Self.fetchRecord(db, byINSSystem: ins.system.uri, value: ins.value)) }
    }

    /// The record with its controls; when there is none, the same reads and decoding on another
    /// record (the next by a random id), thrown away, so that a miss takes a refusal's time.
    private static func withControls(_ db: Database, _ record: HealthRecord?) throws -> (record: HealthRecord, controls: AccessControls)? {
        guard let record else {
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM records WHERE id >= ? ORDER BY id LIMIT 1"),
                                       arguments: [RecordID().rawValue.lowercasedText])
                ?? Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM records ORDER BY id LIMIT 1"))
            let decoy = try? row.map(recordRow)?.record()
            _ = try? accessControls(db, recordID: decoy?.id ?? RecordID())
            return nil
        }
        return (record, try accessControls(db, recordID: record.id))
    }

    public func updateRecord(_ record: HealthRecord, audit: AuditEvent, notifying notifications: [PatientNotification]) async throws {
        let row = try RecordRow(record)
        try await writer.write { db in
            try db.cachedStatement(sql: """
                UPDATE records SET identity_json = ?, state = ?, state_changed_at_ms = ?, state_reason = ?, version = ?
                WHERE id = ? AND version = ?
                """).execute(arguments: [row.identityJSON, row.state, row.stateChangedAtMilliseconds, row.stateReason, row.version,
                                 row.id.lowercasedText, row.version - 1])
            guard db.changesCount == 1 else { throw StoreError.versionConflict }
            try Self.insertAudit(db, try AuditRow(audit))
            for notification in notifications { try Self.insertNotification(db, notification) }
        }
    }

    public func appendAudit(_ event: AuditEvent) async throws {
        let row = try AuditRow(event)
        try await writer.write { db in try Self.insertAudit(db, row) }
    }

    public func auditEvents(recordID: RecordID, limit: Int) async throws -> [AuditEvent] {
        try readInPlace { db in try Self.auditEvents(db, recordID: recordID, AuditFilter(), limit: limit, offset: 0) }
    }

    public func ping() async throws {
        _ = try readInPlace { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT 1")) }
    }

    public func shutdown() async {
        let pool = pool
        _ = try? await onOwnThread { try pool.close() }
    }

    // MARK: - Rows

    private static func fetchRecord(_ db: Database, byINSSystem system: String, value: String) throws -> HealthRecord? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT r.* FROM record_identifiers i JOIN records r ON r.id = i.record_id
            WHERE i.ins_system = ? AND i.ins_value = ?
            """), arguments: [system, value]).map(recordRow)?.record()
    }

    static func recordRow(_ row: Row) throws -> RecordRow {
        RecordRow(id: try uuid(row["id"]), insSystem: row["ins_system"], insValue: row["ins_value"],
                  identityJSON: row["identity_json"], state: row["state"], createdAtMilliseconds: row["created_at_ms"],
                  stateChangedAtMilliseconds: row["state_changed_at_ms"], stateReason: row["state_reason"],
                  version: row["version"])
    }

    static func auditRow(_ row: Row) throws -> AuditRow {
        let recordID: String? = row["record_id"]
        return AuditRow(id: try uuid(row["id"]), recordID: try recordID.map(uuid), recordedAtMilliseconds: row["recorded_at_ms"],
                        actorKind: row["actor_kind"], actorID: row["actor_id"], profession: row["profession"],
                        accessMode: row["access_mode"], emergencyReason: row["emergency_reason"], action: row["action"],
                        resourcesJSON: row["resources_json"], outcome: row["outcome"], rule: row["rule"], detail: row["detail"],
                        secretConnection: row["secret_connection"])
    }

    /// Appends an event at the end of its chain (``AuditChain``): the writer holds SQLite's single
    /// write lock, so reading the chain head and moving it cannot race.
    static func insertAudit(_ db: Database, _ row: AuditRow) throws {
        let event = try row.event()
        let key = AuditChain.key(for: event)
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT chain_seq, hash FROM audit_chain_heads WHERE chain_key = ?"), arguments: [key])
        let sequence: Int64 = (head?["chain_seq"] ?? 0) + 1
        let previous: String = head?["hash"] ?? AuditChain.genesis
        let hash = AuditChain.hash(event, sequence: sequence, previous: previous)
        try db.cachedStatement(sql: """
            INSERT INTO audit_chain_heads (chain_key, chain_seq, hash) VALUES (?, ?, ?)
            ON CONFLICT (chain_key) DO UPDATE SET chain_seq = excluded.chain_seq, hash = excluded.hash
            """).execute(arguments: [key, sequence, hash])
        try db.cachedStatement(sql: """
            INSERT INTO audit_events (id, record_id, recorded_at_ms, actor_kind, actor_id, profession, access_mode,
                                      emergency_reason, action, resources_json, outcome, rule, detail, chain_key, chain_seq, prev_hash, hash,
                                      secret_connection)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [row.id.lowercasedText, row.recordID?.lowercasedText, row.recordedAtMilliseconds,
                                     row.actorKind, row.actorID, row.profession, row.accessMode, row.emergencyReason, row.action,
                                     row.resourcesJSON, row.outcome, row.rule, row.detail, key, sequence, previous, hash,
                                     row.secretConnection])
        try enqueueNotifications(db, for: event)
    }

    static func uuid(_ text: String) throws -> UUID {
        guard let uuid = UUID(text: text) else { throw StoreError.corruptRow("id '\(text)'") }
        return uuid
    }
}
