/// The documents page's filters as a typed body: a type, a date since, an author (name or RPPS) and
/// words to search inside the documents; each `nil` when not given.
package struct PortalDocumentFilterForm: Decodable, Sendable {
    package var type: String?
    package var since: String?
    package var author: String?
    package var words: String?

    enum CodingKeys: String, CodingKey { case type, since, author, words }

    package init() {}

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        type = try fields.text(.type)
        since = try fields.text(.since)
        author = try fields.text(.author)
        words = try fields.text(.words)
    }

    /// Whether no filter was given: the page then opens on what is new since the previous sign-in.
    package var isEmpty: Bool { type == nil && since == nil && author == nil && words == nil }
}
