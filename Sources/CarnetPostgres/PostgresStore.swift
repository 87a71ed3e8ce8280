public import CarnetCore
public import CarnetStore
public import Foundation
public import Logging
public import PostgresNIO

/// The engine for scale: PostgreSQL through PostgresNIO's connection pool.
///
/// A write is acknowledged after `COMMIT` returns, which PostgreSQL makes durable. Each domain write
/// is one explicit transaction; the record version column refuses lost updates.
///
/// The store runs its pool in a task of its own from ``open(configuration:logger:)`` until
/// ``shutdown()``, so callers (the server, the CLI, tests) need no extra service wiring.
public final class PostgresStore: RecordStore {
    let client: GuardedPostgresClient
    private let runTask: Task<Void, Never>
    let logger: Logger
    /// What a miss reads in place of the row it did not find (see ``MissDecoys``).
    let decoys = MissDecoys()

    private init(client: PostgresClient, logger: Logger) {
        self.client = GuardedPostgresClient(client)
        self.logger = logger
        runTask = Task { await client.run() }
    }

    /// Connects, and brings the schema up to date.
    public static func open(configuration: PostgresClient.Configuration, logger: Logger) async throws -> PostgresStore {
        let store = PostgresStore(client: PostgresClient(configuration: configuration, backgroundLogger: logger), logger: logger)
        do {
            try await PostgresMigrations.migrate(store.client.base, logger: logger)
            await store.sampleDecoys()
        } catch {
            await store.shutdown()
            throw error
        }
        return store
    }

    public func createRecord(_ record: HealthRecord, controls: AccessControls?, audit: AuditEvent) async throws -> RecordCreation {
        let row = try RecordRow(record)
        let controlsJSON = try controls.map(StoredForms.encodeJSON)
        return try await transaction { [self] connection in
            // The directory row decides who wins a concurrent creation: ON CONFLICT makes the loser see the winner.
            let inserted = try await connection.query("""
                INSERT INTO record_identifiers (ins_system, ins_value, record_id) VALUES (\(row.insSystem), \(row.insValue), \(row.id))
                ON CONFLICT (ins_system, ins_value) DO NOTHING RETURNING record_id
                """, logger: logger).collect().count == 1
            if !inserted {
                guard let existing = try await Self.fetchRecord(connection, byINSSystem: row.insSystem, value: row.insValue, logger: logger)
                else { throw StoreError.corruptRow("INS directory entry without its record") }
                try await Self.insertAudit(connection, try AuditRow(audit.existingRecordRead(at: existing.id)), logger: logger)
                return .existing(existing)
            }
            try await connection.query("""
                INSERT INTO records (id, ins_system, ins_value, identity_json, state, created_at, state_changed_at, state_reason, version)
                VALUES (\(row.id), \(row.insSystem), \(row.insValue), \(row.identityJSON)::jsonb, \(row.state),
                        to_timestamp(\(row.createdAtMilliseconds)::double precision / 1000),
                        to_timestamp(\(row.stateChangedAtMilliseconds)::double precision / 1000), \(row.stateReason), \(row.version))
                """, logger: logger)
            if let controls, let controlsJSON {
                try await connection.query("""
                    INSERT INTO access_controls (record_id, controls_json, version) VALUES (\(row.id), \(controlsJSON)::jsonb, \(controls.version))
                    """, logger: logger)
                try await Self.indexRepresentatives(connection, controls, recordID: record.id, logger: logger)
            }
            try await Self.insertAudit(connection, try AuditRow(audit.pointing(at: record.id)), logger: logger)
            return .created(record)
        }
    }

    public func record(id: RecordID) async throws -> HealthRecord? {
        try await client.withConnection { [self] connection in try await Self.fetchRecord(connection, id: id, logger: logger) }
    }

    static func fetchRecord(_ connection: PostgresConnection, id: RecordID, logger: Logger) async throws -> HealthRecord? {
        try await fetchRecords(connection, PostgresQuery("\(unescaped: recordColumns) FROM records r WHERE r.id = \(id.rawValue)"),
                               logger: logger).first
    }

