import GRDB

extension SQLiteStore {
    /// Copies the database to a new file at `path` with SQLite's online backup API: a consistent
    /// snapshot taken in one read transaction while writers go on (WAL mode).
    public func backup(to path: String) throws {
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
        try destination.close()
    }
}
