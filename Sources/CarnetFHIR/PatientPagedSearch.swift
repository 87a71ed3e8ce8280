public import CarnetCore

/// The search shape shared by the patient's own views (`AuditEvent`, `ExplanationOfBenefit`): one
/// patient, date conditions on one element, and paging. Unknown parameters are refused, as everywhere.
public struct PatientPagedSearch: Sendable, Equatable {
    public var patient: RecordID
    public var dates: [DateCondition] = []
    public var count = 50
    public var offset = 0

    /// - Parameters:
    ///   - resource: the resource type, for messages.
    ///   - patientNames: parameter names that name the patient (`patient`, …).
    ///   - dateNames: parameter names that carry a date condition.
    public init<Parameters: Sequence>(_ parameters: Parameters, resource: String, patientNames: Set<String> = ["patient"],
                                      dateNames: Set<String>) throws(FHIRInputError)
    where Parameters.Element == (key: Substring, value: Substring) {
        var patient: RecordID?
        for (rawName, rawValue) in parameters {
            let name = String(rawName)
            let value = String(rawValue)
            if patientNames.contains(name) {
                guard let id = RecordID(String(value.split(separator: "/").last ?? "")) else { throw FHIRInputError("'\(value)' is not a Patient id", at: name) }
                patient = id
            } else if dateNames.contains(name) {
                dates.append(try DocumentSearch.dateCondition(value, name))
            } else if name == "_count" {
                count = try Self.count(value, name)
            } else if name == "_offset" {
                offset = try Self.offset(value, name)
            } else if !DocumentSearch.formatParameters.contains(name) {
                throw FHIRInputError("search parameter '\(name)' is not supported on \(resource)", at: name, code: "not-supported")
            }
        }
        guard let patient else {
            throw FHIRInputError("a search on \(resource) must name the patient: patient=<id>", at: "patient", code: "required")
        }
        self.patient = patient
    }

    /// `_count`: a page size, capped at ``DocumentQuery/maximumCount``.
    public static func count(_ value: String, _ name: String) throws(FHIRInputError) -> Int {
        guard let count = Int(value), count >= 0 else { throw FHIRInputError("must be a non-negative number", at: name) }
        return min(count, DocumentQuery.maximumCount)
    }

    /// `_offset`: where the page starts.
    public static func offset(_ value: String, _ name: String) throws(FHIRInputError) -> Int {
        guard let offset = Int(value), offset >= 0 else { throw FHIRInputError("must be a non-negative number", at: name) }
        return offset
    }
}
