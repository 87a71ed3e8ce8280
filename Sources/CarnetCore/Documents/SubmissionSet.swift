public import Foundation

/// One submission (IHE XDS/MHD SubmissionSet): the documents a producer sent together, when, and
/// from which system, so a reader can see what arrived in the same act (ITI-66 finds them).
///
/// Kept whole, like the documents: the set's membership never changes after it is stored.
public struct SubmissionSet: Hashable, Sendable, Codable, Identifiable {
    public let id: SubmissionSetID
    public let recordID: RecordID
    /// The producer's unique id of the submission (XDS uniqueId); `urn:uuid:<id>` when none was sent.
    public var uniqueID: String
    /// The sending system (XDS sourceId), when it says.
    public var sourceID: String?
    public var title: String?
    public var comment: String?
    public var authors: [DocumentAuthor]
    /// What kind of submission it is (XDS contentTypeCode, MHD designationType).
    public var designationType: Code?
    /// The actor who submitted it.
    public var submitterID: String
    public var submittedAt: Date
    /// The documents it brought, in the order sent.
    public var documentIDs: [DocumentID]

    public init(id: SubmissionSetID = SubmissionSetID(), recordID: RecordID, uniqueID: String, sourceID: String? = nil, title: String? = nil,
                comment: String? = nil, authors: [DocumentAuthor] = [], designationType: Code? = nil, submitterID: String,
                submittedAt: Date, documentIDs: [DocumentID]) {
        self.id = id
        self.recordID = recordID
        self.uniqueID = uniqueID
        self.sourceID = sourceID
        self.title = title
        self.comment = comment
        self.authors = authors
        self.designationType = designationType
        self.submitterID = submitterID
        self.submittedAt = submittedAt
        self.documentIDs = documentIDs
    }
}

/// What a submitter says about its submission set, before Carnet stores it.
public struct SubmissionSetDraft: Hashable, Sendable {
    public var uniqueID: String?
    public var sourceID: String?
    public var title: String?
    public var comment: String?
    public var authors: [DocumentAuthor]
    public var designationType: Code?

    public init(uniqueID: String? = nil, sourceID: String? = nil, title: String? = nil, comment: String? = nil,
                authors: [DocumentAuthor] = [], designationType: Code? = nil) {
        self.uniqueID = uniqueID
        self.sourceID = sourceID
        self.title = title
        self.comment = comment
        self.authors = authors
        self.designationType = designationType
    }
}

/// A submission set's identifier (`List.id`).
public typealias SubmissionSetID = EntityID<SubmissionSet>

/// The criteria of a submission set search (MHD ITI-66) within one record.
public struct SubmissionSetQuery: Hashable, Sendable {
    public var ids: [SubmissionSetID] = []
    /// Unique ids (`identifier`), any of which matches.
    public var uniqueIDs: [String] = []
    public var sourceIDs: [String] = []
    /// Conditions on the submission time (`date`), all of which must hold.
    public var dates: [DateCondition] = []
    public var count = 50
    public var offset = 0

    public init() {}

    public func matches(_ set: SubmissionSet) -> Bool {
        (ids.isEmpty || ids.contains(set.id))
            && (uniqueIDs.isEmpty || uniqueIDs.contains(set.uniqueID))
            && (sourceIDs.isEmpty || set.sourceID.map(sourceIDs.contains) == true)
            && dates.allSatisfy { $0.holds(for: set.submittedAt) }
    }

    /// Filters and pages sets already sorted newest first: the page and the total before paging.
    public func apply(to sets: [SubmissionSet]) -> (page: [SubmissionSet], total: Int) {
        let matching = sets.filter(matches)
        return (Array(matching.dropFirst(offset).prefix(count)), matching.count)
    }
}
