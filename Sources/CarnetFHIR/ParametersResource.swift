/// FHIR `Parameters`: the optional input of operations such as `$close` (a `reason` string).
public struct ParametersResource: Codable, Hashable, Sendable {
    public var resourceType: String
    public var parameter: [Parameter]?

    public struct Parameter: Codable, Hashable, Sendable {
        public var name: String
        public var valueString: String?
        public var valueCode: String?
        public var valueBoolean: Bool?
        public var valueIdentifier: Identifier?
        /// Nested parts, as FHIRPath Patch operations use them (`type`, `path`, `value`).
        public var part: [Parameter]?

        func value(_ name: String) -> String? {
            part?.first { $0.name == name }.flatMap { $0.valueCode ?? $0.valueString }
        }
    }

    /// The parameter called `name`, with its position for error paths.
    public func named(_ name: String) -> (index: Int, parameter: Parameter)? {
        parameter?.enumerated().first { $0.element.name == name }.map { ($0.offset, $0.element) }
    }

    /// The string value of parameter `name`, if given.
    public func string(_ name: String) -> String? {
        parameter?.first { $0.name == name }?.valueString
    }

    /// Whether this is a FHIRPath Patch whose only operation sets `DocumentReference.status` to `status`
    /// (PDSm TD2.1's way of superseding the replaced document).
    public func setsDocumentStatus(to status: String) -> Bool {
        guard let operations = parameter, operations.count == 1, let operation = operations.first, operation.name == "operation" else {
            return false
        }
        return operation.value("type") == "replace" && operation.value("path") == "DocumentReference.status" && operation.value("value") == status
    }
}
