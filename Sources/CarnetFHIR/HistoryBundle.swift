/// A FHIR `Bundle` of type `history`: the versions of a resource, newest first, each with the
/// interaction that produced it.
public struct HistoryBundle<Resource: Encodable & Sendable>: Encodable, Sendable {
    public let resourceType = "Bundle"
    public let type = "history"
    public var total: Int
    public var entry: [Entry]

    public struct Entry: Encodable, Sendable {
        public var fullUrl: String
        public var resource: Resource
        public var request: Request
        public var response: Response

        public struct Request: Encodable, Sendable {
            public var method: String
            public var url: String
        }

        public struct Response: Encodable, Sendable {
            public var status: String
        }

        public init(fullUrl: String, resource: Resource, method: String, url: String, status: String) {
            self.fullUrl = fullUrl
            self.resource = resource
            request = Request(method: method, url: url)
            response = Response(status: status)
        }
    }

    public init(entries: [Entry]) {
        total = entries.count
        entry = entries
    }

    enum CodingKeys: String, CodingKey {
        case resourceType, type, total, entry
    }
}
