public import CarnetCore
public import CarnetStore
public import Foundation
import Logging
import PostgresNIO

/// The audit trail as its readers filter it (the patient's history, the home alerts): every criterion
/// of an ``AuditFilter`` bound as a parameter in one fixed WHERE clause (an unset criterion matches
/// all), on the record's newest-first index, so a page is a page of what matches.
extension PostgresStore {
    public func auditEventPage(recordID: RecordID, filter: AuditFilter, limit: Int, offset: Int) async throws -> (events: [AuditEvent], total: Int) {
        try await client.withConnection { [self] connection in
            var total = 0
            for try await count in try await connection.query(Self.auditQuery("SELECT count(*)", recordID, filter, tail: ""),
                                                               logger: logger).decode(Int.self) {
                total = count
            }
            let events = try await Self.auditEvents(connection, recordID: recordID, filter, limit: limit, offset: offset, logger: logger)
            return (events, total)
        }
    }

    public func latestAuditTime(recordID: RecordID, matching filter: AuditFilter) async throws -> Date? {
        try await client.withConnection { [self] connection in try await Self.latestAuditTime(connection, recordID: recordID, matching: filter, logger: logger) }
    }

    /// ``latestAuditTime(recordID:matching:)`` on the caller's connection (a search's own checkout).
    static func latestAuditTime(_ connection: PostgresConnection, recordID: RecordID, matching filter: AuditFilter, logger: Logger) async throws -> Date? {
        let query = auditQuery("SELECT (extract(epoch FROM recorded_at) * 1000)::bigint", recordID, filter, tail: " ORDER BY recorded_at DESC LIMIT 1")
        var latest: Date?
        for try await milliseconds in try await connection.query(query, logger: logger).decode(Int64.self) {
            latest = StoredForms.date(milliseconds: milliseconds)
        }
        return latest
    }

    public func firstAppearances(recordID: RecordID, matching filter: AuditFilter, since: Date) async throws -> [AuditFirstAppearance] {
        var ever = filter
        ever.from = nil
        ever.until = nil
        var query = Self.auditQuery("SELECT actor_kind, actor_id, (extract(epoch FROM min(recorded_at)) * 1000)::bigint", recordID, ever,
                                    tail: " GROUP BY actor_kind, actor_id HAVING min(recorded_at) >= to_timestamp(")
        let sinceMS = StoredForms.milliseconds(since)
        query.sql += "$\(query.binds.count + 1)::double precision / 1000) ORDER BY 3 DESC, actor_id"
        query.binds.append(sinceMS)
        return try await client.withConnection { [self] connection in
            var found: [AuditFirstAppearance] = []
            for try await (kind, actorID, first) in try await connection.query(query, logger: logger).decode((String, String, Int64).self) {
                found.append(AuditFirstAppearance(actorKind: try StoredForms.enumValue(Actor.Kind.self, kind), actorID: actorID,
                                                  first: StoredForms.date(milliseconds: first)))
            }
            return found
        }
    }

    /// A record's events `filter` matches, newest first, one page.
    static func auditEvents(_ connection: PostgresConnection, recordID: RecordID, _ filter: AuditFilter, limit: Int, offset: Int,
                            logger: Logger) async throws -> [AuditEvent] {
        var query = auditQuery("""
            SELECT id, record_id, (extract(epoch FROM recorded_at) * 1000)::bigint, actor_kind, actor_id, profession,
                   access_mode, emergency_reason, action, resources_json::text, outcome, rule, detail, secret_connection
            """, recordID, filter, tail: " ORDER BY recorded_at DESC, sequence DESC LIMIT ")
        query.sql += "$\(query.binds.count + 1) OFFSET $\(query.binds.count + 2)"
        query.binds.append(limit)
        query.binds.append(offset)
        let rows = try await connection.query(query, logger: logger)
        var events: [AuditEvent] = []
        for try await (id, record, at, kind, actorID, profession, mode, reason, action, resources, outcome, rule, detail, secret) in rows.decode(
            (UUID, UUID?, Int64, String, String, String?, String, String?, String, String, String, String?, String?, Bool).self) {
            events.append(try AuditRow(id: id, recordID: record, recordedAtMilliseconds: at, actorKind: kind, actorID: actorID,
                                       profession: profession, accessMode: mode, emergencyReason: reason, action: action,
                                       resourcesJSON: resources, outcome: outcome, rule: rule, detail: detail, secretConnection: secret).event())
        }
        return events
    }

    /// `select` from one record's events that `filter` matches, then `tail`; every value a bound parameter.
    private static func auditQuery(_ select: String, _ recordID: RecordID, _ filter: AuditFilter, tail: String) -> PostgresQuery {
        let fromMS = filter.from.map(StoredForms.milliseconds) ?? earliestMS
        let untilMS = filter.until.map(StoredForms.milliseconds) ?? latestMS
        let kinds = filter.actorKinds.map { $0.map(\.rawValue).sorted() } ?? []
        let actions = filter.actions.map { $0.map(\.rawValue).sorted() } ?? []
        let query: PostgresQuery = """
            \(unescaped: select) FROM audit_events WHERE partition_id = \(recordID.rawValue) AND record_id = \(recordID.rawValue)
              AND recorded_at >= to_timestamp(\(fromMS)::double precision / 1000) AND recorded_at < to_timestamp(\(untilMS)::double precision / 1000)
              AND (\(filter.actorKinds == nil) OR actor_kind = ANY(\(kinds)::text[]))
              AND (\(filter.actions == nil) OR action = ANY(\(actions)::text[]))
              AND (\(filter.actorID)::text IS NULL OR actor_id = \(filter.actorID)::text)
              AND (NOT \(filter.emergencyOnly) OR access_mode <> 'normal')
              AND (\(filter.outcome?.rawValue)::text IS NULL OR outcome = \(filter.outcome?.rawValue)::text)
              AND (NOT \(filter.excludesSecretConnection) OR NOT secret_connection)
              AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(resources_json) AS named(reference)
                              WHERE named.reference = ANY(\(filter.excludedResources.sorted())::text[]))
              AND (NOT \(filter.disclosingOnly) OR (outcome = 'success'
                   AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(resources_json) AS named WHERE named NOT LIKE 'Patient/%')))\(unescaped: tail)
            """
        return query
    }
}
