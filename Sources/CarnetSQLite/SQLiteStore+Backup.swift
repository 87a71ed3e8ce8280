import GRDB
import CarnetStore

extension SQLiteStore {
    /// Copies the database to a new file at `path` with SQLite's online backup API: a consistent
    /// snapshot taken in one read transaction while writers go on (WAL mode).
    /// Runs on a thread of its own (see ``onOwnThread(_:)``): the backup waits for the writer.
    public func backup(to path: String) async throws {
        let pool = pool
        try await onOwnThread {
            try PrivateFiles.create(path)
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            try destination.close()
            PrivateFiles.restrict(PrivateFiles.sqliteFiles(path))
        }
    }
}
