/// FHIR `OperationOutcome`: how every error leaves Carnet, saying what is wrong and where.
public struct OperationOutcome: Codable, Hashable, Sendable, Error {
    public var resourceType = "OperationOutcome"
    public var issue: [Issue]

    public struct Issue: Codable, Hashable, Sendable {
        /// `fatal`, `error`, `warning` or `information`.
        public var severity: String
        /// A code from FHIR's IssueType value set (`invalid`, `not-found`, `forbidden`, `security`…).
        public var code: String
        public var diagnostics: String?
        /// FHIRPath expressions naming the faulty elements, e.g. `Patient.identifier[0].value`.
        public var expression: [String]?

        public init(severity: String = "error", code: String, diagnostics: String?, expression: [String]? = nil) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.expression = expression
        }
    }

    public init(issue: [Issue]) { self.issue = issue }

    public init(severity: String = "error", code: String, diagnostics: String, expression: String? = nil) {
        issue = [Issue(severity: severity, code: code, diagnostics: diagnostics, expression: expression.map { [$0] })]
    }
}
