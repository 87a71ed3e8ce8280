import CarnetCore
import CarnetStore
import GRDB

/// The SQLite schema, one registered migration per version, applied in order at start-up.
///
/// Never edit a migration that has shipped: add the next one. Tables mirror the PostgreSQL schema
/// (`CarnetPostgres/Migrations`) column for column, so the conformance suite proves one behaviour.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001_initial", migrate: migration001Initial)
        migrator.registerMigration("002_documents", migrate: migration002Documents)
        migrator.registerMigration("003_versions_and_submission_sets", migrate: migration003VersionsAndSubmissionSets)
        migrator.registerMigration("004_access_controls", migrate: migration004AccessControls)
        migrator.registerMigration("005_audit_chain", migrate: migration005AuditChain)
        migrator.registerMigration("006_notifications", migrate: migration006Notifications)
        migrator.registerMigration("007_documents_by_unique_id", migrate: migration007DocumentsByUniqueID)
        migrator.registerMigration("008_claims", migrate: migration008Claims)
        migrator.registerMigration("009_summary_entries", migrate: migration009SummaryEntries)
        migrator.registerMigration("010_document_index", migrate: migration010DocumentIndex)
        migrator.registerMigration("011_legal_representations", migrate: migration011LegalRepresentations)
        migrator.registerMigration("012_document_author_search", migrate: migration012DocumentAuthorSearch)
        migrator.registerMigration("013_audit_secret_connection", migrate: migration013AuditSecretConnection)
        migrator.registerMigration("014_submission_sets_by_submitter", migrate: migration014SubmissionSetsBySubmitter)
        migrator.registerMigration("015_professional_directory", migrate: migration015ProfessionalDirectory)
        migrator.registerMigration("016_import_jobs", migrate: migration016ImportJobs)
        migrator.registerMigration("018_document_text", migrate: migration018DocumentText)
        migrator.registerMigration("019_portal_state", migrate: migration019PortalState)
        migrator.registerMigration("020_document_content_hash", migrate: migration020DocumentContentHash)
        return migrator
    }

    /// Records, the INS directory that makes creation idempotent, and the audit trail.
    static func migration001Initial(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE records (
                id TEXT PRIMARY KEY NOT NULL,
                ins_system TEXT NOT NULL,
                ins_value TEXT NOT NULL,
                identity_json TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('active', 'closed', 'deleted')),
                created_at_ms INTEGER NOT NULL,
                state_changed_at_ms INTEGER NOT NULL,
                state_reason TEXT,
                version INTEGER NOT NULL CHECK (version >= 1)
            ) STRICT;

            -- One record per INS. A separate directory table, not a unique index on records, because a
            -- database distributed by record id cannot enforce uniqueness of another column.
            CREATE TABLE record_identifiers (
                ins_system TEXT NOT NULL,
                ins_value TEXT NOT NULL,
                record_id TEXT NOT NULL REFERENCES records(id),
                PRIMARY KEY (ins_system, ins_value)
            ) STRICT;

            CREATE TABLE audit_events (
                id TEXT PRIMARY KEY NOT NULL,
                record_id TEXT,
                recorded_at_ms INTEGER NOT NULL,
                actor_kind TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                profession TEXT,
                access_mode TEXT NOT NULL,
                emergency_reason TEXT,
                action TEXT NOT NULL,
                resources_json TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
                rule TEXT,
                detail TEXT
            ) STRICT;

            -- Serves "a record's audit trail, newest first" (the patient's access history).
            CREATE INDEX audit_events_by_record_newest ON audit_events (record_id, recorded_at_ms DESC);
            """)
    }

    /// Document entries: searchable columns plus the whole entry as JSON; one row per version.
    static func migration002Documents(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE documents (
                record_id TEXT NOT NULL REFERENCES records(id),
                id TEXT NOT NULL,
                unique_id TEXT NOT NULL,
                lineage_id TEXT NOT NULL,
                status TEXT NOT NULL,
                date_ms INTEGER NOT NULL,
                metadata_json TEXT NOT NULL,
                metadata_version INTEGER NOT NULL CHECK (metadata_version >= 1),
                PRIMARY KEY (record_id, id)
            ) STRICT;

            -- A producer's unique id names one document within a record.
            CREATE UNIQUE INDEX documents_by_unique_id ON documents (record_id, unique_id);
            -- Serves reads by id (DocumentReference/{id}, Binary/{id}).
            CREATE UNIQUE INDEX documents_by_id ON documents (id);
            """)
    }

    /// Every metadata version of every document (`_history`), and the submission sets (ITI-66).
    static func migration003VersionsAndSubmissionSets(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE document_versions (
                record_id TEXT NOT NULL REFERENCES records(id),
                id TEXT NOT NULL,
                metadata_version INTEGER NOT NULL CHECK (metadata_version >= 1),
                metadata_json TEXT NOT NULL,
                PRIMARY KEY (record_id, id, metadata_version)
            ) STRICT;

            -- Serves a document's history by id.
            CREATE INDEX document_versions_by_id ON document_versions (id, metadata_version);
            -- Earlier versions were not kept before this migration: the current one starts each history.
            INSERT INTO document_versions (record_id, id, metadata_version, metadata_json)
                SELECT record_id, id, metadata_version, metadata_json FROM documents;

            CREATE TABLE submission_sets (
                record_id TEXT NOT NULL REFERENCES records(id),
                id TEXT NOT NULL,
                unique_id TEXT NOT NULL,
                submitted_at_ms INTEGER NOT NULL,
                set_json TEXT NOT NULL,
                PRIMARY KEY (record_id, id)
            ) STRICT;

            -- A producer's unique id names one submission within a record.
            CREATE UNIQUE INDEX submission_sets_by_unique_id ON submission_sets (record_id, unique_id);
            """)
    }

    /// The patient's access controls, one versioned value per record.
    static func migration004AccessControls(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE access_controls (
                record_id TEXT PRIMARY KEY NOT NULL REFERENCES records(id),
                controls_json TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1)
            ) STRICT;
            """)
    }

    /// Hash chains over the audit trail (``AuditChain``): each event's place, its link and its hash,
    /// and each chain's head. Events written before this migration stay unchained.
    static func migration005AuditChain(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE audit_events ADD COLUMN chain_key TEXT;
            ALTER TABLE audit_events ADD COLUMN chain_seq INTEGER;
            ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
            ALTER TABLE audit_events ADD COLUMN hash TEXT;
            CREATE UNIQUE INDEX audit_events_by_chain ON audit_events (chain_key, chain_seq);

            CREATE TABLE audit_chain_heads (
                chain_key TEXT PRIMARY KEY NOT NULL,
                chain_seq INTEGER NOT NULL,
                hash TEXT NOT NULL
            ) STRICT;
            """)
    }

    /// The outbox of patient notifications.
    static func migration006Notifications(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE notifications (
                record_id TEXT NOT NULL REFERENCES records(id),
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                dedupe_key TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                message TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at_ms INTEGER NOT NULL,
                sent_at_ms INTEGER,
                last_error TEXT,
                PRIMARY KEY (record_id, id)
            ) STRICT;

            CREATE UNIQUE INDEX notifications_by_dedupe_key ON notifications (record_id, dedupe_key);
            CREATE UNIQUE INDEX notifications_by_id ON notifications (id);
            -- Serves the dispatcher: pending rows by due time.
            CREATE INDEX notifications_due ON notifications (status, next_attempt_at_ms);
            """)
    }

    /// Serves PDSm's conditional patches, which name a document by its unique id alone.
    static func migration007DocumentsByUniqueID(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX documents_by_unique_id_alone ON documents (unique_id)")
    }

    /// The care history, filed by INS (claims may arrive before the record), and import checkpoints.
    static func migration008Claims(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE claims (
                ins_value TEXT NOT NULL,
                claim_id TEXT NOT NULL,
                service_date TEXT NOT NULL,
                claim_json TEXT NOT NULL,
                PRIMARY KEY (ins_value, claim_id)
            ) STRICT, WITHOUT ROWID;

            -- Serves "an INS's claims in the window, newest first" and the purge.
            CREATE INDEX claims_by_ins_date ON claims (ins_value, service_date);
            CREATE INDEX claims_by_date ON claims (service_date);

            CREATE TABLE claim_imports (
                source TEXT PRIMARY KEY NOT NULL,
                lines_done INTEGER NOT NULL,
                imported INTEGER NOT NULL,
                duplicates INTEGER NOT NULL,
                rejected INTEGER NOT NULL
            ) STRICT;
            """)
    }

    /// The structured summary's items, one row per version.
    static func migration009SummaryEntries(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE summary_entries (
                record_id TEXT NOT NULL REFERENCES records(id),
                id TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                kind TEXT NOT NULL,
                is_current INTEGER NOT NULL,
                metadata_json TEXT NOT NULL,
                resource TEXT NOT NULL,
                PRIMARY KEY (record_id, id, version)
            ) STRICT;

            CREATE UNIQUE INDEX summary_entries_by_id ON summary_entries (id, version);
            CREATE INDEX summary_entries_current ON summary_entries (record_id, kind) WHERE is_current;
            """)
    }

    /// What a search and the access policy read of a document, as columns (``DocumentIndexEntry``), so a
    /// record's documents are searched without decoding their JSON; filled from the JSON for existing rows.
    static func migration010DocumentIndex(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE documents ADD COLUMN type_system TEXT;
            ALTER TABLE documents ADD COLUMN type_code TEXT NOT NULL DEFAULT '';
            ALTER TABLE documents ADD COLUMN submitter_id TEXT NOT NULL DEFAULT '';
            ALTER TABLE documents ADD COLUMN recorded_at_ms INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE documents ADD COLUMN visibility_flags INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE documents ADD COLUMN confidentiality TEXT NOT NULL DEFAULT 'N';

            -- Entries are JSON-encoded with Foundation's default dates: seconds since 2001-01-01.
            UPDATE documents SET
                type_system = json_extract(metadata_json, '$.type.system'),
                type_code = json_extract(metadata_json, '$.type.code'),
                submitter_id = json_extract(metadata_json, '$.submitterID'),
                recorded_at_ms = CAST(round((json_extract(metadata_json, '$.recordedAt') + 978307200) * 1000) AS INTEGER),
                visibility_flags = (CASE WHEN json_extract(metadata_json, '$.visibility.maskedToProfessionals') THEN 1 ELSE 0 END)
                    | (CASE WHEN json_extract(metadata_json, '$.visibility.invisibleToPatient') THEN 2 ELSE 0 END)
                    | (CASE WHEN json_extract(metadata_json, '$.visibility.invisibleToLegalRepresentatives') THEN 4 ELSE 0 END)
                    | (CASE WHEN json_extract(metadata_json, '$.visibility.maskedToSocialProfessionals') THEN 8 ELSE 0 END)
                    | (CASE WHEN json_extract(metadata_json, '$.visibility.maskedToThirdParties') THEN 16 ELSE 0 END),
                confidentiality = coalesce(json_extract(metadata_json, '$.visibility.confidentiality'), 'N');

            -- Serves ITI-67: a record's documents in some statuses, by date.
            CREATE INDEX documents_by_record_status_date ON documents (record_id, status, date_ms);
            """)
    }

    /// Who represents which minor, as rows (the access controls keep the same set as JSON): serves a
    /// legal representative's list of the minors they act for without reading every record's
    /// controls. Kept in the transaction that saves the controls; filled from the JSON for existing rows.
    static func migration011LegalRepresentations(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE legal_representations (
                record_id TEXT NOT NULL REFERENCES records(id),
                representative_ins_value TEXT NOT NULL,
                PRIMARY KEY (record_id, representative_ins_value)
            ) STRICT, WITHOUT ROWID;

            -- Serves "the records of the minors this person legally represents" (the patient portal's home).
            CREATE INDEX legal_representations_by_representative ON legal_representations (representative_ins_value, record_id);

            INSERT INTO legal_representations (record_id, representative_ins_value)
                SELECT a.record_id, r.value FROM access_controls a, json_each(a.controls_json, '$.legalRepresentatives') r
                WHERE json_type(a.controls_json, '$.legalRepresentatives') = 'array';
            """)
    }

    /// Who wrote or sent each document as one folded text (``DocumentEntry/authorSearchText``), so a
    /// portal's author filter is decided in the query instead of on a page in memory. A substring
    /// test within one record's rows, already narrowed by `documents_by_record_status_date`: no index
    /// of its own. Folded by Carnet, not by SQL's `lower()` (ASCII only in SQLite), so existing rows
    /// are filled from their stored entries by a Swift function SQLite calls within one `UPDATE`:
    /// no statement per row, half the time of a loop of updates (95,570 documents: 2.6 s instead of 5.3 s).
    static func migration012DocumentAuthorSearch(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE documents ADD COLUMN author_search TEXT NOT NULL DEFAULT ''")
        let fold = DatabaseFunction("carnet_author_search", argumentCount: 1, pure: true) { values in
            guard let json = String.fromDatabaseValue(values[0]) else { throw StoreError.corruptRow("documents.metadata_json is not text") }
            return try StoredForms.documentEntry(from: json).authorSearchText
        }
        db.add(function: fold)
        defer { db.remove(function: fold) }
        try db.execute(sql: "UPDATE documents SET author_search = carnet_author_search(metadata_json)")
    }

    /// Whether a professional acted in a minor's secret connection, so the legal representatives'
    /// history leaves the event out (an existing event was never one: false).
    static func migration013AuditSecretConnection(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE audit_events ADD COLUMN secret_connection INTEGER NOT NULL DEFAULT 0")
    }

    /// A set's unique id is unique per submitter within a record (issue 23.6): another submitter's set
    /// never collides, so a push cannot learn that a set it may not see uses an id. Filled from the sets.
    /// The portals' sessions and sign-in codes (issue 17: every node knows them). No health data.
    static func migration019PortalState(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE portal_sessions (
                id_hash TEXT PRIMARY KEY NOT NULL,
                payload BLOB NOT NULL,
                last_seen_ms INTEGER NOT NULL,
                expires_ms INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE sign_in_codes (
                ins_key TEXT PRIMARY KEY NOT NULL,
                code_hash BLOB NOT NULL,
                expires_ms INTEGER NOT NULL,
                attempts INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE sign_in_code_requests (
                ins_key TEXT NOT NULL,
                requested_ms INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX sign_in_code_requests_by_ins ON sign_in_code_requests (ins_key, requested_ms);
            """)
    }

    /// The insurer's bulk-feed jobs, so that a job id survives a restart (issue 15). No health data.
    static func migration016ImportJobs(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE import_jobs (
                id TEXT PRIMARY KEY NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
                created_at_ms INTEGER NOT NULL,
                job_json TEXT NOT NULL
            ) STRICT;
            CREATE INDEX import_jobs_by_state ON import_jobs (state, created_at_ms);
            """)
    }

    static func migration014SubmissionSetsBySubmitter(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE submission_sets ADD COLUMN submitter_id TEXT NOT NULL DEFAULT '';
            UPDATE submission_sets SET submitter_id = COALESCE(json_extract(set_json, '$.submitterID'), '');
            DROP INDEX submission_sets_by_unique_id;
            CREATE UNIQUE INDEX submission_sets_by_unique_id ON submission_sets (record_id, submitter_id, unique_id);
            """)
    }

    /// The national directory of health professionals (public open data, keyed by RPPS; issue 16): the
    /// entry whole, and its names folded for search (``DirectoryEntry/searchKey(_:)``), each indexed for
    /// a prefix search.
    static func migration015ProfessionalDirectory(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE professional_directory (
                rpps TEXT PRIMARY KEY NOT NULL,
                entry_json TEXT NOT NULL,
                last_name_key TEXT NOT NULL,
                first_name_key TEXT NOT NULL
            ) STRICT;
            CREATE INDEX professional_directory_by_last_name ON professional_directory (last_name_key, first_name_key);
            CREATE INDEX professional_directory_by_first_name ON professional_directory (first_name_key, last_name_key);
            """)
    }

    /// Duplicates (issue 18): each document's content address and the submission that stored it, as
    /// columns, so a push finds the record's documents with its bytes in one indexed read and a search
    /// folds identical content from different submissions on the index alone. Filled from the JSON for
    /// existing rows; their submission is told by submitter and millisecond of recording (one push
    /// records all its documents at once: ``DocumentEntry/submissionKey``).
    static func migration020DocumentContentHash(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE documents ADD COLUMN content_sha256 TEXT NOT NULL DEFAULT '';
            ALTER TABLE documents ADD COLUMN submission_key TEXT NOT NULL DEFAULT '';
            UPDATE documents SET
                content_sha256 = coalesce(json_extract(metadata_json, '$.content.sha256'), ''),
                submission_key = coalesce(json_extract(metadata_json, '$.submissionID'), submitter_id || '@' || recorded_at_ms);
            -- Serves a push's "is this content already in the record" (an exact re-push is answered with what is stored).
            CREATE INDEX documents_by_record_content ON documents (record_id, content_sha256);
            """)
    }

    /// The documents' full-text index (issue 18): FTS5, one row per document, its body the
    /// ``FrenchText`` terms of its metadata and content, each prefixed with its record's key (see
    /// `SQLiteStore.textTerm`), so a search reads one record's postings. Carnet folds and stems before
    /// the engine sees a word, so the plain `unicode61` tokenizer only splits on spaces here.
    /// Documents stored before this migration are not in it (found by metadata only once re-pushed).
    static func migration018DocumentText(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE document_text USING fts5(body, record_id UNINDEXED, document_id UNINDEXED,
                tokenize = 'unicode61 remove_diacritics 0', detail = 'none');
            """)
    }
}
