public import CarnetCore
import CarnetStore
public import Foundation
import Logging

/// The national directory of health professionals through the one door (issue 16, "people, not
/// numbers"): loading it is an operator's bulk action, decided by ``AccessPolicy/decideFeed(_:by:)``
/// and audited; reading it names professionals on every page that would otherwise show an RPPS.
///
/// Reading is not decided nor audited: the directory is public open data (the ANS publishes it for
/// anyone) and says nothing about any patient, so who looks a professional up reveals nothing.
extension RecordService {
    /// Loads the RPPS extract in `file` (README, "Directory of professionals"); refusals audited, and the
    /// load summarised in the audit trail.
    public func importDirectory(file: URL, by actor: Actor,
                                progress: @Sendable (DirectoryImporter.Progress) -> Void = { _ in }) async throws -> DirectoryImporter.Summary {
        let decision = try await authoriseFeed(.importDirectory, by: actor)
        let summary = try await DirectoryImporter(store: store).run(file: file, progress: progress)
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .importDirectory, outcome: .success,
                                               rule: decision.rule, detail: "\(file.lastPathComponent): \(summary)"))
        logger.info("directory loaded", metadata: ["added": "\(summary.added)", "updated": "\(summary.updated)", "rejected": "\(summary.rejected)"])
        return summary
    }

    /// Loads an extract given whole (the demo's synthetic sample), decided and audited as a file is.
    public func importDirectory(text: String, source: String, by actor: Actor) async throws -> DirectoryImporter.Summary {
        let decision = try await authoriseFeed(.importDirectory, by: actor)
        let summary = try await DirectoryImporter(store: store).run(text: text)
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .importDirectory, outcome: .success,
                                               rule: decision.rule, detail: "\(source): \(summary)"))
        return summary
    }

    /// What the directory says of these professionals (RPPS numbers as text; those that are not an RPPS,
    /// or that the directory does not know, are absent: pages then fall back to the number).
    public func professionals<S: Sequence<String>>(_ identifiers: S) async throws -> ProfessionalNames {
        let rpps = Set(identifiers).compactMap { try? RPPS($0) }
        let entries = try await store.directoryEntries(rpps: rpps)
        return ProfessionalNames(entries: Dictionary(entries.map { ($0.rpps.value, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Professionals whose names match `query` (every word starts one of their names, case and accents
    /// ignored: "mart cl" finds Claire Martin), ordered by name; at most `limit`. An 11-digit query is
    /// looked up as an RPPS.
    public func findProfessionals(named query: String, limit: Int = 20) async throws -> [DirectoryEntry] {
        let words = DirectoryEntry.searchKey(query).split(separator: " ").map(String.init)
        guard let first = words.max(by: { $0.count < $1.count }), first.count >= 2 else { return [] }
        if words.count == 1, let rpps = try? RPPS(first) { return try await store.directoryEntries(rpps: [rpps]) }
        // The longest word narrows in the database (a prefix of a last or first name); the others are checked here.
        let candidates = try await store.directoryEntries(namePrefix: first, limit: words.count == 1 ? limit : 500)
        return Array(candidates.filter { $0.matches(query: query) }.prefix(limit))
    }
}

/// Professionals as the directory names them, by RPPS: what pages show instead of a bare number.
public struct ProfessionalNames: Sendable {
    public let entries: [String: DirectoryEntry]

    public init(entries: [String: DirectoryEntry] = [:]) { self.entries = entries }

    public subscript(rpps: String) -> DirectoryEntry? { entries[rpps] }
}
