@testable import CarnetPostgres
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