    public func record(ins: INS) async throws -> HealthRecord? {
        try await client.withConnection { [self] connection in
            try await Self.fetchRecord(connection, byINSSystem: ins.system.uri, value: ins.value, logger: logger)
        }
    }

    public func recordWithControls(id: RecordID) async throws -> (record: HealthRecord, controls: AccessControls)? {
        try await client.withConnection { [self] connection in
            // By exact id (one shard on Citus). A miss reads the controls of a record that exists instead
            // and throws them away: the same trips as a refusal (MissDecoys).
            guard let record = try await Self.fetchRecord(connection, id: id, logger: logger) else {
                _ = try? await Self.accessControls(connection, recordID: RecordID(decoys.record()), logger: logger)
                return nil
            }
            decoys.noteRecord(record.id.rawValue)
            return (record, try await Self.accessControls(connection, recordID: record.id, logger: logger))
        }
    }

    public func recordWithControls(ins: INS) async throws -> (record: HealthRecord, controls: AccessControls)? {
        let (system, value) = (ins.system.uri, ins.value)
        return try await client.withConnection { [self] connection in
            // The directory first, then the record by its id: on Citus the two are sharded on different keys
            // (INS, record), and each query then goes to one shard. An unknown INS reads a record that exists
            // and its controls instead, and throws them away: the same trips and decoding as a refusal.
            guard let recordID = try await Self.directoryRecordID(connection, system: system, value: value, logger: logger) else {
                let decoy = RecordID(decoys.record())
                _ = try? await Self.fetchRecord(connection, id: decoy, logger: logger)
                _ = try? await Self.accessControls(connection, recordID: decoy, logger: logger)
                return nil
            }
            guard let record = try await Self.fetchRecord(connection, id: RecordID(recordID), logger: logger) else { return nil }
            decoys.noteRecord(record.id.rawValue)
            return (record, try await Self.accessControls(connection, recordID: record.id, logger: logger))
        }
    }

    /// The record an INS names in the directory (one shard on Citus: distributed by INS value).
    private static func directoryRecordID(_ connection: PostgresConnection, system: String, value: String,
                                          logger: Logger) async throws -> UUID? {
        var recordID: UUID?
        for try await id in try await connection.query("""
            SELECT record_id FROM record_identifiers WHERE ins_system = \(system) AND ins_value = \(value)
            """, logger: logger).decode(UUID.self) {
            recordID = id
        }
        return recordID
    }

    public func updateRecord(_ record: HealthRecord, audit: AuditEvent, notifying notifications: [PatientNotification]) async throws {
        let row = try RecordRow(record)
        try await transaction { [self] connection in
            let updated = try await connection.query("""
                UPDATE records SET identity_json = \(row.identityJSON)::jsonb, state = \(row.state),
                    state_changed_at = to_timestamp(\(row.stateChangedAtMilliseconds)::double precision / 1000),
                    state_reason = \(row.stateReason), version = \(row.version)
                WHERE id = \(row.id) AND version = \(row.version - 1) RETURNING id
                """, logger: logger).collect().count
            guard updated == 1 else { throw StoreError.versionConflict }
            try await Self.insertAudit(connection, try AuditRow(audit), logger: logger)
            for notification in notifications { try await Self.insertNotification(connection, notification, logger: logger) }
        }
    }

    public func appendAudit(_ event: AuditEvent) async throws {
        let row = try AuditRow(event)
        try await transaction { [self] connection in try await Self.insertAudit(connection, row, logger: logger) }
    }

    public func auditEvents(recordID: RecordID, limit: Int) async throws -> [AuditEvent] {
        try await client.withConnection { [self] connection in
            try await Self.auditEvents(connection, recordID: recordID, AuditFilter(), limit: limit, offset: 0, logger: logger)
        }
    }

    /// Milliseconds since the epoch bounding every stored instant (years 1 and 9999): an open end of a range.
    static let earliestMS: Int64 = -62_135_596_800_000
    static let latestMS: Int64 = 253_402_300_799_000

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    public func shutdown() async {
        client.close()
        runTask.cancel()
        await runTask.value
    }

