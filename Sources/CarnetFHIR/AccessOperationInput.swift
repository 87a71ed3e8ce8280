public import CarnetCore

/// The inputs of the patient's control operations (`$authorize`, `$block`, `$emergency-access`,
/// `$legal-representative`…), read from a `Parameters` body with errors naming the parameter.
public struct AccessOperationInput: Sendable {
    public let parameters: ParametersResource?

    /// The national professional identifier system (`8` + RPPS).
    public static let professionalSystem = "urn:oid:1.2.250.1.71.4.2.1"

    public init(_ parameters: ParametersResource?) throws(FHIRInputError) {
        if let parameters, parameters.resourceType != "Parameters" {
            throw FHIRInputError("is '\(parameters.resourceType)', expected 'Parameters'", at: "resourceType")
        }
        self.parameters = parameters
    }

    /// The `professional` parameter (Identifier, system `urn:oid:1.2.250.1.71.4.2.1`, value `8` + RPPS), if given.
    public func professional() throws(FHIRInputError) -> RPPS? {
        guard let (index, parameter) = parameters?.named("professional") else { return nil }
        let path = "Parameters.parameter[\(index)].valueIdentifier"
        guard let identifier = parameter.valueIdentifier else {
            throw FHIRInputError("is required: the professional as an Identifier (system \(Self.professionalSystem), value 8 + RPPS)", at: path,
                                 code: "required")
        }
        guard identifier.system == Self.professionalSystem else {
            throw FHIRInputError("'\(identifier.system ?? "")' is not the professional identifier system: expected \(Self.professionalSystem)",
                                 at: "\(path).system")
        }
        let value = identifier.value ?? ""
        guard value.count == 12, value.hasPrefix("8") else {
            throw FHIRInputError("'\(value)' is not a national professional id: expected 8 followed by the 11-digit RPPS", at: "\(path).value")
        }
        do {
            return try RPPS(String(value.dropFirst()))
        } catch {
            throw FHIRInputError(error.description, at: "\(path).value")
        }
    }

    /// The `professional` parameter, required.
    public func requiredProfessional() throws(FHIRInputError) -> RPPS {
        guard let rpps = try professional() else {
            throw FHIRInputError("is required: parameter 'professional' (Identifier, system \(Self.professionalSystem), value 8 + RPPS)",
                                 at: "Parameters.parameter", code: "required")
        }
        return rpps
    }

    /// A boolean parameter, if given.
    public func boolean(_ name: String) throws(FHIRInputError) -> Bool? {
        guard let (index, parameter) = parameters?.named(name) else { return nil }
        guard let value = parameter.valueBoolean else {
            throw FHIRInputError("must be a valueBoolean", at: "Parameters.parameter[\(index)].valueBoolean", code: "required")
        }
        return value
    }

    /// The `patient` parameter of `$legal-representative`: an INS as an Identifier.
    public func representative(keyChecking: INS.KeyChecking) throws(FHIRInputError) -> INS {
        guard let (index, parameter) = parameters?.named("patient") else {
            throw FHIRInputError("is required: parameter 'patient' (the representative's INS as an Identifier)", at: "Parameters.parameter",
                                 code: "required")
        }
        let path = "Parameters.parameter[\(index)].valueIdentifier"
        guard let identifier = parameter.valueIdentifier, let value = identifier.value else {
            throw FHIRInputError("is required: the representative's INS (system and value)", at: path, code: "required")
        }
        do {
            return try INS(value, system: try INSSystem(uri: identifier.system ?? ""), keyChecking: keyChecking)
        } catch {
            throw FHIRInputError("\(error)", at: path)
        }
    }

    /// The `action` parameter of `$legal-representative`: `add` or `remove`.
    public func representativeAction() throws(FHIRInputError) -> Bool {
        guard let (index, parameter) = parameters?.named("action") else {
            throw FHIRInputError("is required: parameter 'action' (add or remove)", at: "Parameters.parameter", code: "required")
        }
        switch parameter.valueCode ?? parameter.valueString {
        case "add": return true
        case "remove": return false
        case let other: throw FHIRInputError("'\(other ?? "")' is not add or remove", at: "Parameters.parameter[\(index)].valueCode")
        }
    }
}
