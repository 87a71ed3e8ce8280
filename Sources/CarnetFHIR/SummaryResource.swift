public import CarnetCore
public import Foundation

/// The structured summary's items as FHIR R4 resources (`AllergyIntolerance`, `Condition`,
/// `MedicationStatement`, `Immunization`, `Observation`, `RelatedPerson`, `Consent`).
///
/// Carnet keeps each resource as its author sent it — it is the author's clinical statement — after
/// checking what the service relies on: the type, the patient reference, the elements FHIR requires
/// and the codes it binds. It owns `id` and `meta`, and says who recorded each version with the
/// ``recordedByExtension`` and a ``recordedByTagSystem`` tag (`patient` or `professional`).
public enum SummaryResource {
    public static let recordedByExtension = "https://carnet.example/fhir/StructureDefinition/recorded-by"
    public static let recordedByTagSystem = "https://carnet.example/fhir/CodeSystem/recorded-by"
    /// Category of the organ-donation `Consent` (no standard code says it).
    public static let consentCategorySystem = "https://carnet.example/fhir/CodeSystem/consent-category"
    /// Where an INS is an identifier (INS-NIR), for items recorded by the patient side.
    static let insSystem = "urn:oid:1.2.250.1.213.1.4.8"
    static let loinc = "http://loinc.org"
    static let bloodGroupCode = "882-1"
    /// JSON nested deeper than this is refused before it is read.
    static let maximumDepth = 32

    /// The resource types that carry summary items.
    public static let resourceTypes = Array(Set(SummaryKind.allCases.map(\.resourceType))).sorted()

    // MARK: - Input

    /// Reads an item sent as a `resourceType` resource; `id` is the item's id for an update (the body's
    /// `id` must be it), `nil` for a create (the body's `id`, if any, is ignored).
    public static func item(from data: Data, resourceType: String, id: SummaryEntryID? = nil) throws(FHIRInputError) -> SummaryItem {
        let value = try FHIRJSON.decode(JSONValue.self, from: data, resourceName: resourceType)
        guard value.depth <= maximumDepth else { throw FHIRInputError("the resource nests deeper than \(maximumDepth) levels", code: "structure") }
        guard var object = value.object else { throw FHIRInputError("the body must be a JSON object", code: "structure") }
        try checkFHIRJSON(value, at: resourceType)
        guard object["resourceType"]?.string == resourceType else {
            throw FHIRInputError("must be '\(resourceType)' at this endpoint", at: "\(resourceType).resourceType", code: "invalid")
        }
        // On create an id is ignored: the server assigns it (R4 http.html#create, "the server SHALL
        // ignore it"). On update the body names the resource it replaces, the URL's (http.html#update).
        if let id {
            guard let bodyID = object["id"] else {
                throw FHIRInputError("is required on update: the id in the URL (\(id))", at: "\(resourceType).id", code: "required")
            }
            guard bodyID.string == id.description else {
                throw FHIRInputError("must be the id in the URL (\(id))", at: "\(resourceType).id")
            }
        }
        object["id"] = nil
        object["meta"] = nil
        object["resourceType"] = nil
        object["extension"] = object["extension"]?.array.map { extensions in
            .array(extensions.filter { $0["url"]?.string != recordedByExtension })
        }
        if object["extension"]?.array?.isEmpty == true { object["extension"] = nil }

        let reader = Reader(object: object, type: resourceType)
        let kind = try reader.kind()
        let recordID = try reader.patient(kind)
        let status = try reader.status(kind)
        let code = try reader.mainCode(kind)
        let date = try reader.date(kind)
        let resource: Data
        do {
            resource = try FHIRJSON.encode(JSONValue.object(object))
        } catch {
            throw FHIRInputError("the resource could not be re-encoded", code: "structure")
        }
        return SummaryItem(kind: kind, recordID: recordID, status: status, code: code, date: date, resource: resource)
    }

