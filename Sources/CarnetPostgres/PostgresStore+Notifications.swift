public import CarnetCore
public import CarnetStore
public import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Adds the notifications `event` calls for, in the caller's transaction; a repeated fact (same
    /// dedupe key) adds nothing.
    static func enqueueNotifications(_ connection: PostgresConnection, for event: AuditEvent, logger: Logger) async throws {
        guard let recordID = event.recordID, event.outcome == .success else { return }
        var wantsNewDocuments = false
        if event.action == .createDocument {
            for try await json in try await connection.query(
                "SELECT controls_json::text FROM access_controls WHERE record_id = \(recordID.rawValue)", logger: logger).decode(String.self) {
                wantsNewDocuments = try StoredForms.accessControls(from: json).notifyNewDocuments ?? false
            }
        }
        // The added document is in this transaction already: its visibility decides whether it is announced.
        var visibility: DocumentVisibility?
        if wantsNewDocuments, let documentID = StoredForms.addedDocumentID(event) {
            for try await flags in try await connection.query(
                "SELECT visibility_flags FROM documents WHERE record_id = \(recordID.rawValue) AND id = \(documentID)", logger: logger).decode(Int.self) {
                visibility = StoredForms.visibility(flags: flags)
            }
        }
        for notification in PatientNotification.triggered(by: event, wantsNewDocumentNotices: wantsNewDocuments,
                                                          newDocumentVisibility: visibility) {
            try await insertNotification(connection, notification, logger: logger)
        }
    }

    static func insertNotification(_ connection: PostgresConnection, _ notification: PatientNotification, logger: Logger) async throws {
        let createdAt = StoredForms.milliseconds(notification.createdAt)
        try await connection.query("""
            INSERT INTO notifications (record_id, id, kind, dedupe_key, created_at, message, status, next_attempt_at)
            VALUES (\(notification.recordID.rawValue), \(notification.id), \(notification.kind.rawValue), \(notification.dedupeKey),
                    to_timestamp(\(createdAt)::double precision / 1000), \(notification.message), 'pending',
                    to_timestamp(\(createdAt)::double precision / 1000))
            ON CONFLICT (record_id, dedupe_key) DO NOTHING
            """, logger: logger)
    }

    public func addNotification(_ notification: PatientNotification, audit: AuditEvent) async throws {
        let row = try AuditRow(audit)
        try await transaction { [self] connection in
            try await Self.insertNotification(connection, notification, logger: logger)
            try await Self.insertAudit(connection, row, logger: logger)
        }
    }

    public func claimDueNotifications(now: Date, lease: TimeInterval, limit: Int) async throws -> [PatientNotification] {
        let nowMS = StoredForms.milliseconds(now)
        let leaseMS = StoredForms.milliseconds(now.addingTimeInterval(lease))
        return try await client.withConnection { [self] connection in
            // The due rows, then each claimed by an update that checks again that it is still due: dispatchers on
            // several nodes share the outbox, and the second to update a row finds it leased and leaves it. Each
            // claim names its record, so on Citus it goes to one shard (a row lock across shards is not offered).
            var due: [(record: UUID, id: UUID)] = []
            for try await row in try await connection.query("""
                SELECT record_id, id FROM notifications WHERE status = 'pending' AND next_attempt_at <= to_timestamp(\(nowMS)::double precision / 1000)
                ORDER BY next_attempt_at LIMIT \(limit)
                """, logger: logger).decode((UUID, UUID).self) {
                due.append(row)
            }
            var claimed: [PatientNotification] = []
            for (record, id) in due {
                claimed += try await Self.notifications(connection, """
                    UPDATE notifications SET next_attempt_at = to_timestamp(\(leaseMS)::double precision / 1000)
                    WHERE record_id = \(record) AND id = \(id) AND status = 'pending'
                      AND next_attempt_at <= to_timestamp(\(nowMS)::double precision / 1000)
                    RETURNING id, record_id, kind, (extract(epoch FROM created_at) * 1000)::bigint, dedupe_key, message, status, attempts
                    """, logger: logger).map(\.notification)
            }
            return claimed
        }
    }

    public func markNotificationSent(_ id: UUID, at date: Date) async throws {
        try await client.query("""
            UPDATE notifications SET status = 'sent', attempts = attempts + 1, last_error = NULL,
                                     sent_at = to_timestamp(\(StoredForms.milliseconds(date))::double precision / 1000)
            WHERE id = \(id)
            """, logger: logger)
    }

    public func markNotificationFailed(_ id: UUID, error: String, retryAt: Date?) async throws {
        let retryMS = retryAt.map(StoredForms.milliseconds)
        try await client.query("""
            UPDATE notifications SET attempts = attempts + 1, last_error = \(error), status = \(retryAt == nil ? "failed" : "pending"),
                next_attempt_at = coalesce(to_timestamp(\(retryMS)::double precision / 1000), next_attempt_at)
            WHERE id = \(id)
            """, logger: logger)
    }

    public func notifications(recordID: RecordID) async throws -> [OutboxEntry] {
        try await client.withConnection { [self] connection in
            try await Self.notifications(connection, """
                SELECT id, record_id, kind, (extract(epoch FROM created_at) * 1000)::bigint, dedupe_key, message, status, attempts
                FROM notifications WHERE record_id = \(recordID.rawValue) ORDER BY created_at, id
                """, logger: logger)
        }
    }

    public func notificationBacklog() async throws -> Int {
        try await client.withConnection { [self] connection in
            var count = 0
            for try await value in try await connection.query("SELECT count(*) FROM notifications WHERE status = 'pending'", logger: logger)
                .decode(Int.self) { count = value }
            return count
        }
    }

    private static func notifications(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        for try await (id, record, kind, created, key, message, status, attempts) in try await connection.query(query, logger: logger)
            .decode((UUID, UUID, String, Int64, String, String, String, Int).self) {
            let notification = PatientNotification(id: id, recordID: RecordID(record), kind: try StoredForms.enumValue(PatientNotification.Kind.self, kind),
                                                   createdAt: StoredForms.date(milliseconds: created), dedupeKey: key, message: message)
            entries.append(OutboxEntry(notification: notification, status: try StoredForms.enumValue(NotificationStatus.self, status), attempts: attempts))
        }
        return entries
    }
}
