public import CarnetCore
public import Foundation

/// Where the insurer's claims (the care history) live: filed by INS, so that claims received before
/// a record exists are there when it is created. Keyed by (INS, claim id): importing twice adds nothing.
public protocol ClaimStore: Sendable {
    /// Adds the claims not stored yet and moves the import's checkpoint, in one transaction; returns
    /// how many claims were new.
    func addClaims(_ claims: [Claim], checkpoint: ClaimImportCheckpoint) async throws -> Int

    /// Where an earlier run of the same import stopped, if it did.
    func claimImportCheckpoint(source: String) async throws -> ClaimImportCheckpoint?

    /// The claims of an INS from `from` on, newest care first.
    func claims(ins: INS, from: PartialDate) async throws -> [Claim]

    /// Removes claims for care before `before` (the 24-month window); returns how many.
    func purgeClaims(before: PartialDate) async throws -> Int
}

/// How far an import of one source (a file, identified by path, size and modification time) went.
public struct ClaimImportCheckpoint: Sendable, Equatable {
    public var source: String
    public var linesDone: Int
    public var imported: Int
    public var duplicates: Int
    public var rejected: Int

    public init(source: String, linesDone: Int, imported: Int, duplicates: Int, rejected: Int) {
        self.source = source
        self.linesDone = linesDone
        self.imported = imported
        self.duplicates = duplicates
        self.rejected = rejected
    }
}