    /// FHIR JSON has no nulls, no empty strings, arrays or objects (FHIR R4 §2.6.2).
    static func checkFHIRJSON(_ value: JSONValue, at path: String) throws(FHIRInputError) {
        switch value {
        case .null: throw FHIRInputError("must not be null: leave the element out", at: path)
        case .string(let text) where text.isEmpty: throw FHIRInputError("must not be empty: leave the element out", at: path)
        case .array(let values):
            if values.isEmpty { throw FHIRInputError("must not be an empty array: leave the element out", at: path) }
            for (index, element) in values.enumerated() { try checkFHIRJSON(element, at: "\(path)[\(index)]") }
        case .object(let members):
            if members.isEmpty { throw FHIRInputError("must not be an empty object: leave the element out", at: path) }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) { try checkFHIRJSON(member, at: "\(path).\(key)") }
        default: break
        }
    }

    // MARK: - Output

    /// The item as its FHIR resource: the author's content with Carnet's `id`, `meta` and recorder.
    public static func resource(_ entry: SummaryEntry) -> JSONValue {
        var object = (try? JSONValue(parsing: entry.resource))?.object ?? [:]
        object["resourceType"] = .string(entry.kind.resourceType)
        object["id"] = .string(entry.id.description)
        let recorder = entry.recordedByPatient ? "patient" : "professional"
        object["meta"] = .object([
            "versionId": .string(String(entry.version)),
            "lastUpdated": .string(FHIRDateTime.string(entry.recordedAt)),
            "tag": .array([.object(["system": .string(recordedByTagSystem), "code": .string(recorder)])]),
        ])
        let identifier: JSONValue = entry.recordedByPatient
            ? .object(["system": .string(insSystem), "value": .string(entry.authorID)])
            : .object(["system": .string(AccessOperationInput.professionalSystem), "value": .string("8\(entry.authorID)")])
        let recordedBy: JSONValue = .object(["url": .string(recordedByExtension), "valueReference": .object([
            "type": .string(entry.recordedByPatient ? "Patient" : "Practitioner"), "identifier": identifier,
        ])])
        object["extension"] = .array((object["extension"]?.array ?? []) + [recordedBy])
        return .object(object)
    }
}

/// Reads the elements the service relies on, each error naming its FHIRPath.
private struct Reader {
    let object: [String: JSONValue]
    let type: String

    func kind() throws(FHIRInputError) -> SummaryKind {
        let kinds = SummaryKind.kinds(ofResourceType: type)
        guard kinds.count > 1 else {
            guard let kind = kinds.first else { throw FHIRInputError("\(type) is not part of the summary", code: "not-supported") }
            return kind
        }
        // Consent: advance directives by scope `adr`, organ donation by Carnet's category (scope `treatment`).
        guard object["scope"] != nil else { throw FHIRInputError("is required", at: "Consent.scope", code: "required") }
        if codes(object["scope"]).contains(where: { $0.code == "adr" }) { return .advanceDirective }
        let categories = (object["category"]?.array ?? []).flatMap(codes)
        if categories.contains(where: { $0.system == SummaryResource.consentCategorySystem && $0.code == "organ-donation" }) { return .organDonation }
        throw FHIRInputError("""
            a Consent in the summary is either advance directives (scope \
            http://terminology.hl7.org/CodeSystem/consentscope#adr) or the organ-donation stance (category \
            \(SummaryResource.consentCategorySystem)#organ-donation); access decisions are changed with the Patient $ operations
            """, at: "Consent.scope")
    }

    func patient(_ kind: SummaryKind) throws(FHIRInputError) -> RecordID {
        let element = ["Condition", "MedicationStatement", "Observation"].contains(type) ? "subject" : "patient"
        let path = "\(type).\(element)"
        guard let reference = object[element]?["reference"]?.string else {
            throw FHIRInputError("is required: the patient as a Reference (\"reference\": \"Patient/<id>\")", at: path, code: "required")
        }
        let parts = reference.split(separator: "/")
        guard parts.count >= 2, parts[parts.count - 2] == "Patient", let id = RecordID(String(parts[parts.count - 1])) else {
            throw FHIRInputError("'\(reference)' is not a reference to a Patient of this server (Patient/<id>)", at: "\(path).reference")
        }
        return id
    }

    func status(_ kind: SummaryKind) throws(FHIRInputError) -> String {
        switch kind {
        case .allergy:
            return try coded("clinicalStatus", allowed: ["active", "inactive", "resolved"]) ?? "unknown"
        case .condition:
            return try coded("clinicalStatus", allowed: ["active", "recurrence", "relapse", "inactive", "remission", "resolved"]) ?? "unknown"
        case .medication:
            return try required("status", allowed: ["active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"])
        case .immunization:
            return try required("status", allowed: ["completed", "entered-in-error", "not-done"])
        case .observation:
            return try required("status", allowed: ["registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"])
        case .relatedPerson:
            switch object["active"] {
            case nil, .bool(true): return "active"
            case .bool(false): return "inactive"
            default: throw FHIRInputError("has the wrong type: expected a boolean", at: "RelatedPerson.active")
            }
        case .advanceDirective, .organDonation:
            return try required("status", allowed: ["draft", "proposed", "active", "rejected", "inactive", "entered-in-error"])
        }
    }

