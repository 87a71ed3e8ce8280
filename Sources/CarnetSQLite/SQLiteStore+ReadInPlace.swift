import GRDB

extension SQLiteStore {
    /// A request's short read, run on the thread that asks for it (issue 20).
    ///
    /// GRDB's async `read` sends the closure to a reader's dispatch queue and resumes the request when
    /// it is done: two thread hand-offs and their futex wake-ups for a read that itself takes tens of
    /// microseconds, which made a quarter of a search's CPU. A synchronous read runs on the caller's
    /// thread instead (dispatch runs a `sync` block in place when the reader is idle). It blocks that
    /// thread for the read's duration, so it is for a request's bounded reads (one record's rows, by
    /// key); long scans (the audit chain's verification, job lists) keep the async read.
    func readInPlace<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }
}

extension SQLiteStore {
    /// A read of exactly one statement, in place and without a transaction of its own: SQLite reads one
    /// statement from one snapshot anyway, and the BEGIN and COMMIT GRDB wraps around a read (prepared
    /// afresh each time) cost about as much as a short indexed statement (issue 20's profile of a
    /// search). Reads of several statements that must agree with each other keep ``readInPlace(_:)``.
    func readOneStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(body)
    }
}
