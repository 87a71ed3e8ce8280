public import CarnetCore

/// A parsed `DocumentReference` search (MHD ITI-67): the patient it is about and the criteria.
///
/// A search must name its patient (`patient`, `patient.identifier`) or ids (`_id`); parameters Carnet
/// does not implement are refused with 400, never ignored, so a search is never silently wider.
public struct DocumentSearch: Sendable, Equatable {
    public var subject: DocumentSubjectReference?
    public var query: DocumentQuery

    /// Parameters that change the response's form only.
    static let formatParameters: Set<String> = ["_format", "_pretty"]

    public init<Parameters: Sequence>(_ parameters: Parameters, keyChecking: INS.KeyChecking) throws(FHIRInputError)
    where Parameters.Element == (key: Substring, value: Substring) {
        var query = DocumentQuery()
        var subject: DocumentSubjectReference?
        for (rawName, rawValue) in parameters {
            let name = String(rawName)
            let values = rawValue.split(separator: ",").map(String.init)  // already percent-decoded by the router
            switch name {
            case "patient", "subject", "patient.identifier", "subject.identifier":
                subject = try Self.single(subject, try Self.subject(name, values.first ?? "", keyChecking: keyChecking), name)
            case "status":
                for value in values {
                    switch value {
                    case "current": query.statuses.formUnion([.current, .archived])
                    case "superseded": query.statuses.insert(.superseded)
                    case "entered-in-error": query.statuses.insert(.enteredInError)
                    default: throw FHIRInputError("'\(value)' is not current, superseded or entered-in-error", at: name)
                    }
                }
            case "type": query.types += values
            case "category": query.categories += values
            case "author.identifier": query.authors += values
            case "facility": query.facilities += values
            case "setting": query.settings += values
            case "event": query.events += values
            case "security-label": query.securityLabels += values
            case "_id":
                for value in values {
                    guard let id = DocumentID(value) else { throw FHIRInputError("'\(value)' is not a DocumentReference id", at: name) }
                    query.ids.append(id)
                }
            case "date": query.dates.append(try Self.dateCondition(String(rawValue), name))
            case "period": query.periods.append(try Self.dateCondition(String(rawValue), name))
            case "_sort":
                switch String(rawValue) {
                case "-date": query.newestFirst = true
                case "date": query.newestFirst = false
                default: throw FHIRInputError("only date and -date are supported", at: name, code: "not-supported")
                }
            case "_content", "_text":
                // Words, not a list: a comma is punctuation here. Both search the documents' words and metadata.
                let text = String(rawValue)
                guard text.count <= Self.maximumContentLength else {
                    throw FHIRInputError("is longer than \(Self.maximumContentLength) characters: search for a few words", at: name)
                }
                guard !FrenchText.queryTerms(text).isEmpty else {
                    throw FHIRInputError("'\(text)' has no word to search for (common words such as 'le', 'de', 'et' are not searched)", at: name)
                }
                query.contentText = [query.contentText, text].compactMap { $0 }.joined(separator: " ")
            case NewSinceLastAccess.parameter:
                switch String(rawValue) {
                case "true": query.newSinceLastAccess = true
                case "false": continue
                default: throw FHIRInputError("'\(rawValue)' is not true or false", at: name)
                }
            case "_count": query.count = try PatientPagedSearch.count(String(rawValue), name)
            case "_offset": query.offset = try PatientPagedSearch.offset(String(rawValue), name)
            case _ where Self.formatParameters.contains(name):
                continue
            default:
                throw FHIRInputError("search parameter '\(name)' is not supported on DocumentReference", at: name, code: "not-supported")
            }
        }
        guard subject != nil || !query.ids.isEmpty else {
            throw FHIRInputError("a DocumentReference search must name the patient: patient=<id> or patient.identifier=<INS system>|<INS>",
                                 at: "patient", code: "required")
        }
        if subject == nil, query.contentText != nil || query.newSinceLastAccess {
            let name = query.newSinceLastAccess ? NewSinceLastAccess.parameter : "_content"
            throw FHIRInputError("searches one patient's documents: name the patient (patient=<id> or patient.identifier=<INS system>|<INS>)",
                                 at: name, code: "required")
        }
        self.subject = subject
        self.query = query
    }

    /// Longest `_content` or `_text` accepted.
    public static let maximumContentLength = 500

    /// The patient a search names: `patient=<id>` or `patient.identifier=<INS system>|<INS>`.
    public static func subject(_ name: String, _ value: String, keyChecking: INS.KeyChecking) throws(FHIRInputError) -> DocumentSubjectReference {
        if !name.hasSuffix(".identifier") {
            guard let id = RecordID(String(value.split(separator: "/").last ?? "")) else {
                throw FHIRInputError("'\(value)' is not a Patient id", at: name)
            }
            return .recordID(id)
        }
        let parts = value.split(separator: "|", maxSplits: 1)
        guard parts.count == 2 else { throw FHIRInputError("must be system|value (the INS)", at: name) }
        do {
            return .ins(try INS(String(parts[1]), system: try INSSystem(uri: String(parts[0])), keyChecking: keyChecking))
        } catch {
            throw FHIRInputError("\(error)", at: name)
        }
    }

    public static func single(_ existing: DocumentSubjectReference?, _ new: DocumentSubjectReference, _ name: String) throws(FHIRInputError) -> DocumentSubjectReference {
        if let existing, existing != new { throw FHIRInputError("a search is about one patient", at: name) }
        return new
    }

    public static func dateCondition(_ value: String, _ name: String) throws(FHIRInputError) -> DateCondition {
        var comparator = DateCondition.Comparator.eq
        var text = value
        if let prefix = DateCondition.Comparator(rawValue: String(value.prefix(2))), value.count > 2, value.prefix(2).allSatisfy(\.isLetter) {
            comparator = prefix
            text = String(value.dropFirst(2))
        }
        guard let interval = FHIRDate.interval(text) else {
            throw FHIRInputError("'\(value)' is not a date (optionally prefixed by eq, ne, ge, gt, le, lt)", at: name)
        }
        return DateCondition(comparator, lower: interval.lower, upper: interval.upper)
    }
}
