public import Foundation
import CarnetJSON

/// A message owed to the patient about their record (DOMAIN.md, Traces and notifications): a new
/// professional's first access, any emergency access, a new document if they asked, the record's closure.
///
/// Derived from the audit event that records the fact, and written to the outbox in the same
/// transaction, so a notification exists exactly when its fact does. The dedupe key makes the
/// "first" of a first access and limits emergency notices to one per professional, mode and day.
public struct PatientNotification: Hashable, Sendable, Codable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case firstAccess = "first-access"
        case emergencyAccess = "emergency-access"
        case newDocument = "new-document"
        case recordClosed = "record-closed"
        /// A one-time code to sign in to the patient portal, sent on request (never triggered by an audit event).
        case signInCode = "sign-in-code"
        /// The contact changed: told to the previous address (which ``recipient`` names), so that a
        /// takeover of the contact cannot go unnoticed by the person it was taken from.
        case contactChanged = "contact-changed"
    }

    public let id: UUID
    public let recordID: RecordID
    public let kind: Kind
    public let createdAt: Date
    /// Unique per record: a second fact with the same key adds no notification.
    public let dedupeKey: String
    /// What the patient reads (French, the portal's default language); no clinical content.
    public let message: String

    public init(id: UUID = UUID(), recordID: RecordID, kind: Kind, createdAt: Date, dedupeKey: String, message: String) {
        self.id = id
        self.recordID = recordID
        self.kind = kind
        self.createdAt = createdAt
        self.dedupeKey = dedupeKey
        self.message = message
    }

    /// Where this notification goes instead of the record's current contact: the previous address of
    /// a contact change. It travels in the dedupe key (`contact-changed:<event>:<address>`), so the
    /// outbox stores it without a column of its own.
    public var recipient: String? {
        guard kind == .contactChanged else { return nil }
        let parts = dedupeKey.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 && !parts[2].isEmpty ? String(parts[2]) : nil
    }

    /// Tells `previous` that the record's contact changed (no new address, no clinical content).
    public static func contactChanged(recordID: RecordID, previous: String, at date: Date, eventID: UUID) -> PatientNotification {
        PatientNotification(recordID: recordID, kind: .contactChanged, createdAt: date,
                            dedupeKey: "contact-changed:\(eventID.lowercasedText):\(previous)",
                            message: "L'adresse de contact de votre dossier Carnet a été changée. Si vous n'êtes pas à l'origine de ce changement, "
                                + "contactez votre caisse d'Assurance Maladie.")
    }

    /// The actions that make a professional's access a consultation of the record, whose first one
    /// the patient is told of (an existence check is not one) — when it returned something the
    /// professional could see (``AuditEvent/disclosesContent``): an empty or refused one is none.
    public static let consultingActions: Set<Action> = [.readDocument, .searchDocuments, .readSummary, .readEverything, .readCareHistory]

    /// The notifications an audited fact calls for.
    ///
    /// - Parameters:
    ///   - wantsNewDocumentNotices: the patient's choice, read only for document additions.
    ///   - newDocumentVisibility: the added document's visibility, read only for document additions.
    ///     Notifications follow visibility (issue 23.8): a document not visible to the patient
    ///     (pending an announcement) or to the legal representatives (a minor's secret connection;
    ///     the notice could reach them) is announced by no notice — the patient learns of it when it
    ///     becomes visible, in "My documents". `nil`: unknown, no notice.
    public static func triggered(by event: AuditEvent, wantsNewDocumentNotices: Bool = false,
                                 newDocumentVisibility: DocumentVisibility? = nil) -> [PatientNotification] {
        guard let recordID = event.recordID, event.outcome == .success else { return [] }
        // What a professional does in a minor's secret connection is announced to no one: the record's
        // contact may be a legal representative's (CSP L1111-5).
        guard !event.secretConnection else { return [] }
        var notifications: [PatientNotification] = []
        func add(_ kind: Kind, _ key: String, _ message: String) {
            notifications.append(PatientNotification(recordID: recordID, kind: kind, createdAt: event.recordedAt, dedupeKey: key, message: message))
        }
        let isProfessional = event.actorKind == .professional || event.actorKind == .regulator
        // Only an access that returned something the actor could see is a consultation (issue 16.2).
        let consults = consultingActions.contains(event.action) && event.disclosesContent
        if isProfessional && consults {
            add(.firstAccess, "first-access:\(event.actorID)",
                "Un professionnel de santé (RPPS \(event.actorID)) a consulté votre dossier pour la première fois.")
        }
        if isProfessional && event.accessMode.isEmergency {
            let day = Self.day(event.recordedAt)
            let mode = event.accessMode == .breakTheGlass ? "en urgence (bris de glace)" : "par la régulation du Centre 15"
            add(.emergencyAccess, "emergency:\(event.actorID):\(event.accessMode.rawValue):\(day)",
                "Un professionnel de santé (RPPS \(event.actorID)) a accédé à votre dossier \(mode)"
                    + (event.emergencyReason.map { ". Motif déclaré : \($0)" } ?? "") + ".")
        }
        if event.action == .createDocument && wantsNewDocumentNotices && event.actorKind != .patient,
           let visibility = newDocumentVisibility, !visibility.invisibleToPatient, !visibility.invisibleToLegalRepresentatives {
            add(.newDocument, "new-document:\(event.id.lowercasedText)", "Un nouveau document a été ajouté à votre dossier.")
        }
        if event.action == .closeRecord {
            add(.recordClosed, "closed:\(event.id.lowercasedText)",
                "Votre dossier a été fermé. Vous pouvez le rouvrir à tout moment ; il est conservé dix ans.")
        }
        return notifications
    }

    private static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.year ?? 0)-\(parts.month ?? 0)-\(parts.day ?? 0)"
    }
}

/// Where a notification stands in the outbox.
public enum NotificationStatus: String, Sendable, Codable, CaseIterable {
    case pending, sent, failed
}
