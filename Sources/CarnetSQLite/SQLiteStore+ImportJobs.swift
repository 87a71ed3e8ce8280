public import CarnetStore
import GRDB

extension SQLiteStore {
    public func saveImportJob(_ job: ImportJob) async throws {
        let json = try StoredForms.encodeJSON(job)
        try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO import_jobs (id, state, created_at_ms, job_json) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, job_json = excluded.job_json
                """).execute(arguments: [job.id, job.state.rawValue, StoredForms.milliseconds(job.createdAt), json])
        }
    }

    public func importJob(id: String) async throws -> ImportJob? {
        try await pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT job_json FROM import_jobs WHERE id = ?"), arguments: [id])
                .map { try StoredForms.decodeJSON(ImportJob.self, from: $0) }
        }
    }

    public func importJobs(in states: Set<ImportJob.State>) async throws -> [ImportJob] {
        let names = states.map(\.rawValue)
        return try await pool.read { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT job_json FROM import_jobs WHERE state IN (\(databaseQuestionMarks(count: names.count))) ORDER BY created_at_ms, id
                """), arguments: StatementArguments(names))
                .map { try StoredForms.decodeJSON(ImportJob.self, from: $0) }
        }
    }
}
