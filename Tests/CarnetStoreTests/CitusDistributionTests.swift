@testable import CarnetPostgres
import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import PostgresNIO
import Testing

/// The Citus plan against the schema: every table a migration creates is placed (a new table
/// without a place would stop a Citus deployment's start), and, when the suite runs under
/// `scripts/with-citus`, each table is distributed, colocated or copied as the plan says.
@Suite struct CitusDistributionTests {
    @Test(.enabled(if: TestEngine.available.contains(.postgres)))
    func everyTableOfTheSchemaIsPlaced() async throws {
        try await TestEngine.postgres.withStore { store in
            let postgres = try #require(store as? PostgresStore)
            let tables = try await postgres.client.withConnection { connection in
                try await CitusDistribution.tables(connection, logger: postgres.logger)
            }
            let planned = Set(CitusDistribution.plan.map(\.table))
            #expect(tables.subtracting(planned).isEmpty, "tables without a place on Citus: \(tables.subtracting(planned).sorted())")
            #expect(planned.subtracting(tables).isEmpty, "planned tables that no migration creates: \(planned.subtracting(tables).sorted())")
        }
    }

    @Test(.enabled(if: !TestPostgres.citusWorkers.isEmpty))
    func onCitusEachTableIsPlacedAsPlanned() async throws {
        try await TestEngine.postgres.withStore { store in
            let postgres = try #require(store as? PostgresStore)
            let placed = try await postgres.client.withConnection { connection in
                var placed: [String: (method: String, column: String?, colocation: Int)] = [:]
                for try await (table, method, column, colocation) in try await connection.query("""
                    SELECT logicalrelid::regclass::text, partmethod::text, column_to_column_name(logicalrelid, partkey), colocationid
                    FROM pg_dist_partition
                    """, logger: postgres.logger).decode((String, String, String?, Int).self) {
                    placed[table] = (method, column, colocation)
                }
                return placed
            }
            for (table, placement) in CitusDistribution.plan {
                switch placement {
                case .distributed(let column, let colocatedWith):
                    #expect(placed[table]?.method == "h" && placed[table]?.column == column, "\(table) is not hash-distributed on \(column)")
                    if let leader = colocatedWith {
                        #expect(placed[table]?.colocation == placed[leader]?.colocation, "\(table) is not colocated with \(leader)")
                    }
                case .reference:
                    #expect(placed[table]?.method == "n", "\(table) is not a reference table")
                case .coordinator:
                    #expect(placed[table] == nil, "\(table) should stay on the coordinator")
                }
            }
        }
    }

    /// With Citus told to refuse any query planned for more than one shard, a visit's reads and writes
    /// still run: each goes to one shard. Reads by record id, by INS and by document id alone, found and
    /// missing (a miss reads a decoy by exact key, never the next row of an index), a push, a search.
    @Test(.enabled(if: !TestPostgres.citusWorkers.isEmpty))
    func aVisitsQueriesEachGoToOneShard() async throws {
        try await TestEngine.postgres.withDatabaseLocation { location in
            await (try await location.open()).shutdown()  // migrated and distributed
            try await location.execute("""
                DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET citus.multi_task_query_log_level = %L', current_database(), 'error'); END $$
                """)
            let store = try await location.open()
            do {
                let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
                let audit = AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .doctor(), action: .createRecord, outcome: .success,
                                       rule: nil)
                _ = try await store.createRecord(record, audit: audit)
                let entry = DocumentEntry.fixture(in: record.id)
                try await store.addDocuments([DocumentAddition(entry: entry, superseding: nil, searchText: "compte rendu")], audits: [audit])

                #expect(try await store.recordWithControls(id: record.id)?.record == record)
                #expect(try await store.recordWithControls(id: RecordID()) == nil)
                #expect(try await store.recordWithControls(ins: record.ins)?.record == record)
                #expect(try await store.recordWithControls(ins: .fixture(77)) == nil)
                #expect(try await store.record(ins: record.ins) == record)
                #expect(try await store.documentWithRecord(id: entry.id)?.entry == entry)
                #expect(try await store.documentWithRecord(id: DocumentID()) == nil)
                #expect(try await store.document(id: entry.id) == entry)
                let search = try await store.documentSearch(recordID: record.id, statuses: [.current], from: nil, until: nil,
                                                            narrowing: DocumentNarrowing(), newestFirst: true) { _, _, index in
                    (index.map(\.id), index.count)
                }
                #expect(search?.entries == [entry])
                try await store.appendAudit(audit)
                #expect(try await store.auditEvents(recordID: record.id, limit: 10).count == 3)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        }
    }

    /// Existing rows are given their partition by SQL (`md5(key)::uuid`), new ones by Swift: the two agree.
    @Test(.enabled(if: TestEngine.available.contains(.postgres)))
    func theAuditPartitionOfAChainIsTheSameInSwiftAndSQL() async throws {
        try await TestEngine.postgres.withStore { store in
            let postgres = try #require(store as? PostgresStore)
            for key in ["actor:professional:810000000001", "actor:agent:import", "actor:patient:é ü"] {
                let fromSQL = try await postgres.client.withConnection { connection in
                    var found: UUID?
                    for try await value in try await connection.query("SELECT md5(\(key))::uuid", logger: postgres.logger).decode(UUID.self) {
                        found = value
                    }
                    return found
                }
                #expect(fromSQL == AuditChain.partition(forChainKey: key))
            }
            let record = UUID()
            #expect(AuditChain.partition(forChainKey: "record:\(record.uuidString.lowercased())") == record)
        }
    }
}
