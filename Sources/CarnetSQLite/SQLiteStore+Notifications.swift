public import CarnetCore
public import CarnetStore
public import Foundation
import CarnetJSON
import GRDB

extension SQLiteStore {
    /// Adds the notifications `event` calls for, in the caller's transaction; a repeated fact (same
    /// dedupe key) adds nothing.
    static func enqueueNotifications(_ db: Database, for event: AuditEvent) throws {
        guard let recordID = event.recordID, event.outcome == .success else { return }
        var wantsNewDocuments = false
        if event.action == .createDocument, let json = try String.fetchOne(
            db, sql: "SELECT controls_json FROM access_controls WHERE record_id = ?", arguments: [recordID.rawValue.lowercasedText]) {
            wantsNewDocuments = try StoredForms.accessControls(from: json).notifyNewDocuments ?? false
        }
        // The added document is in this transaction already: its visibility decides whether it is announced.
        var visibility: DocumentVisibility?
        if wantsNewDocuments, let documentID = StoredForms.addedDocumentID(event), let flags = try Int.fetchOne(
            db, sql: "SELECT visibility_flags FROM documents WHERE record_id = ? AND id = ?",
            arguments: [recordID.rawValue.lowercasedText, documentID.lowercasedText]) {
            visibility = StoredForms.visibility(flags: flags)
        }
        for notification in PatientNotification.triggered(by: event, wantsNewDocumentNotices: wantsNewDocuments,
                                                          newDocumentVisibility: visibility) {
            try insertNotification(db, notification)
        }
    }

    static func insertNotification(_ db: Database, _ notification: PatientNotification) throws {
        let createdAt = StoredForms.milliseconds(notification.createdAt)
        try db.cachedStatement(sql: """
            INSERT INTO notifications (record_id, id, kind, dedupe_key, created_at_ms, message, status, next_attempt_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (record_id, dedupe_key) DO NOTHING
            """).execute(arguments: [notification.recordID.rawValue.lowercasedText, notification.id.lowercasedText, notification.kind.rawValue,
                             notification.dedupeKey, createdAt, notification.message, createdAt])
    }

    public func addNotification(_ notification: PatientNotification, audit: AuditEvent) async throws {
        let row = try AuditRow(audit)
        try await writer.write { db in
            try Self.insertNotification(db, notification)
            try Self.insertAudit(db, row)
        }
    }

    public func claimDueNotifications(now: Date, lease: TimeInterval, limit: Int) async throws -> [PatientNotification] {
        let nowMS = StoredForms.milliseconds(now)
        let leaseMS = StoredForms.milliseconds(now.addingTimeInterval(lease))
        return try await writer.write { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms LIMIT ?
                """), arguments: [nowMS, limit])
            for row in rows {
                try db.cachedStatement(sql: "UPDATE notifications SET next_attempt_at_ms = ? WHERE id = ?").execute(arguments: [leaseMS, row["id"] as String])
            }
            return try rows.map(Self.notification)
        }
    }

    public func markNotificationSent(_ id: UUID, at date: Date) async throws {
        try await writer.write { db in
            try db.cachedStatement(sql: "UPDATE notifications SET status = 'sent', attempts = attempts + 1, sent_at_ms = ?, last_error = NULL WHERE id = ?").execute(
                           arguments: [StoredForms.milliseconds(date), id.lowercasedText])
        }
    }

    public func markNotificationFailed(_ id: UUID, error: String, retryAt: Date?) async throws {
        try await writer.write { db in
            try db.cachedStatement(sql: """
                UPDATE notifications SET attempts = attempts + 1, last_error = ?, status = ?, next_attempt_at_ms = coalesce(?, next_attempt_at_ms)
                WHERE id = ?
                """).execute(arguments: [error, retryAt == nil ? "failed" : "pending", retryAt.map(StoredForms.milliseconds), id.lowercasedText])
        }
    }

    public func notifications(recordID: RecordID) async throws -> [OutboxEntry] {
        try readInPlace { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM notifications WHERE record_id = ? ORDER BY created_at_ms, id"),
                             arguments: [recordID.rawValue.lowercasedText])
                .map { row in
                    OutboxEntry(notification: try Self.notification(row), status: try StoredForms.enumValue(NotificationStatus.self, row["status"]),
                                attempts: row["attempts"])
                }
        }
    }

    public func notificationBacklog() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM notifications WHERE status = 'pending'")) ?? 0 }
    }

    private static func notification(_ row: Row) throws -> PatientNotification {
        PatientNotification(id: try uuid(row["id"]), recordID: RecordID(try uuid(row["record_id"])),
                            kind: try StoredForms.enumValue(PatientNotification.Kind.self, row["kind"]),
                            createdAt: StoredForms.date(milliseconds: row["created_at_ms"]), dedupeKey: row["dedupe_key"], message: row["message"])
    }
}
