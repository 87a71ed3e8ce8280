import CarnetCore
import CarnetStore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema, one migration per version, applied in order at start-up under an advisory
/// lock so that several Carnet nodes starting together migrate once.
///
/// Every health-data table carries `record_id`, the patient key: a Citus deployment runs
/// `SELECT create_distributed_table('records', 'id')` and distributes the others on `record_id`
/// colocated with it, and `record_identifiers` (the INS directory) on `ins_value`. Audit events
/// that match no record (a search that found nothing) have a NULL `record_id`; they must get a key
/// of their own before that table is distributed (left to the scale work, issue 7).
enum PostgresMigrations {
    /// Versions in order; never edit one that has shipped.
    static let all: [(version: Int, name: String, sql: [String])] = [
        (1, "initial", migration001Initial),
        (2, "documents", migration002Documents),
        (3, "versions_and_submission_sets", migration003VersionsAndSubmissionSets),
        (4, "access_controls", migration004AccessControls),
        (5, "audit_chain", migration005AuditChain),
        (6, "notifications", migration006Notifications),
        (7, "documents_by_unique_id", ["CREATE INDEX documents_by_unique_id_alone ON documents (unique_id)"]),
        (8, "claims", migration008Claims),
        (9, "summary_entries", migration009SummaryEntries),
        (10, "document_index", migration010DocumentIndex),
        (11, "legal_representations", migration011LegalRepresentations),
        (12, "document_author_search", ["ALTER TABLE documents ADD COLUMN author_search text NOT NULL DEFAULT ''"]),
        // What a professional does in a minor's secret connection, absent from the representatives' history.
        (13, "audit_secret_connection", ["ALTER TABLE audit_events ADD COLUMN secret_connection boolean NOT NULL DEFAULT false"]),
        // A set's unique id is unique per submitter within a record (issue 23.6), filled from the sets.
        (14, "submission_sets_by_submitter", [
            "ALTER TABLE submission_sets ADD COLUMN submitter_id text NOT NULL DEFAULT ''",
            "UPDATE submission_sets SET submitter_id = COALESCE(set_json->>'submitterID', '')",
            "DROP INDEX submission_sets_by_unique_id",
            "CREATE UNIQUE INDEX submission_sets_by_unique_id ON submission_sets (record_id, submitter_id, unique_id)",
        ]),
        // The national directory of professionals (issue 16): public reference data about no patient, so
        // not keyed by record (a Citus reference table). Name keys in the C collation, so that a range
        // on the folded name is a prefix search the index serves.
        (15, "professional_directory", [
            """
            CREATE TABLE professional_directory (
                rpps text PRIMARY KEY,
                entry_json jsonb NOT NULL,
                last_name_key text COLLATE "C" NOT NULL,
                first_name_key text COLLATE "C" NOT NULL)
            """,
            "CREATE INDEX professional_directory_by_last_name ON professional_directory (last_name_key, first_name_key)",
            "CREATE INDEX professional_directory_by_first_name ON professional_directory (first_name_key, last_name_key)",
        ]),
        // The insurer's bulk-feed jobs (issue 15): no health data; a Citus deployment keeps it local (a reference table).
        (16, "import_jobs", [
            """
            CREATE TABLE import_jobs (
                id text PRIMARY KEY,
                state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
                created_at_ms bigint NOT NULL,
                job_json jsonb NOT NULL
            )
            """,
            "CREATE INDEX import_jobs_by_state ON import_jobs (state, created_at_ms)",
        ]),
        // Document content in the database (`--content-store database`, issue 17): sealed chunks, distributed on `record_id`.
        (17, "document_content", [
            """
            CREATE TABLE document_content (
                record_id uuid NOT NULL,
                sha256 text NOT NULL,
                key_id text NOT NULL,
                chunk integer NOT NULL CHECK (chunk >= 0),
                data bytea NOT NULL,
                PRIMARY KEY (record_id, sha256, key_id, chunk)
            )
            """,
        ]),
        // The documents' full-text index (issue 18): one tsvector per document (distributed on `record_id`), under
        // carnet_french, a copy of `simple`: Carnet folds, drops common words and stems before PostgreSQL sees a word
        // (FrenchText), identically for SQLite's FTS5, so both engines find the same documents; the configuration
        // only splits on spaces. The GIN index serves a text condition across documents; within one record the
        // planner may as well start from the primary key.
        (18, "document_text", [
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'carnet_french') THEN
                    CREATE TEXT SEARCH CONFIGURATION carnet_french (COPY = pg_catalog.simple);
                END IF;
            END $$
            """,
            """
            CREATE TABLE document_text (
                record_id uuid NOT NULL,
                document_id uuid NOT NULL,
                body tsvector NOT NULL,
                PRIMARY KEY (record_id, document_id)
            )
            """,
            "CREATE INDEX document_text_by_terms ON document_text USING gin (body)",
        ]),
        // The portals' sessions and sign-in codes (issue 17: every node knows them); no health data, reference tables under Citus.
        (19, "portal_state", [
            "CREATE TABLE portal_sessions (id_hash text PRIMARY KEY, payload bytea NOT NULL, last_seen_ms bigint NOT NULL, expires_ms bigint NOT NULL)",
            "CREATE TABLE sign_in_codes (ins_key text PRIMARY KEY, code_hash bytea NOT NULL, expires_ms bigint NOT NULL, attempts integer NOT NULL)",
            "CREATE TABLE sign_in_code_requests (ins_key text NOT NULL, requested_ms bigint NOT NULL)",
            "CREATE INDEX sign_in_code_requests_by_ins ON sign_in_code_requests (ins_key, requested_ms)",
        ]),
        // Duplicates (issue 18): each document's content address and the submission that stored it, so a
        // push finds the record's documents with its bytes in one indexed read and a search folds identical
        // content from different submissions on the index alone. Existing rows: their submission is told by
        // submitter and millisecond of recording (DocumentEntry.submissionKey). Only immutable functions in the
        // update (the epoch read at UTC), which Citus requires of an update it runs on every shard.
        (20, "document_content_hash", [
            "ALTER TABLE documents ADD COLUMN content_sha256 text NOT NULL DEFAULT '', ADD COLUMN submission_key text NOT NULL DEFAULT ''",
            """
            UPDATE documents SET content_sha256 = coalesce(metadata_json->'content'->>'sha256', ''),
                submission_key = coalesce(metadata_json->>'submissionID', submitter_id || '@' || ((extract(epoch FROM (recorded_at AT TIME ZONE 'UTC')) * 1000)::bigint)::text)
            """,
            "CREATE INDEX documents_by_record_content ON documents (record_id, content_sha256)",
        ]),
        // Where each document lives (issue 17, Citus): a read by document id alone (`DocumentReference/{id}`,
        // `Binary/{id}`) finds its record here, on one shard, then reads the record's shard; documents are
        // never deleted, so a row is written once, with its document, and never changed.
        (21, "document_locator", [
            "CREATE TABLE document_locator (document_id uuid PRIMARY KEY, record_id uuid NOT NULL)",
            "INSERT INTO document_locator (document_id, record_id) SELECT id, record_id FROM documents",
        ]),
        // Every audit row and chain head gets a non-null partition key (issue 17, Citus): the record for a
        // record's events, a key derived from the chain for events that matched no record (AuditChain.partition).
        (22, "audit_partition", migration022AuditPartition),
    ]

    /// Steps written in Swift, run after the SQL of their version in the same transaction: what SQL
    /// cannot compute the way Carnet does.
    static let swiftSteps: [Int: @Sendable (PostgresConnection, Logger) async throws -> Void] = [
        12: fillDocumentAuthorSearch,
    ]

    /// Who wrote or sent each document as one folded text (``DocumentEntry/authorSearchText``), so a
    /// portal's author filter is decided in the query. Folded by Carnet, not by `lower()` (whose result
    /// depends on the database's collation), so existing rows are filled from their stored entries, a
    /// batch at a time. A substring test within one record's rows (already narrowed by
    /// `documents_by_record_status_date`): no index of its own.
    static func fillDocumentAuthorSearch(_ connection: PostgresConnection, logger: Logger) async throws {
        var after = (record: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        while true {
            var batch: [(record: UUID, id: UUID, json: String)] = []
            let rows = try await connection.query("""
                SELECT record_id, id, metadata_json::text FROM documents WHERE (record_id, id) > (\(after.record), \(after.id))
                ORDER BY record_id, id LIMIT 500
                """, logger: logger)
            for try await (record, id, json) in rows.decode((UUID, UUID, String).self) { batch.append((record, id, json)) }
            guard let last = batch.last else { return }
            for row in batch {
                let text = try StoredForms.documentEntry(from: row.json).authorSearchText
                try await connection.query("UPDATE documents SET author_search = \(text) WHERE record_id = \(row.record) AND id = \(row.id)",
                                           logger: logger)
            }
            after = (last.record, last.id)
        }
    }

    /// The audit trail's partition key, filled for existing rows the way ``AuditChain/partition(forChainKey:)``
    /// computes it (`md5` of the chain key read as a UUID), so that both tables can be distributed
    /// colocated with `records` and each chain stays on one shard with its head.
    static let migration022AuditPartition: [String] = [
        "ALTER TABLE audit_events ADD COLUMN partition_id uuid",
        """
        UPDATE audit_events SET partition_id = COALESCE(record_id,
            md5(COALESCE(chain_key, 'actor:' || actor_kind || ':' || actor_id))::uuid)
        """,
        "ALTER TABLE audit_events ALTER COLUMN partition_id SET NOT NULL",
        "DROP INDEX audit_events_by_chain",
        "CREATE UNIQUE INDEX audit_events_by_chain ON audit_events (partition_id, chain_key, chain_seq)",
        "DROP INDEX audit_events_by_record_newest",
        "CREATE INDEX audit_events_by_record_newest ON audit_events (partition_id, record_id, recorded_at DESC, sequence DESC)",
        "ALTER TABLE audit_chain_heads ADD COLUMN partition_id uuid",
        """
        UPDATE audit_chain_heads SET partition_id = CASE WHEN chain_key LIKE 'record:%' THEN substr(chain_key, 8)::uuid
            ELSE md5(chain_key)::uuid END
        """,
        "ALTER TABLE audit_chain_heads ALTER COLUMN partition_id SET NOT NULL",
        "ALTER TABLE audit_chain_heads DROP CONSTRAINT audit_chain_heads_pkey",
        "ALTER TABLE audit_chain_heads ADD PRIMARY KEY (partition_id, chain_key)",
    ]

    static let migration001Initial: [String] = [
        """
        CREATE TABLE records (
            id uuid PRIMARY KEY,
            ins_system text NOT NULL,
            ins_value text NOT NULL,
            identity_json jsonb NOT NULL,
            state text NOT NULL CHECK (state IN ('active', 'closed', 'deleted')),
            created_at timestamptz NOT NULL,
            state_changed_at timestamptz NOT NULL,
            state_reason text,
            version integer NOT NULL CHECK (version >= 1)
        )
        """,
        """
        CREATE TABLE record_identifiers (
            ins_system text NOT NULL,
            ins_value text NOT NULL,
            record_id uuid NOT NULL,
            PRIMARY KEY (ins_system, ins_value)
        )
        """,
        """
        CREATE TABLE audit_events (
            id uuid NOT NULL,
            record_id uuid,
            recorded_at timestamptz NOT NULL,
            actor_kind text NOT NULL,
            actor_id text NOT NULL,
            profession text,
            access_mode text NOT NULL,
            emergency_reason text,
            action text NOT NULL,
            resources_json jsonb NOT NULL,
            outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
            rule text,
            detail text,
            sequence bigserial NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX audit_events_by_id ON audit_events (id)",
        "CREATE INDEX audit_events_by_record_newest ON audit_events (record_id, recorded_at DESC, sequence DESC)",
    ]

    /// Document entries, one row per version; distributed on `record_id` with `records`.
    static let migration002Documents: [String] = [
        """
        CREATE TABLE documents (
            record_id uuid NOT NULL REFERENCES records(id),
            id uuid NOT NULL,
            unique_id text NOT NULL,
            lineage_id uuid NOT NULL,
            status text NOT NULL,
            date timestamptz NOT NULL,
            metadata_json jsonb NOT NULL,
            metadata_version integer NOT NULL CHECK (metadata_version >= 1),
            PRIMARY KEY (record_id, id)
        )
        """,
        "CREATE UNIQUE INDEX documents_by_unique_id ON documents (record_id, unique_id)",
        "CREATE UNIQUE INDEX documents_by_id ON documents (id)",
    ]

    /// Every metadata version of every document (`_history`), and the submission sets (ITI-66); both
    /// distributed on `record_id`.
    static let migration003VersionsAndSubmissionSets: [String] = [
        """
        CREATE TABLE document_versions (
            record_id uuid NOT NULL REFERENCES records(id),
            id uuid NOT NULL,
            metadata_version integer NOT NULL CHECK (metadata_version >= 1),
            metadata_json jsonb NOT NULL,
            PRIMARY KEY (record_id, id, metadata_version)
        )
        """,
        "CREATE INDEX document_versions_by_id ON document_versions (id, metadata_version)",
        """
        INSERT INTO document_versions (record_id, id, metadata_version, metadata_json)
            SELECT record_id, id, metadata_version, metadata_json FROM documents
        """,
        """
        CREATE TABLE submission_sets (
            record_id uuid NOT NULL REFERENCES records(id),
            id uuid NOT NULL,
            unique_id text NOT NULL,
            submitted_at timestamptz NOT NULL,
            set_json jsonb NOT NULL,
            PRIMARY KEY (record_id, id)
        )
        """,
        "CREATE UNIQUE INDEX submission_sets_by_unique_id ON submission_sets (record_id, unique_id)",
    ]

    /// The patient's access controls, one versioned value per record (distributed on `record_id`).
    static let migration004AccessControls: [String] = [
        """
        CREATE TABLE access_controls (
            record_id uuid PRIMARY KEY REFERENCES records(id),
            controls_json jsonb NOT NULL,
            version integer NOT NULL CHECK (version >= 1)
        )
        """,
    ]

    /// Hash chains over the audit trail; events written before stay unchained. Heads are keyed by
    /// chain (`record:<id>` or `actor:<kind>:<id>`); a Citus deployment distributes them by chain key.
    static let migration005AuditChain: [String] = [
        "ALTER TABLE audit_events ADD COLUMN chain_key text, ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text",
        "CREATE UNIQUE INDEX audit_events_by_chain ON audit_events (chain_key, chain_seq)",
        "CREATE TABLE audit_chain_heads (chain_key text PRIMARY KEY, chain_seq bigint NOT NULL, hash text NOT NULL)",
    ]

    /// The outbox of patient notifications, distributed on `record_id`.
    static let migration006Notifications: [String] = [
        """
        CREATE TABLE notifications (
            record_id uuid NOT NULL REFERENCES records(id),
            id uuid NOT NULL,
            kind text NOT NULL,
            dedupe_key text NOT NULL,
            created_at timestamptz NOT NULL,
            message text NOT NULL,
            status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL,
            sent_at timestamptz,
            last_error text,
            PRIMARY KEY (record_id, id)
        )
        """,
        "CREATE UNIQUE INDEX notifications_by_dedupe_key ON notifications (record_id, dedupe_key)",
        "CREATE UNIQUE INDEX notifications_by_id ON notifications (id)",
        "CREATE INDEX notifications_due ON notifications (status, next_attempt_at)",
    ]

    /// The care history, distributed on `ins_value` (claims may arrive before the record), and import checkpoints.
    static let migration008Claims: [String] = [
        """
        CREATE TABLE claims (
            ins_value text NOT NULL,
            claim_id text NOT NULL,
            service_date date NOT NULL,
            claim_json jsonb NOT NULL,
            PRIMARY KEY (ins_value, claim_id)
        )
        """,
        "CREATE INDEX claims_by_ins_date ON claims (ins_value, service_date)",
        "CREATE INDEX claims_by_date ON claims (service_date)",
        """
        CREATE TABLE claim_imports (
            source text PRIMARY KEY, lines_done bigint NOT NULL, imported bigint NOT NULL, duplicates bigint NOT NULL, rejected bigint NOT NULL
        )
        """,
    ]

    /// The structured summary's items, one row per version (distributed on `record_id` with `records`).
    static let migration009SummaryEntries: [String] = [
        """
        CREATE TABLE summary_entries (
            record_id uuid NOT NULL REFERENCES records(id),
            id uuid NOT NULL,
            version integer NOT NULL CHECK (version >= 1),
            kind text NOT NULL,
            is_current boolean NOT NULL,
            metadata_json jsonb NOT NULL,
            resource jsonb NOT NULL,
            PRIMARY KEY (record_id, id, version)
        )
        """,
        "CREATE UNIQUE INDEX summary_entries_by_id ON summary_entries (id, version)",
        "CREATE INDEX summary_entries_current ON summary_entries (record_id, kind) WHERE is_current",
    ]

    /// What a search and the access policy read of a document, as columns (``DocumentIndexEntry``), so a
    /// record's documents are searched without decoding their JSON; filled from the JSON for existing rows.
    static let migration010DocumentIndex: [String] = [
        """
        ALTER TABLE documents ADD COLUMN type_system text, ADD COLUMN type_code text NOT NULL DEFAULT '',
            ADD COLUMN submitter_id text NOT NULL DEFAULT '', ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT 'epoch',
            ADD COLUMN visibility_flags integer NOT NULL DEFAULT 0, ADD COLUMN confidentiality text NOT NULL DEFAULT 'N'
        """,
        // Entries are JSON-encoded with Foundation's default dates: seconds since 2001-01-01.
        """
        UPDATE documents SET
            type_system = metadata_json->'type'->>'system',
            type_code = metadata_json->'type'->>'code',
            submitter_id = metadata_json->>'submitterID',
            recorded_at = to_timestamp(round(((metadata_json->>'recordedAt')::double precision + 978307200) * 1000) / 1000),
            visibility_flags = (CASE WHEN (metadata_json->'visibility'->>'maskedToProfessionals')::boolean THEN 1 ELSE 0 END)
                | (CASE WHEN (metadata_json->'visibility'->>'invisibleToPatient')::boolean THEN 2 ELSE 0 END)
                | (CASE WHEN (metadata_json->'visibility'->>'invisibleToLegalRepresentatives')::boolean THEN 4 ELSE 0 END)
                | (CASE WHEN (metadata_json->'visibility'->>'maskedToSocialProfessionals')::boolean THEN 8 ELSE 0 END)
                | (CASE WHEN (metadata_json->'visibility'->>'maskedToThirdParties')::boolean THEN 16 ELSE 0 END),
            confidentiality = coalesce(metadata_json->'visibility'->>'confidentiality', 'N')
        """,
        "CREATE INDEX documents_by_record_status_date ON documents (record_id, status, date)",
    ]

    /// Who represents which minor, as rows (the access controls keep the same set as JSON): serves a
    /// legal representative's list of the minors they act for without reading every record's
    /// controls. Kept in the transaction that saves the controls; filled from the JSON for existing
    /// rows. Distributed on `record_id` with `records`: the lookup by representative then asks every
    /// shard, which a list shown once per sign-in can afford.
    static let migration011LegalRepresentations: [String] = [
        """
        CREATE TABLE legal_representations (
            record_id uuid NOT NULL REFERENCES records(id),
            representative_ins_value text NOT NULL,
            PRIMARY KEY (record_id, representative_ins_value)
        )
        """,
        "CREATE INDEX legal_representations_by_representative ON legal_representations (representative_ins_value, record_id)",
        """
        INSERT INTO legal_representations (record_id, representative_ins_value)
            SELECT a.record_id, r.value FROM access_controls a
            CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.controls_json->'legalRepresentatives') = 'array'
                THEN a.controls_json->'legalRepresentatives' ELSE '[]'::jsonb END) AS r(value)
        """,
    ]

    /// Applies the missing migrations; refuses a database that has versions this program does not know.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { [self] connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(7271650001)", logger: logger)
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS carnet_schema_migrations (
                        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied: Set<Int> = []
                for try await version in try await connection.query("SELECT version FROM carnet_schema_migrations", logger: logger)
                    .decode(Int.self) { applied.insert(version) }
                let known = Set(all.map(\.version))
                if let unknown = applied.subtracting(known).max() {
                    throw StoreError.schemaTooNew(detail: "PostgreSQL schema version \(unknown)")
                }
                for migration in all where !applied.contains(migration.version) {
                    logger.info("applying PostgreSQL migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                    for statement in migration.sql {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await swiftSteps[migration.version]?(connection, logger)
                    try await connection.query(
                        "INSERT INTO carnet_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                        logger: logger)
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                await connection.rollbackUnlessClosed(logger: logger)
                throw error
            }
            // On Citus, in a transaction of its own once the tables exist (Citus distributes a table
            // created earlier in the same transaction only one shard at a time).
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(7271650001)", logger: logger)
                if try await CitusDistribution.isPresent(connection, logger: logger) {
                    try await connection.query("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'", logger: logger)
                    try await CitusDistribution.apply(connection, logger: logger)
                }
                try await connection.query("COMMIT", logger: logger)
            } catch {
                await connection.rollbackUnlessClosed(logger: logger)
                throw error
            }
        }
    }
}
