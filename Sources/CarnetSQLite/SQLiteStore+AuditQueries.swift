public import CarnetCore
public import CarnetStore
public import Foundation
import CarnetJSON
import GRDB

/// The audit trail as its readers filter it (the patient's history, the home alerts): every criterion
/// of an ``AuditFilter`` in the WHERE clause, on the record's newest-first index, so a page is a page
/// of what matches.
extension SQLiteStore {
    public func auditEventPage(recordID: RecordID, filter: AuditFilter, limit: Int, offset: Int) async throws -> (events: [AuditEvent], total: Int) {
        try readInPlace { db in
            let (clause, arguments) = Self.auditWhere(recordID, filter)
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM audit_events WHERE \(clause)"), arguments: arguments) ?? 0
            return (try Self.auditEvents(db, recordID: recordID, filter, limit: limit, offset: offset), total)
        }
    }

    public func latestAuditTime(recordID: RecordID, matching filter: AuditFilter) async throws -> Date? {
        try readOneStatement { db in try Self.latestAuditTime(db, recordID: recordID, matching: filter) }
    }

    /// ``latestAuditTime(recordID:matching:)`` inside a read of the caller's (a search's own read).
    static func latestAuditTime(_ db: Database, recordID: RecordID, matching filter: AuditFilter) throws -> Date? {
        let (clause, arguments) = auditWhere(recordID, filter)
        return try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT recorded_at_ms FROM audit_events WHERE \(clause) ORDER BY recorded_at_ms DESC LIMIT 1
            """), arguments: arguments).map(StoredForms.date(milliseconds:))
    }

    public func firstAppearances(recordID: RecordID, matching filter: AuditFilter, since: Date) async throws -> [AuditFirstAppearance] {
        var ever = filter
        ever.from = nil
        ever.until = nil
        let (clause, arguments) = Self.auditWhere(recordID, ever)
        return try readInPlace { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT actor_kind, actor_id, min(recorded_at_ms) AS first_ms FROM audit_events WHERE \(clause)
                GROUP BY actor_kind, actor_id HAVING min(recorded_at_ms) >= ? ORDER BY first_ms DESC, actor_id
                """), arguments: arguments + [StoredForms.milliseconds(since)]).map { row in
                AuditFirstAppearance(actorKind: try StoredForms.enumValue(Actor.Kind.self, row["actor_kind"]), actorID: row["actor_id"],
                                     first: StoredForms.date(milliseconds: row["first_ms"]))
            }
        }
    }

    /// A record's events `filter` matches, newest first, one page.
    static func auditEvents(_ db: Database, recordID: RecordID, _ filter: AuditFilter, limit: Int, offset: Int) throws -> [AuditEvent] {
        let (clause, arguments) = auditWhere(recordID, filter)
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM audit_events WHERE \(clause) ORDER BY recorded_at_ms DESC, rowid DESC LIMIT ? OFFSET ?
            """), arguments: arguments + [limit, offset]).map { try auditRow($0).event() }
    }

    /// The WHERE clause of `filter` on one record, with its arguments (placeholders only: no value is
    /// ever spliced into the SQL, so the clauses are few — one per combination of criteria and list
    /// lengths — and their statements are prepared once per connection and cached).
    private static func auditWhere(_ recordID: RecordID, _ filter: AuditFilter) -> (String, StatementArguments) {
        var clause = "record_id = ? AND recorded_at_ms >= ? AND recorded_at_ms < ?"
        var arguments: StatementArguments = [recordID.rawValue.lowercasedText, filter.from.map(StoredForms.milliseconds) ?? Int64.min,
                                             filter.until.map(StoredForms.milliseconds) ?? Int64.max]
        func any(_ column: String, _ values: [String]) {
            clause += " AND \(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))"
            arguments += StatementArguments(values)
        }
        if let kinds = filter.actorKinds { any("actor_kind", kinds.map(\.rawValue).sorted()) }
        if let actions = filter.actions { any("action", actions.map(\.rawValue).sorted()) }
        if let actorID = filter.actorID {
            clause += " AND actor_id = ?"
            arguments += [actorID]
        }
        if filter.emergencyOnly {
            clause += " AND access_mode <> ?"
            arguments += [AccessMode.normal.rawValue]
        }
        if let outcome = filter.outcome {
            clause += " AND outcome = ?"
            arguments += [outcome.rawValue]
        }
        if filter.excludesSecretConnection {
            clause += " AND NOT secret_connection"
        }
        if !filter.excludedResources.isEmpty {
            // One bound JSON array of the references, however many: no statement grows with them.
            clause += " AND NOT EXISTS (SELECT 1 FROM json_each(audit_events.resources_json) AS named"
                + " WHERE named.value IN (SELECT value FROM json_each(?)))"
            arguments += [StoredForms.stringsJSON(filter.excludedResources.sorted())]
        }
        if filter.disclosingOnly {
            // As AuditEvent.disclosesContent: a success naming something besides the record itself.
            clause += " AND outcome = 'success' AND EXISTS (SELECT 1 FROM json_each(resources_json) WHERE value NOT LIKE 'Patient/%')"
        }
        return (clause, arguments)
    }
}
