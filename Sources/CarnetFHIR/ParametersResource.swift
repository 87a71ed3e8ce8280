/// FHIR `Parameters`: the optional input of operations such as `$close` (a `reason` string).
public struct ParametersResource: Codable, Hashable, Sendable {
    public var resourceType: String
    public var parameter: [Parameter]?

    public struct Parameter: Codable, Hashable, Sendable {
        public var name: String
        public var valueString: String?
    }

    /// The string value of parameter `name`, if given.
    public func string(_ name: String) -> String? {
        parameter?.first { $0.name == name }?.valueString
    }
}
