import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// Which audited facts owe the patient a notification (DOMAIN.md, Traces and notifications).
@Suite("Patient notifications")
struct PatientNotificationTests {
    static let record = RecordID()

    /// - Parameter resources: what the access returned; by default a document, so that a read is a consultation.
    static func event(_ actor: Actor, _ action: Action, _ outcome: AuditEvent.Outcome = .success, record: RecordID? = record,
                      resources: [String] = ["DocumentReference/\(UUID())"]) -> AuditEvent {
        AuditEvent(recordID: record, recordedAt: testInstant, actor: actor, action: action, resources: resources, outcome: outcome, rule: nil)
    }

    @Test("facts and the notifications they call for", arguments: [
        (event(.doctor(), .searchDocuments), false, [PatientNotification.Kind.firstAccess]),
        (event(.doctor(), .readDocument), false, [.firstAccess]),
        (event(.doctor(), .readSummary), false, [.firstAccess]),
        (event(.doctor(), .readEverything), false, [.firstAccess]),
        (event(.doctor(), .readCareHistory), false, [.firstAccess]),
        (event(.doctor(), .writeSummary), false, []),
        (event(.patient(.fixture()), .readSummary), false, []),
        (event(.doctor(mode: .breakTheGlass, reason: "coma"), .readDocument), false, [.firstAccess, .emergencyAccess]),
        (event(.regulator(), .searchDocuments), false, [.firstAccess, .emergencyAccess]),
        (event(.doctor(), .searchDocuments, .denied), false, []),
        // Issue 16.2: an access that returned nothing the professional could see is no consultation.
        (event(.doctor(), .searchDocuments, resources: []), false, []),
        (event(.doctor(), .readSummary, resources: ["Patient/\(record)"]), false, []),
        (event(.doctor(), .readCareHistory, resources: ["Patient/\(record)"]), false, []),
        (event(.doctor(mode: .breakTheGlass, reason: "coma"), .searchDocuments, resources: []), false, [.emergencyAccess]),
        (event(.doctor(), .searchDocuments, record: nil), false, []),
        (event(.doctor(), .createDocument), false, []),
        (event(.doctor(), .createDocument), true, [.newDocument]),
        (event(.patient(.fixture()), .createDocument), true, []),
        (event(.patient(.fixture()), .readDocument), false, []),
        (event(.agent, .closeRecord), false, [.recordClosed]),
        (event(.patient(.fixture()), .closeRecord), false, [.recordClosed]),
        (event(.patient(.fixture()), .manageAccess), false, []),
    ])
    func triggers(_ event: AuditEvent, _ wantsNewDocuments: Bool, _ kinds: [PatientNotification.Kind]) {
        #expect(PatientNotification.triggered(by: event, wantsNewDocumentNotices: wantsNewDocuments,
                                              newDocumentVisibility: DocumentVisibility()).map(\.kind) == kinds)
    }

    @Test("no new-document notice for a document the patient side may not see (issue 23.8)", arguments: [
        (DocumentVisibility(invisibleToPatient: true), false),
        (DocumentVisibility(invisibleToLegalRepresentatives: true), false),
        (DocumentVisibility(maskedToProfessionals: true), true),
        (DocumentVisibility(), true),
    ])
    func newDocumentNoticesFollowVisibility(_ visibility: DocumentVisibility, _ notified: Bool) {
        let notices = PatientNotification.triggered(by: Self.event(.doctor(), .createDocument), wantsNewDocumentNotices: true,
                                                    newDocumentVisibility: visibility)
        #expect(notices.map(\.kind) == (notified ? [.newDocument] : []))
        #expect(PatientNotification.triggered(by: Self.event(.doctor(), .createDocument), wantsNewDocumentNotices: true).isEmpty,
                "an unknown visibility announces nothing")
    }

    @Test("first access is keyed by professional, emergency by professional, mode and day")
    func dedupeKeys() {
        let first = PatientNotification.triggered(by: Self.event(.doctor(mode: .breakTheGlass, reason: "coma"), .readDocument))
        let again = PatientNotification.triggered(by: Self.event(.doctor(mode: .breakTheGlass, reason: "other"), .searchDocuments))
        #expect(first.map(\.dedupeKey) == again.map(\.dedupeKey))
        let nextDay = AuditEvent(recordID: Self.record, recordedAt: testInstant.addingTimeInterval(86_400), actor: .doctor(mode: .breakTheGlass, reason: "x"),
                                 action: .readDocument, outcome: .success, rule: nil)
        #expect(PatientNotification.triggered(by: nextDay).last?.dedupeKey != first.last?.dedupeKey)
    }

    @Test("a contact change goes to the previous address, carried in its dedupe key; other notifications go to the record's contact")
    func contactChangeRecipient() {
        let record = RecordID()
        let told = PatientNotification.contactChanged(recordID: record, previous: "anne@example.org", at: testInstant, eventID: UUID())
        #expect(told.kind == .contactChanged && told.recipient == "anne@example.org")
        #expect(!told.message.contains("@"), "the message names no address")
        let code = PatientNotification(recordID: record, kind: .signInCode, createdAt: testInstant, dedupeKey: "sign-in:x:y@z.org", message: "")
        #expect(code.recipient == nil)
    }
}
