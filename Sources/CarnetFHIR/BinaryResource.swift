/// FHIR `Binary`: a document's content as FHIR JSON (ITI-68 with `Accept: application/fhir+json`).
public struct BinaryResource: Codable, Hashable, Sendable {
    public var resourceType = "Binary"
    public var id: String?
    public var contentType: String
    /// Base64 of the bytes.
    public var data: String?

    public init(id: String?, contentType: String, data: String?) {
        self.id = id
        self.contentType = contentType
        self.data = data
    }
}
