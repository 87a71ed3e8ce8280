public import CarnetCore
public import Foundation
import CarnetJSON

/// The patient summary on demand (`Patient/$summary`) as an IPS-style FHIR `document` Bundle: a
/// `Composition` whose sections (allergies, problems, medications, immunizations, results, advance
/// directives, and the patient's contacts and wishes) point at the items the reader may see, the
/// `Patient`, and the items themselves. Built from what the service let through, never more.
public enum PatientSummaryDocument {
    /// A section: its LOINC code (Carnet's own for contacts and wishes, which IPS does not have) and the kinds it holds.
    struct Section {
        var title: String
        var system: String
        var code: String
        var display: String
        var kinds: Set<SummaryKind>
        var includesDirectiveDocuments = false
    }

    static let sectionSystem = "https://carnet.example/fhir/CodeSystem/summary-section"
    static let sections: [Section] = [
        Section(title: "Allergies et intolérances", system: "http://loinc.org", code: "48765-2", display: "Allergies and adverse reactions Document",
                kinds: [.allergy]),
        Section(title: "Antécédents et pathologies", system: "http://loinc.org", code: "11450-4", display: "Problem list - Reported", kinds: [.condition]),
        Section(title: "Traitements en cours", system: "http://loinc.org", code: "10160-0", display: "History of Medication use Narrative",
                kinds: [.medication]),
        Section(title: "Vaccinations", system: "http://loinc.org", code: "11369-6", display: "History of Immunization Narrative", kinds: [.immunization]),
        Section(title: "Résultats et mesures (dont groupe sanguin)", system: "http://loinc.org", code: "30954-2",
                display: "Relevant diagnostic tests/laboratory data Narrative", kinds: [.observation]),
        Section(title: "Directives anticipées", system: "http://loinc.org", code: "42348-3", display: "Advance directives", kinds: [.advanceDirective],
                includesDirectiveDocuments: true),
        Section(title: "Personnes à prévenir, personne de confiance, don d'organes", system: sectionSystem, code: "patient-wishes",
                display: "Contacts, trusted person and organ-donation stance", kinds: [.relatedPerson, .organDonation]),
    ]

    public static func bundle(patient: PatientResource, recordID: RecordID, items: [SummaryEntry], directiveDocuments: [DocumentEntry],
                              builtAt: Date, baseURL: String, markedNew: Set<String> = []) throws -> JSONValue {
        let patientURL = "\(baseURL)/Patient/\(recordID)"
        let compositionURL = "urn:uuid:\(UUID().lowercasedText)"
        var entries: [JSONValue] = [.null, entry(patientURL, try JSONValue(encoding: patient))]
        var sectionValues: [JSONValue] = []
        for section in sections {
            let sectionItems = items.filter { section.kinds.contains($0.kind) }
            let documents = section.includesDirectiveDocuments ? directiveDocuments : []
            var references: [JSONValue] = []
            var lines: [String] = []
            for item in sectionItems {
                let url = "\(baseURL)/\(item.kind.resourceType)/\(item.id)"
                entries.append(entry(url, SummaryResource.resource(item)))
                references.append(.object(["reference": .string(url)]))
                lines.append(describe(item))
            }
            for document in documents {
                let url = "\(baseURL)/DocumentReference/\(document.id)"
                entries.append(entry(url, try JSONValue(encoding: DocumentReferenceResource(document, baseURL: baseURL))))
                references.append(.object(["reference": .string(url)]))
                lines.append(document.title ?? "Directives anticipées")
            }
            var value: [String: JSONValue] = [
                "title": .string(section.title),
                "code": concept(section.system, section.code, section.display),
                "text": narrative(lines.isEmpty ? ["Aucun élément visible pour vous."] : lines),
            ]
            if references.isEmpty {
                value["emptyReason"] = concept("http://terminology.hl7.org/CodeSystem/list-empty-reason", "unavailable", "Unavailable")
            } else {
                value["entry"] = .array(references)
            }
            sectionValues.append(.object(value))
        }
        let composition: JSONValue = .object([
            "resourceType": .string("Composition"),
            "status": .string("final"),
            "type": concept("http://loinc.org", "60591-5", "Patient summary Document"),
            "subject": .object(["reference": .string(patientURL)]),
            "date": .string(FHIRDateTime.string(builtAt)),
            "author": .array([.object(["display": .string("Carnet, built on demand from the record")])]),
            "title": .string("Synthèse du dossier médical partagé"),
            "section": .array(sectionValues),
        ])
        entries[0] = entry(compositionURL, composition)
        // What was added or replaced since the reader's last access (NewSinceLastAccess).
        entries = entries.map { value in
            guard case .object(var fields) = value, case .string(let url)? = fields["fullUrl"], markedNew.contains(url) else { return value }
            fields["extension"] = NewSinceLastAccess.json
            return .object(fields)
        }
        return .object([
            "resourceType": .string("Bundle"),
            "identifier": .object(["system": .string("urn:ietf:rfc:3986"), "value": .string("urn:uuid:\(UUID().lowercasedText)")]),
            "type": .string("document"),
            "timestamp": .string(FHIRDateTime.string(builtAt)),
            "entry": .array(entries),
        ])
    }

    static func entry(_ fullUrl: String, _ resource: JSONValue) -> JSONValue {
        .object(["fullUrl": .string(fullUrl), "resource": resource])
    }

    static func concept(_ system: String, _ code: String, _ display: String) -> JSONValue {
        .object(["coding": .array([.object(["system": .string(system), "code": .string(code), "display": .string(display)])])])
    }

    /// A readable line for an item: its main code's display (or code), and its status.
    static func describe(_ item: SummaryEntry) -> String {
        let name = item.code.map { $0.display ?? $0.code } ?? item.kind.resourceType
        return "\(name) (\(item.status))"
    }

    static func narrative(_ lines: [String]) -> JSONValue {
        let items = lines.map { "<li>\(escape($0))</li>" }.joined()
        return .object(["status": .string("generated"), "div": .string("<div xmlns=\"http://www.w3.org/1999/xhtml\"><ul>\(items)</ul></div>")])
    }

    /// `&`, `<`, `>` and `"` as XHTML entities, in one pass: four Foundation `replacingOccurrences` made a
    /// sixth of `$summary`'s instructions (issue 20).
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
