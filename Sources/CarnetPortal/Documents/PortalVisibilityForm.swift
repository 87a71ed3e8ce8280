/// A document's visibility change as a typed body: `unmask`, or anything else to mask it.
package struct PortalVisibilityForm: Decodable, Sendable {
    package var unmask: Bool
    enum CodingKeys: String, CodingKey { case change }
    package init(from decoder: any Decoder) throws {
        unmask = try decoder.container(keyedBy: CodingKeys.self).text(.change) == "unmask"
    }
}
