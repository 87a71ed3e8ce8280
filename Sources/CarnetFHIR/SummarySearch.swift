public import CarnetCore

/// A search of the summary's items of one resource type: `patient` (or `subject`), and FHIR's usual
/// `date`, `code` and status parameters (`clinical-status` on AllergyIntolerance and Condition,
/// `active` on RelatedPerson, `status` elsewhere; the code is `vaccine-code` on Immunization and
/// `relationship` on RelatedPerson); on `Consent`, `scope` and `category` choose between the
/// summary's consents and the access decisions (`patient-privacy`). `_id`, `_count` and `_offset`
/// work as on every search (fhirpy's `first()` and `get()` send `_count`). Unknown parameters are refused.
public struct SummarySearch: Sendable, Equatable {
    public var patient: RecordID
    public var query: SummaryQuery
    /// On `Consent`: whether the access decisions (scope `patient-privacy`) are asked for too.
    public var includesPrivacyConsents: Bool
    /// `_id`: the resources' ids, any of them; `nil` when not asked. An id no resource can have matches nothing.
    public var ids: Set<String>?
    /// `_count`: the page size; `nil` for every match on one page (a record's summary is short).
    public var count: Int?
    public var offset = 0
    /// `_sort=date` (oldest first) or `-date` (newest first); `nil` keeps the store's order. Items without a date come last.
    public var newestFirst: Bool?

    public init<Parameters: Sequence>(_ parameters: Parameters, resourceType: String) throws(FHIRInputError)
    where Parameters.Element == (key: Substring, value: Substring) {
        var patient: RecordID?
        var kinds = Set(SummaryKind.kinds(ofResourceType: resourceType))
        var query = SummaryQuery(kinds: kinds)
        var privacy = resourceType == "Consent"
        var ids: Set<String>?
        var count: Int?
        var offset = 0
        var newestFirst: Bool?
        let statusName = Self.statusName(resourceType)
        let codeName = Self.codeName(resourceType)
        for (rawName, rawValue) in parameters {
            let name = String(rawName)
            let value = String(rawValue)
            switch name {
            case "patient", "subject":
                guard let id = RecordID(String(value.split(separator: "/").last ?? "")) else { throw FHIRInputError("'\(value)' is not a Patient id", at: name) }
                patient = id
            case "date":
                query.dates.append(try DocumentSearch.dateCondition(value, name))
            case codeName where resourceType != "Consent":
                query.codes += try Self.tokens(value, name)
            case statusName where resourceType != "RelatedPerson":
                query.statuses.formUnion(try Self.tokens(value, name).map(\.code))
            case "active" where statusName == "active":
                // FHIR's `active` token on RelatedPerson: the item's status is `active` or `inactive`.
                for token in try Self.tokens(value, name) {
                    switch token.code {
                    case "true": query.statuses.insert("active")
                    case "false": query.statuses.insert("inactive")
                    default: throw FHIRInputError("'\(value)' is not a boolean: expected true or false", at: name)
                    }
                }
            case "scope" where resourceType == "Consent":
                let scopes = Set(try Self.tokens(value, name).map(\.code))
                privacy = privacy && scopes.contains("patient-privacy")
                if !scopes.contains("adr") { kinds.remove(.advanceDirective) }
                if !scopes.contains("treatment") { kinds.remove(.organDonation) }
            case "category" where resourceType == "Consent":
                let categories = Set(try Self.tokens(value, name).map(\.code))
                privacy = privacy && categories.contains("59284-0")
                if !categories.contains("acd") { kinds.remove(.advanceDirective) }
                if !categories.contains("organ-donation") { kinds.remove(.organDonation) }
            case "_id":
                let values = value.split(separator: ",").map(String.init)
                guard !values.isEmpty, values.allSatisfy(FHIRID.isValid) else { throw FHIRInputError("'\(value)' is not a list of FHIR ids", at: name) }
                ids = (ids ?? []).union(values)
            case "_count":
                count = try PatientPagedSearch.count(value, name)
            case "_offset":
                offset = try PatientPagedSearch.offset(value, name)
            case "_sort":
                switch value {
                case "date": newestFirst = false
                case "-date": newestFirst = true
                default: throw FHIRInputError("only date and -date are supported", at: name, code: "not-supported")
                }
            case _ where DocumentSearch.formatParameters.contains(name):
                break
            default:
                throw FHIRInputError("search parameter '\(name)' is not supported on \(resourceType)", at: name, code: "not-supported")
            }
        }
        guard let patient else {
            throw FHIRInputError("a search on \(resourceType) must name the patient: patient=<id>", at: "patient", code: "required")
        }
        query.kinds = kinds
        self.patient = patient
        self.query = query
        includesPrivacyConsents = privacy
        self.ids = ids
        self.count = count
        self.offset = offset
        self.newestFirst = newestFirst
    }

    /// `entries` in the order `_sort` asks for (stable: equal dates keep the store's order).
    public func sorted(_ entries: [SummaryEntry]) -> [SummaryEntry] {
        guard let newestFirst else { return entries }
        return entries.enumerated().sorted { a, b in
            switch (a.element.date, b.element.date) {
            case let (x?, y?) where x != y: return newestFirst ? x > y : x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// Every parameter a search of `resourceType` takes (beside `_format` and `_pretty`), for the
    /// descriptions of the API: what they list is what ``init(_:resourceType:)`` reads.
    public static func parameterNames(of resourceType: String) -> [String] {
        let specific = resourceType == "Consent" ? ["scope", "category", "status"] : [codeName(resourceType), statusName(resourceType)]
        return ["patient", "subject", "date"] + specific + ["_id", "_sort", "_count", "_offset"]
    }

    /// The parameter that carries an item's main code: FHIR's name for it on each type.
    public static func codeName(_ resourceType: String) -> String {
        switch resourceType {
        case "RelatedPerson": "relationship"
        case "Immunization": "vaccine-code"
        default: "code"
        }
    }

    /// The parameter that carries an item's status: FHIR's name for it on each type.
    public static func statusName(_ resourceType: String) -> String {
        switch resourceType {
        case "AllergyIntolerance", "Condition": "clinical-status"
        case "RelatedPerson": "active"
        default: "status"
        }
    }

    /// A token list (`code`, `system|code`, comma-separated, any of them).
    static func tokens(_ value: String, _ name: String) throws(FHIRInputError) -> [Code] {
        var codes: [Code] = []
        for token in value.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = token.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let code = String(parts.last ?? "")
            guard !code.isEmpty else { throw FHIRInputError("'\(value)' is not a token: expected code or system|code", at: name) }
            let system = parts.count == 2 && !parts[0].isEmpty ? String(parts[0]) : nil
            codes.append(Code(system: system, code: code))
        }
        return codes
    }
}
