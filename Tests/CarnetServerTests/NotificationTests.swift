import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

/// Patient notifications: written with their fact, delivered through a real SMTP server, retried on
/// failure, delivered once.
/// Delivery reads no document content: a blob store that has none and says so if asked.
private struct NoContent: BlobStore {
    struct Unexpected: Error {}
    var sharesContentAcrossRecords: Bool { true }
    func put(_ content: Data, in record: RecordID) async throws -> StoredBlob { throw Unexpected() }
    func address(of content: Data) -> String { "" }
    func get(_ reference: BlobReference, in record: RecordID) async throws -> Data { throw Unexpected() }
}

@Suite("Notifications")
struct NotificationTests {
    static let logger = Logger(label: "carnet.tests.notifications")

    /// The door over `store`, at `clock`'s time (delivery reads no content: the blobs are never touched).
    static func service(_ store: any RecordStore, clock: @escaping @Sendable () -> Date) throws -> RecordService {
        RecordService(store: store, blobs: NoContent(), matrix: try HabilitationMatrix.bundled(), clock: clock)
    }

    /// A record whose holder has an e-mail address, and an emergency access to it (one notification).
    func withEmergency(_ engine: TestEngine, _ body: (any RecordStore, HealthRecord) async throws -> Void) async throws {
        try await engine.withStore { store async throws in
            var identity = PatientIdentity.fixture()
            identity.email = "patient@example.org"
            let record = HealthRecord(ins: .fixture(), identity: identity, createdAt: testInstant)
            _ = try await store.createRecord(record, audit: AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .agent,
                                                                       action: .createRecord, outcome: .success, rule: .agentAdministersRecord))
            for _ in 0..<3 {
                try await store.appendAudit(AuditEvent(recordID: record.id, recordedAt: testInstant,
                                                       actor: .doctor("99700000033", mode: .breakTheGlass, reason: "unconscious on arrival"),
                                                       action: .searchDocuments, resources: ["DocumentReference/\(UUID())"], outcome: .success,
                                                       rule: .breakTheGlass))
            }
            try await body(store, record)
        }
    }

    @Test("an emergency access leaves one first-access and one emergency notification, however many searches", arguments: TestEngine.available)
    func outbox(_ engine: TestEngine) async throws {
        try await withEmergency(engine) { store, record async throws in
            let entries = try await store.notifications(recordID: record.id)
            #expect(Set(entries.map(\.notification.kind)) == [.firstAccess, .emergencyAccess] && entries.count == 2)
            #expect(entries.allSatisfy { $0.status == .pending })
            #expect(entries.first { $0.notification.kind == .emergencyAccess }?.notification.message.contains("unconscious on arrival") == true)
            #expect(try await store.notificationBacklog() == 2)
        }
    }

    @Test("SMTP delivery: sent once to the patient's address; a temporary failure is retried later", arguments: TestEngine.available)
    func smtpDelivery(_ engine: TestEngine) async throws {
        guard SMTPSink.isAvailable else { return }
        try await withEmergency(engine) { store, record async throws in
            let sink = try SMTPSink(failFirst: 1)
            defer { sink.stop() }
            let sender = SMTPNotificationSender(host: "127.0.0.1", port: sink.port, from: "carnet@test.example")
            let now = testInstant.addingTimeInterval(60)
            let dispatcher = NotificationDispatcher(service: try Self.service(store, clock: { now }), sender: sender, logger: Self.logger)
            #expect(try await dispatcher.dispatchDue() == 1)  // the first message met the temporary failure
            var entries = try await store.notifications(recordID: record.id)
            #expect(entries.filter { $0.status == .sent }.count == 1 && entries.filter { $0.status == .pending && $0.attempts == 1 }.count == 1)
            #expect(try await dispatcher.dispatchDue() == 0, "the retry waits for its backoff")

            let later = now.addingTimeInterval(NotificationDispatcher.backoff(afterAttempts: 1) + 1)
            let retrying = NotificationDispatcher(service: try Self.service(store, clock: { later }), sender: sender, logger: Self.logger)
            #expect(try await retrying.dispatchDue() == 1)
            entries = try await store.notifications(recordID: record.id)
            #expect(entries.allSatisfy { $0.status == .sent })
            #expect(try await retrying.dispatchDue() == 0)

            let messages = try sink.messages()
            #expect(messages.count == 2 && messages.allSatisfy { $0.contains("X-Envelope-To: patient@example.org") })
            let bodies = messages.map { message in
                let encoded = message.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
                return String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self)
            }
            #expect(bodies.contains { $0.contains("bris de glace") && $0.contains("unconscious on arrival") }, "\(bodies)")
        }
    }

    @Test("no e-mail address: a permanent failure, not retried; an unreachable server: retried")
    func failures() async throws {
        try await TestEngine.sqlite.withStore { store async throws in
            let record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
            _ = try await store.createRecord(record, audit: AuditEvent(recordID: record.id, recordedAt: testInstant, actor: .agent,
                                                                       action: .closeRecord, outcome: .success, rule: .agentAdministersRecord))
            let unreachable = SMTPNotificationSender(host: "127.0.0.1", port: 9, from: "carnet@test.example")
            _ = try await NotificationDispatcher(service: try Self.service(store, clock: { testInstant }), sender: unreachable, logger: Self.logger).dispatchDue()
            let entry = try #require(try await store.notifications(recordID: record.id).first)
            #expect(entry.notification.kind == .recordClosed && entry.status == .failed && entry.attempts == 1, "no address: not retried")
        }
        try await withEmergency(.sqlite) { store, record async throws in
            let unreachable = SMTPNotificationSender(host: "127.0.0.1", port: 9, from: "carnet@test.example")
            _ = try await NotificationDispatcher(service: try Self.service(store, clock: { testInstant }), sender: unreachable, logger: Self.logger).dispatchDue()
            #expect(try await store.notifications(recordID: record.id).allSatisfy { $0.status == .pending && $0.attempts == 1 })
        }
    }

    @Test("the backoff doubles from 30 seconds and stops at an hour")
    func backoff() {
        #expect(NotificationDispatcher.backoff(afterAttempts: 1) == 30 && NotificationDispatcher.backoff(afterAttempts: 3) == 120)
        #expect(NotificationDispatcher.backoff(afterAttempts: 20) == 3_600)
    }
}
