public import CarnetCore

/// A parsed `List` search (MHD ITI-66, find submission sets): the patient and the criteria.
///
/// Only submission sets are kept as Lists, so `code` may only ask for them; as for documents, an
/// unknown parameter is refused rather than ignored.
public struct SubmissionSetSearch: Sendable, Equatable {
    public var subject: DocumentSubjectReference
    public var query: SubmissionSetQuery

    public init<Parameters: Sequence>(_ parameters: Parameters, keyChecking: INS.KeyChecking) throws(FHIRInputError)
    where Parameters.Element == (key: Substring, value: Substring) {
        var query = SubmissionSetQuery()
        var subject: DocumentSubjectReference?
        for (rawName, rawValue) in parameters {
            let name = String(rawName)
            let values = rawValue.split(separator: ",").map(String.init)
            switch name {
            case "patient", "subject", "patient.identifier", "subject.identifier":
                subject = try DocumentSearch.single(subject, try DocumentSearch.subject(name, values.first ?? "", keyChecking: keyChecking), name)
            case "code":
                for value in values where !["submissionset", "\(SubmissionSetList.listTypes)|submissionset"].contains(value) {
                    throw FHIRInputError("'\(value)' is not searchable: Carnet's Lists are submission sets (code=submissionset)", at: name,
                                         code: "not-supported")
                }
            case "status":
                // Stored submission sets are all current.
                for value in values where value != "current" { throw FHIRInputError("'\(value)' is not current", at: name) }
            case "identifier":
                query.uniqueIDs += values.map { value in value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? value }
            case "sourceId", "source-id":
                query.sourceIDs += values.map { value in value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? value }
            case "date": query.dates.append(try DocumentSearch.dateCondition(String(rawValue), name))
            case "_id":
                for value in values {
                    guard let id = SubmissionSetID(value) else { throw FHIRInputError("'\(value)' is not a List id", at: name) }
                    query.ids.append(id)
                }
            case "_count": query.count = try PatientPagedSearch.count(String(rawValue), name)
            case "_offset": query.offset = try PatientPagedSearch.offset(String(rawValue), name)
            case _ where DocumentSearch.formatParameters.contains(name):
                continue
            default:
                throw FHIRInputError("search parameter '\(name)' is not supported on List", at: name, code: "not-supported")
            }
        }
        guard let subject else {
            throw FHIRInputError("a List search must name the patient: patient=<id> or patient.identifier=<INS system>|<INS>",
                                 at: "patient", code: "required")
        }
        self.subject = subject
        self.query = query
    }
}
