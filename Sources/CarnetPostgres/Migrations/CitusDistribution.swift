import Logging
import PostgresNIO

/// Carnet's tables distributed by patient on Citus, applied after the migrations when the database
/// has the `citus` extension; nothing at all on plain PostgreSQL.
///
/// Why by record: every request of a professional or a patient concerns one record, so with every
/// health-data table sharded on the record's id and colocated, a request's queries and its
/// transaction run on one worker (Citus's router planner), and the service grows by adding workers.
/// The INS directory and the insurer's claims are keyed by INS (the insurer's feed knows no record),
/// colocated with each other. What concerns no patient and is small (the professional directory,
/// sessions, sign-in codes, import jobs) becomes reference tables, copied to every worker.
///
/// A unique index must contain the distribution column: the indexes that made a document's, a
/// notification's, an audit event's or a summary item's id unique by itself become plain indexes
/// (ids are random UUIDs, and every insert already names its record). Tables already distributed are
/// left alone, so the step runs after every migration and distributes what a new one created; a
/// table in the schema that the plan does not name stops the start, rather than stay on the
/// coordinator unnoticed (``CitusDistributionTests`` checks the plan against the schema).
enum CitusDistribution {
    enum Placement: Equatable, Sendable {
        /// Sharded on `column`, colocated with `colocatedWith` (nil: the first of its group).
        case distributed(column: String, colocatedWith: String?)
        case reference
        /// Kept on the coordinator only (Carnet's own bookkeeping, read at start-up).
        case coordinator
    }

    /// Every table of Carnet's schema and where it lives, in the order they are distributed
    /// (a colocated table after the table it follows).
    static let plan: [(table: String, placement: Placement)] = [
        ("records", .distributed(column: "id", colocatedWith: nil)),
        ("documents", .distributed(column: "record_id", colocatedWith: "records")),
        ("document_versions", .distributed(column: "record_id", colocatedWith: "records")),
        ("submission_sets", .distributed(column: "record_id", colocatedWith: "records")),
        ("access_controls", .distributed(column: "record_id", colocatedWith: "records")),
        ("legal_representations", .distributed(column: "record_id", colocatedWith: "records")),
        ("summary_entries", .distributed(column: "record_id", colocatedWith: "records")),
        ("notifications", .distributed(column: "record_id", colocatedWith: "records")),
        ("document_content", .distributed(column: "record_id", colocatedWith: "records")),
        ("document_text", .distributed(column: "record_id", colocatedWith: "records")),
        ("audit_events", .distributed(column: "partition_id", colocatedWith: "records")),
        ("audit_chain_heads", .distributed(column: "partition_id", colocatedWith: "records")),
        ("record_identifiers", .distributed(column: "ins_value", colocatedWith: nil)),
        ("document_locator", .distributed(column: "document_id", colocatedWith: nil)),
        ("claims", .distributed(column: "ins_value", colocatedWith: "record_identifiers")),
        ("claim_imports", .reference),
        ("professional_directory", .reference),
        ("import_jobs", .reference),
        ("portal_sessions", .reference),
        ("sign_in_codes", .reference),
        ("sign_in_code_requests", .reference),
        ("carnet_schema_migrations", .coordinator),
    ]

    /// Unique indexes on an id alone, made plain before their tables are distributed.
    static let uniqueIndexesMadePlain: [(index: String, definition: String)] = [
        ("documents_by_id", "CREATE INDEX documents_by_id ON documents (id)"),
        ("notifications_by_id", "CREATE INDEX notifications_by_id ON notifications (id)"),
        ("audit_events_by_id", "CREATE INDEX audit_events_by_id ON audit_events (id)"),
        ("summary_entries_by_id", "CREATE INDEX summary_entries_by_id ON summary_entries (id, version)"),
    ]

    static func isPresent(_ connection: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await _ in try await connection.query("SELECT 1 FROM pg_extension WHERE extname = 'citus'", logger: logger).decode(Int.self) {
            return true
        }
        return false
    }

    /// Distributes what is not yet distributed; a no-op without Citus. Runs under the migrations' lock.
    static func apply(_ connection: PostgresConnection, logger: Logger) async throws {
        guard try await isPresent(connection, logger: logger) else { return }
        var placed = Set<String>()
        for try await table in try await connection.query("SELECT logicalrelid::regclass::text FROM pg_dist_partition", logger: logger)
            .decode(String.self) {
            placed.insert(table)
        }
        let existing = try await tables(connection, logger: logger)
        let planned = Set(plan.map(\.table))
        if let unplanned = existing.subtracting(planned).sorted().first {
            throw CitusPlanIncomplete(table: unplanned)
        }
        for (index, definition) in uniqueIndexesMadePlain where try await isUnique(index, connection, logger: logger) {
            try await connection.query(PostgresQuery(unsafeSQL: "DROP INDEX \(index)"), logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: definition), logger: logger)
        }
        for (table, placement) in plan where existing.contains(table) && !placed.contains(table) && placement != .coordinator {
            logger.info("distributing a table on Citus", metadata: ["table": "\(table)", "placement": "\(placement)"])
            switch placement {
            case .distributed(let column, let colocatedWith):
                let colocation = colocatedWith.map { "'\($0)'" } ?? "'none'"
                try await connection.query(PostgresQuery(unsafeSQL:
                    "SELECT create_distributed_table('\(table)', '\(column)', colocate_with => \(colocation))"), logger: logger)
            case .reference:
                try await connection.query(PostgresQuery(unsafeSQL: "SELECT create_reference_table('\(table)')"), logger: logger)
            case .coordinator:
                break
            }
        }
    }

    /// The schema's own tables (Citus's shards and catalogs excluded).
    static func tables(_ connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        var names = Set<String>()
        for try await name in try await connection.query("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname !~ '_[0-9]+$'
            """, logger: logger).decode(String.self) {
            names.insert(name)
        }
        return names
    }

    private static func isUnique(_ index: String, _ connection: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await unique in try await connection.query("""
            SELECT i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = \(index)
            """, logger: logger).decode(Bool.self) {
            return unique
        }
        return false
    }
}

/// A table of the schema that the distribution plan does not place: a migration added it without
/// saying where it lives on Citus.
struct CitusPlanIncomplete: Error, CustomStringConvertible {
    var table: String
    var description: String { "the Citus distribution plan does not place the table \(table) (CitusDistribution.plan)" }
}
