public import CarnetCore
import Crypto
public import Foundation
import CarnetJSON

/// The audit trail as hash chains: each event carries the SHA-256 of its content and of the event
/// before it in its chain, so an altered, removed or inserted row breaks every link after it.
///
/// One chain per record (the patient's history); events that matched no record chain per actor, so
/// that no single chain becomes a global bottleneck. Both engines hash the same canonical form of the
/// decoded event, never their own column encodings, so one verifier checks both.
public enum AuditChain {
    /// The "previous hash" of a chain's first event.
    public static let genesis = String(repeating: "0", count: 64)

    public static func key(for event: AuditEvent) -> String {
        event.recordID.map { "record:\($0)" } ?? "actor:\(event.actorKind.rawValue):\(event.actorID)"
    }

    /// The key a distributed database places the chain by (PostgreSQL's `partition_id`): the record
    /// for a record's chain, so its events live with the record's other rows; for the other chains a
    /// UUID made of the MD5 of the chain key (what `md5(key)::uuid` gives in SQL, which fills existing
    /// rows). MD5 only spreads keys here; it protects nothing.
    public static func partition(for event: AuditEvent) -> UUID {
        if let record = event.recordID { return record.rawValue }
        return partition(forChainKey: key(for: event))
    }

    public static func partition(forChainKey key: String) -> UUID {
        if key.hasPrefix("record:"), let record = UUID(text: key.dropFirst("record:".count)) { return record }
        let bytes = Array(Insecure.MD5.hash(data: Data(key.utf8)))
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Lowercase hex SHA-256 of the event at `sequence` after `previous`.
    public static func hash(_ event: AuditEvent, sequence: Int64, previous: String) -> String {
        let absent = "\u{0}"
        let fields: [String] = [
            "carnet-audit-v1", event.id.lowercasedText, event.recordID?.description ?? absent,
            String(StoredForms.milliseconds(event.recordedAt)), event.actorKind.rawValue, event.actorID, event.profession ?? absent,
            event.accessMode.rawValue, event.emergencyReason ?? absent, event.action.rawValue, event.resources.joined(separator: "\u{1E}"),
            event.outcome.rawValue, event.rule?.rawValue ?? absent, event.detail ?? absent, String(sequence), previous,
        ]
        // A secret connection adds a field only when set, so every event hashed before it existed keeps its hash.
        let marked = event.secretConnection ? fields + ["secret-connection"] : fields
        let digest = SHA256.hash(data: Data(marked.joined(separator: "\u{1F}").utf8))
        return Hex.lowercase(digest)
    }
}

/// An audit event with its place in its chain, as stored.
public struct ChainedAuditEvent: Sendable, Equatable {
    public var event: AuditEvent
    public var chainKey: String
    public var sequence: Int64
    public var previousHash: String
    public var hash: String

    public init(event: AuditEvent, chainKey: String, sequence: Int64, previousHash: String, hash: String) {
        self.event = event
        self.chainKey = chainKey
        self.sequence = sequence
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// What the engines expose for verification: the chained events in chain order, page by page, and
/// each chain's recorded head (its last sequence and hash), which catches a removed last event.
public protocol AuditChainReader: Sendable {
    /// Up to `limit` chained events after `cursor` (chain key, sequence), ordered by chain key then sequence.
    func chainedAuditEvents(after cursor: (chainKey: String, sequence: Int64)?, limit: Int) async throws -> [ChainedAuditEvent]
    func auditChainHeads() async throws -> [String: (sequence: Int64, hash: String)]
    /// Events written before chaining existed (no chain columns).
    func unchainedAuditEventCount() async throws -> Int
}

/// The result of checking every chain.
public struct AuditChainReport: Sendable, Equatable, CustomStringConvertible {
    public var chains = 0
    public var events = 0
    public var unchained = 0
    /// The first broken link found, in plain words; `nil` when every chain verifies.
    public var firstBreak: String?

    public var isIntact: Bool { firstBreak == nil }

    public var description: String {
        let summary = "\(events) audit events in \(chains) chains" + (unchained > 0 ? " (\(unchained) older events predate chaining)" : "")
        return firstBreak.map { "BROKEN: \($0)\n\(summary) checked up to the break" } ?? "OK: \(summary) verify"
    }
}

public enum AuditChainVerifier {
    /// Walks every chain from its first event, recomputing each hash and link, and checks each head.
    public static func verify(_ reader: any AuditChainReader, pageSize: Int = 5_000) async throws -> AuditChainReport {
        var report = AuditChainReport()
        report.unchained = try await reader.unchainedAuditEventCount()
        var heads = try await reader.auditChainHeads()
        var cursor: (chainKey: String, sequence: Int64)?
        var current: (key: String, sequence: Int64, hash: String)?

        func closeChain() -> String? {
            guard let chain = current else { return nil }
            guard let head = heads.removeValue(forKey: chain.key) else { return "chain \(chain.key) has events but no recorded head" }
            if head.sequence != chain.sequence || head.hash != chain.hash {
                return "chain \(chain.key) ends at event \(chain.sequence) but its head records event \(head.sequence): events were removed or added"
            }
            return nil
        }

        while true {
            let page = try await reader.chainedAuditEvents(after: cursor, limit: pageSize)
            for link in page {
                if link.chainKey != current?.key {
                    if let problem = closeChain() { report.firstBreak = problem; return report }
                    current = (link.chainKey, 0, AuditChain.genesis)
                    report.chains += 1
                }
                guard let chain = current else { continue }
                let place = "chain \(link.chainKey), event \(link.sequence) (\(link.event.id.lowercasedText))"
                if link.sequence != chain.sequence + 1 {
                    report.firstBreak = "\(place): expected event \(chain.sequence + 1) — an event is missing"
                    return report
                }
                if link.previousHash != chain.hash {
                    report.firstBreak = "\(place): its link to the previous event does not match"
                    return report
                }
                if AuditChain.hash(link.event, sequence: link.sequence, previous: link.previousHash) != link.hash {
                    report.firstBreak = "\(place): its content no longer matches its hash — the row was altered"
                    return report
                }
                current = (link.chainKey, link.sequence, link.hash)
                report.events += 1
            }
            guard let last = page.last, page.count == pageSize else { break }
            cursor = (last.chainKey, last.sequence)
        }
        if let problem = closeChain() { report.firstBreak = problem; return report }
        if let orphan = heads.keys.sorted().first { report.firstBreak = "chain \(orphan) has a recorded head but no events: they were removed" }
        return report
    }
}
