public import CarnetStore
import Logging
import PostgresNIO

extension PostgresStore {
    public func saveImportJob(_ job: ImportJob) async throws {
        let json = try StoredForms.encodeJSON(job)
        try await client.withConnection { [self] connection in
            try await connection.query("""
                INSERT INTO import_jobs (id, state, created_at_ms, job_json)
                VALUES (\(job.id), \(job.state.rawValue), \(StoredForms.milliseconds(job.createdAt)), \(json)::jsonb)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, job_json = excluded.job_json
                """, logger: logger)
        }
    }

    public func importJob(id: String) async throws -> ImportJob? {
        try await client.withConnection { [self] connection in
            var found: ImportJob?
            for try await json in try await connection.query("SELECT job_json::text FROM import_jobs WHERE id = \(id)", logger: logger)
                .decode(String.self) { found = try StoredForms.decodeJSON(ImportJob.self, from: json) }
            return found
        }
    }

    public func importJobs(in states: Set<ImportJob.State>) async throws -> [ImportJob] {
        try await client.withConnection { [self] connection in
            var jobs: [ImportJob] = []
            for try await json in try await connection.query("""
                SELECT job_json::text FROM import_jobs WHERE state = ANY(\(states.map(\.rawValue))::text[]) ORDER BY created_at_ms, id
                """, logger: logger).decode(String.self) { jobs.append(try StoredForms.decodeJSON(ImportJob.self, from: json)) }
            return jobs
        }
    }
}