    // MARK: - Transactions and rows

    /// Runs `body` in one transaction, rolling back on any error and rethrowing it unchanged.
    func transaction<T: Sendable>(_ body: @escaping (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { [self] connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let result = try await body(connection)
                try connection.requireOpen()
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                await connection.rollbackUnlessClosed(logger: logger)
                throw error
            }
        }
    }

    static let recordColumns = """
        SELECT r.id, r.ins_system, r.ins_value, r.identity_json::text, r.state,
               (extract(epoch FROM r.created_at) * 1000)::bigint, (extract(epoch FROM r.state_changed_at) * 1000)::bigint,
               r.state_reason, r.version
        """

    private static func fetchRecord(_ connection: PostgresConnection, byINSSystem system: String, value: String,
                                    logger: Logger) async throws -> HealthRecord? {
        // The directory, then the record (sharded on different keys on Citus: see recordWithControls(ins:)).
        guard let recordID = try await directoryRecordID(connection, system: system, value: value, logger: logger) else { return nil }
        return try await fetchRecords(connection, PostgresQuery("\(unescaped: recordColumns) FROM records r WHERE r.id = \(recordID)"),
                                      logger: logger).first
    }

    static func fetchRecords(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> [HealthRecord] {
        var records: [HealthRecord] = []
        let rows = try await connection.query(query, logger: logger)
        for try await (id, system, value, identity, state, created, changed, reason, version) in rows.decode(
            (UUID, String, String, String, String, Int64, Int64, String?, Int).self) {
            records.append(try RecordRow(id: id, insSystem: system, insValue: value, identityJSON: identity, state: state,
                                         createdAtMilliseconds: created, stateChangedAtMilliseconds: changed,
                                         stateReason: reason, version: version).record())
        }
        return records
    }

    /// Appends an event at the end of its chain (``AuditChain``). Must run inside a transaction: the
    /// chain head is locked (`FOR UPDATE`) until commit, so concurrent writers to one chain queue up
    /// instead of forking it.
    static func insertAudit(_ connection: PostgresConnection, _ row: AuditRow, logger: Logger) async throws {
        let event = try row.event()
        let key = AuditChain.key(for: event)
        let partition = AuditChain.partition(for: event)
        try await connection.query("""
            INSERT INTO audit_chain_heads (partition_id, chain_key, chain_seq, hash) VALUES (\(partition), \(key), 0, \(AuditChain.genesis))
            ON CONFLICT (partition_id, chain_key) DO NOTHING
            """, logger: logger)
        var head: (Int64, String) = (0, AuditChain.genesis)
        for try await found in try await connection.query(
            "SELECT chain_seq, hash FROM audit_chain_heads WHERE partition_id = \(partition) AND chain_key = \(key) FOR UPDATE",
            logger: logger).decode((Int64, String).self) {
            head = found
        }
        let sequence = head.0 + 1
        let hash = AuditChain.hash(event, sequence: sequence, previous: head.1)
        try await connection.query("""
            UPDATE audit_chain_heads SET chain_seq = \(sequence), hash = \(hash) WHERE partition_id = \(partition) AND chain_key = \(key)
            """, logger: logger)
        try await connection.query("""
            INSERT INTO audit_events (id, partition_id, record_id, recorded_at, actor_kind, actor_id, profession, access_mode, emergency_reason,
                                      action, resources_json, outcome, rule, detail, chain_key, chain_seq, prev_hash, hash, secret_connection)
            VALUES (\(row.id), \(partition), \(row.recordID), to_timestamp(\(row.recordedAtMilliseconds)::double precision / 1000), \(row.actorKind),
                    \(row.actorID), \(row.profession), \(row.accessMode), \(row.emergencyReason), \(row.action),
                    \(row.resourcesJSON)::jsonb, \(row.outcome), \(row.rule), \(row.detail), \(key), \(sequence), \(head.1), \(hash),
                    \(row.secretConnection))
            """, logger: logger)
        try await enqueueNotifications(connection, for: event, logger: logger)
    }
}
