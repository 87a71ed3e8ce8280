/// A FHIR `Bundle` of type `searchset`: the answer to every search.
public struct SearchBundle<Resource: Encodable & Sendable>: Encodable, Sendable {
    public let resourceType = "Bundle"
    public let type = "searchset"
    public var total: Int
    public var link: [Link]
    public var entry: [Entry]?

    public struct Link: Encodable, Sendable {
        public var relation: String
        public var url: String
    }

    public struct Entry: Encodable, Sendable {
        /// Carnet's marks on the entry (``NewSinceLastAccess``), absent when none.
        public var `extension`: [Extension]?
        public var fullUrl: String
        public var resource: Resource
        public var search: Search

        public struct Search: Encodable, Sendable {
            public var mode: String
        }
    }

    /// - Parameters:
    ///   - selfURL: the search as understood, for the `self` link.
    ///   - entries: each resource with its absolute URL (one page).
    ///   - total: the number of matches over all pages; the entries' count when there is one page.
    ///   - nextURL: the next page, if there is one.
    ///   - markedNew: the `fullUrl`s of the entries new since the reader's last access, marked with
    ///     ``NewSinceLastAccess/extension``.
    public init(selfURL: String, entries: [(fullUrl: String, resource: Resource)], total: Int? = nil, nextURL: String? = nil,
                markedNew: Set<String> = []) {
        self.total = total ?? entries.count
        link = [Link(relation: "self", url: selfURL)] + (nextURL.map { [Link(relation: "next", url: $0)] } ?? [])
        // FHIR JSON never holds an empty array: no matches, no `entry`.
        entry = entries.isEmpty ? nil : entries.map {
            Entry(extension: markedNew.contains($0.fullUrl) ? [NewSinceLastAccess.extension] : nil, fullUrl: $0.fullUrl,
                  resource: $0.resource, search: .init(mode: "match"))
        }
    }

    enum CodingKeys: String, CodingKey {
        case resourceType, type, total, link, entry
    }
}
