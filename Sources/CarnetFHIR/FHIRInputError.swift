/// A client sent something Carnet cannot accept: what is wrong, and the FHIRPath of where.
///
/// Becomes a 400 `OperationOutcome` with code `invalid` (or `structure` for unreadable JSON).
public struct FHIRInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var expression: String?
    public var message: String
    /// FHIR IssueType: `structure` for JSON that does not parse, `invalid` for content that breaks a rule,
    /// `required` for a missing element, `not-supported` for a search parameter we do not implement.
    public var code: String

    public init(_ message: String, at expression: String? = nil, code: String = "invalid") {
        self.message = message
        self.expression = expression
        self.code = code
    }

    public var description: String {
        expression.map { "\($0): \(message)" } ?? message
    }

    public var operationOutcome: OperationOutcome {
        OperationOutcome(code: code, diagnostics: description, expression: expression)
    }
}
