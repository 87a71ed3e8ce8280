extension CapabilityStatement {
    /// The parameters each search reads, with their R4 types, as the CapabilityStatement declares them.
    ///
    /// Each list is its parser's cases (``DocumentSearch``, ``SubmissionSetSearch``, ``SummarySearch``,
    /// ``PatientPagedSearch``, the Patient search): a client that reads the statement (fhirclient,
    /// fhirpy, a conformance tool) may send any of them and nothing else, since every search refuses an
    /// unknown parameter. `CapabilityStatementTests` sends each declared one, and an undeclared one,
    /// through the router; `_summary` and `_total` are added to every search by ``carnet(baseURL:version:date:)``.
    static func searchParameters(of type: String) -> [SearchParam] {
        switch type {
        case "Patient":
            [SearchParam(name: "identifier", type: "token",
                         documentation: "INS as system|value, e.g. urn:oid:1.2.250.1.213.1.4.8|<INS>; the DMP existence check (TD0.2)"),
             SearchParam(name: "_id", type: "token", documentation: "record ids, comma-separated (at most 50)"),
             SearchParam(name: "_count", type: "number", documentation: "accepted: a search names its patients")]
        case "DocumentReference":
            subject + [
                token("status", "current (archived included), superseded, entered-in-error"), token("type"), token("category"),
                token("author.identifier", "the author's identifier (8+RPPS), also of a contained author"), token("facility"), token("setting"),
                token("event"), token("security-label"), token("_id", "ids, comma-separated; without a patient, each read as by id"),
                SearchParam(name: "date", type: "date", documentation: nil), SearchParam(name: "period", type: "date", documentation: nil),
                SearchParam(name: "_sort", type: "string", documentation: "date or -date"),
                SearchParam(name: "_content", type: "string",
                            documentation: "words inside the documents (text, CDA narrative, PDF text) and their metadata (title, type, author); "
                                + "French: case, accents and word endings folded; every word must be found; only documents you may see"),
                SearchParam(name: "_text", type: "string", documentation: "the same as _content"),
                token(NewSinceLastAccess.parameter,
                      "true: only documents added or replaced since your last access (a professional's last read of the record, "
                          + "the patient's previous sign-in); such entries carry the extension " + NewSinceLastAccess.url),
            ] + paging
        case "List":
            subject + [
                token("code", "submissionset only: ITI-66 finds submission sets"), token("status", "current: every stored set"),
                token("identifier", "the submission set's unique id"), token("sourceId", "the source's OID (also source-id)"),
                token("source-id", "the source's OID"), SearchParam(name: "date", type: "date", documentation: nil), token("_id"),
            ] + paging
        case "AuditEvent":
            [SearchParam(name: "patient", type: "reference", documentation: "the record's access history"),
             SearchParam(name: "entity", type: "reference", documentation: "the record, as patient"),
             SearchParam(name: "date", type: "date", documentation: nil)] + paging
        case "ExplanationOfBenefit":
            [SearchParam(name: "patient", type: "reference", documentation: "the care history of the last 24 months"),
             SearchParam(name: "service-date", type: "date", documentation: nil),
             SearchParam(name: "created", type: "date", documentation: "the same as service-date")] + paging
        case _ where SummaryResource.resourceTypes.contains(type):
            summaryParameters(of: type)
        default:
            []
        }
    }

    /// The names of ``searchParameters(of:)``: what `/openapi.json` lists for each search, so the two
    /// descriptions of the API (and schemathesis, which reads the second) cannot drift apart.
    public static func searchParameterNames(of type: String) -> [String] {
        searchParameters(of: type).map(\.name)
    }

    /// The patient of a document or submission-set search, by record id or INS.
    private static let subject = [
        SearchParam(name: "patient", type: "reference", documentation: "the record id"),
        SearchParam(name: "subject", type: "reference", documentation: "the same as patient"),
        token("patient.identifier", "the INS as system|value"),
        token("subject.identifier", "the same as patient.identifier"),
    ]

    private static let paging = [
        SearchParam(name: "_count", type: "number", documentation: "page size"),
        SearchParam(name: "_offset", type: "number", documentation: "where the page starts (next links carry it)"),
    ]

    private static func token(_ name: String, _ documentation: String? = nil) -> SearchParam {
        SearchParam(name: name, type: "token", documentation: documentation)
    }

    /// A summary type's search: ``SummarySearch/parameterNames(of:)`` with their types.
    private static func summaryParameters(of type: String) -> [SearchParam] {
        SummarySearch.parameterNames(of: type).map { name in
            switch name {
            case "patient":
                SearchParam(name: name, type: "reference", documentation: type == "Consent"
                            ? "without scope or category, the holder's view of the access decisions (patient-privacy) beside the summary's consents"
                            : nil)
            case "subject": SearchParam(name: name, type: "reference", documentation: "the same as patient")
            case "date": SearchParam(name: name, type: "date", documentation: nil)
            case "_count", "_offset": SearchParam(name: name, type: "number", documentation: name == "_count" ? "page size (every match without it)" : nil)
            case "_sort": SearchParam(name: name, type: "string", documentation: "date or -date (items without a date last)")
            case "active": token(name, "true or false")
            case "scope": token(name, "adr: advance directives; treatment: organ donation; patient-privacy: access decisions")
            case "category": token(name, "acd, organ-donation, 59284-0")
            default: token(name)
            }
        }
    }
}
