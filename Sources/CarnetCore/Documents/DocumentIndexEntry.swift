public import Foundation

/// What the access policy reads of a document: its type, who pushed it, when, and its visibility.
///
/// Both a full ``DocumentEntry`` and the few columns of a ``DocumentIndexEntry`` answer it, so a
/// search decides every candidate on those columns and decodes whole entries only for the page it returns.
public protocol DocumentAccessFacts: Sendable {
    /// Read for withdrawn documents (entered in error), which leave everyone's searches but the
    /// patient side's and their author's.
    var status: DocumentStatus { get }
    var type: Code { get }
    var submitterID: String { get }
    var recordedAt: Date { get }
    var visibility: DocumentVisibility { get }
}

extension DocumentEntry: DocumentAccessFacts {}

/// A document as a search sees it before it needs the whole entry: what the policy decides on, and
/// what the usual criteria (status, type, id, date) and the order read.
///
/// Engines keep these as plain columns beside the entry's JSON, so a record with thousands of
/// documents is searched without decoding them all.
public struct DocumentIndexEntry: DocumentAccessFacts, Hashable {
    public var id: DocumentID
    public var status: DocumentStatus
    public var date: Date
    public var type: Code
    public var submitterID: String
    public var recordedAt: Date
    public var visibility: DocumentVisibility
    /// The content's SHA-256 (its address): documents with the same are duplicates (issue 18).
    public var contentSHA256: String
    /// ``DocumentEntry/submissionKey``: duplicates are folded only across submissions.
    public var submissionKey: String

    public init(id: DocumentID, status: DocumentStatus, date: Date, type: Code, submitterID: String, recordedAt: Date,
                visibility: DocumentVisibility, contentSHA256: String = "", submissionKey: String = "") {
        self.contentSHA256 = contentSHA256
        self.submissionKey = submissionKey
        self.id = id
        self.status = status
        self.date = date
        self.type = type
        self.submitterID = submitterID
        self.recordedAt = recordedAt
        self.visibility = visibility
    }

    /// An entry's index columns; the type's display is not among them (searches match system and code).
    public init(_ entry: DocumentEntry) {
        self.init(id: entry.id, status: entry.status, date: entry.date, type: Code(system: entry.type.system, code: entry.type.code),
                  submitterID: entry.submitterID,
                  recordedAt: entry.recordedAt, visibility: entry.visibility, contentSHA256: entry.content.sha256,
                  submissionKey: entry.submissionKey)
    }
}