    func mainCode(_ kind: SummaryKind) throws(FHIRInputError) -> Code? {
        switch kind {
        case .allergy:
            try checkAllowed("criticality", ["low", "high", "unable-to-assess"])
            try checkAllowed("type", ["allergy", "intolerance"])
            return codes(object["code"]).first
        case .condition:
            return codes(object["code"]).first
        case .medication:
            guard object["medicationCodeableConcept"] != nil || object["medicationReference"] != nil else {
                throw FHIRInputError("is required: the medicine, as medicationCodeableConcept or medicationReference",
                                     at: "MedicationStatement.medication[x]", code: "required")
            }
            return codes(object["medicationCodeableConcept"]).first
        case .immunization:
            guard object["vaccineCode"] != nil else { throw FHIRInputError("is required: the vaccine", at: "Immunization.vaccineCode", code: "required") }
            guard object["occurrenceDateTime"] != nil || object["occurrenceString"] != nil else {
                throw FHIRInputError("is required: when the vaccine was given, as occurrenceDateTime or occurrenceString",
                                     at: "Immunization.occurrence[x]", code: "required")
            }
            return codes(object["vaccineCode"]).first
        case .observation:
            guard let code = object["code"] else { throw FHIRInputError("is required: what was observed", at: "Observation.code", code: "required") }
            let first = codes(code).first
            if codes(code).contains(where: { $0.system == SummaryResource.loinc && $0.code == SummaryResource.bloodGroupCode }),
               object["valueCodeableConcept"] == nil && object["valueString"] == nil {
                throw FHIRInputError("is required for a blood group (LOINC 882-1): the ABO and Rh group as valueCodeableConcept",
                                     at: "Observation.value[x]", code: "required")
            }
            return first
        case .relatedPerson:
            guard let first = (object["relationship"]?.array ?? []).flatMap(codes).first else {
                throw FHIRInputError("""
                    is required: a coded relationship says whether this is an emergency contact \
                    (http://terminology.hl7.org/CodeSystem/v2-0131#C) or the trusted person
                    """, at: "RelatedPerson.relationship", code: "required")
            }
            return first
        case .advanceDirective, .organDonation:
            guard object["category"] != nil else { throw FHIRInputError("is required", at: "Consent.category", code: "required") }
            return codes(object["scope"]).first
        }
    }

    func date(_ kind: SummaryKind) throws(FHIRInputError) -> Date? {
        let candidates: [[String]] = switch kind {
        case .allergy: [["onsetDateTime"], ["recordedDate"], ["lastOccurrence"]]
        case .condition: [["onsetDateTime"], ["recordedDate"]]
        case .medication: [["effectiveDateTime"], ["effectivePeriod", "start"], ["dateAsserted"]]
        case .immunization: [["occurrenceDateTime"], ["recorded"]]
        case .observation: [["effectiveDateTime"], ["effectivePeriod", "start"], ["effectiveInstant"], ["issued"]]
        case .relatedPerson: [["period", "start"]]
        case .advanceDirective, .organDonation: [["dateTime"]]
        }
        var found: Date?
        for path in candidates {
            var value: JSONValue? = .object(object)
            for key in path { value = value?[key] }
            guard let value else { continue }
            let expression = ([type] + path).joined(separator: ".")
            guard let text = value.string else { throw FHIRInputError("has the wrong type: expected a date as a string", at: expression) }
            let date = try FHIRDate.instant(text, at: expression)
            found = found ?? date
        }
        return found
    }

    // MARK: Steps

    func codes(_ concept: JSONValue?) -> [Code] {
        (concept?["coding"]?.array ?? []).compactMap { coding in
            coding["code"]?.string.map { Code(system: coding["system"]?.string, code: $0, display: coding["display"]?.string) }
        }
    }

    func coded(_ element: String, allowed: Set<String>) throws(FHIRInputError) -> String? {
        guard let concept = object[element] else { return nil }
        guard let code = codes(concept).first?.code, allowed.contains(code) else {
            throw FHIRInputError("must be coded with one of \(allowed.sorted().joined(separator: ", "))", at: "\(type).\(element)")
        }
        return code
    }

    func required(_ element: String, allowed: Set<String>) throws(FHIRInputError) -> String {
        guard let value = object[element] else { throw FHIRInputError("is required", at: "\(type).\(element)", code: "required") }
        guard let code = value.string, allowed.contains(code) else {
            throw FHIRInputError("must be one of \(allowed.sorted().joined(separator: ", "))", at: "\(type).\(element)")
        }
        return code
    }

    func checkAllowed(_ element: String, _ allowed: Set<String>) throws(FHIRInputError) {
        guard let value = object[element] else { return }
        guard let code = value.string, allowed.contains(code) else {
            throw FHIRInputError("must be one of \(allowed.sorted().joined(separator: ", "))", at: "\(type).\(element)")
        }
    }
}
