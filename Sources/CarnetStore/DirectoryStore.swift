public import CarnetCore

/// Where the national directory of health professionals lives (public reference data, keyed by RPPS).
///
/// Not health data and about no patient: the one table outside the patient key, a Citus *reference*
/// table at scale (copied whole to every node), since every record's pages name professionals.
public protocol DirectoryStore: Sendable {
    /// Adds the professionals not known yet and updates those whose entry changed, in one transaction.
    func upsertDirectoryEntries(_ entries: [DirectoryEntry]) async throws -> DirectoryUpsertCount

    /// The entries of these RPPS numbers that the directory knows (the others are simply absent).
    func directoryEntries(rpps: [RPPS]) async throws -> [DirectoryEntry]

    /// Professionals one of whose names (last or first, by ``DirectoryEntry/searchKey(_:)``) starts with
    /// `prefix` (a key already folded), ordered by last then first name; at most `limit`.
    func directoryEntries(namePrefix prefix: String, limit: Int) async throws -> [DirectoryEntry]
}

/// What one batch of a directory load changed.
public struct DirectoryUpsertCount: Sendable, Equatable {
    public var added: Int
    public var updated: Int

    public init(added: Int, updated: Int) {
        self.added = added
        self.updated = updated
    }
}
