import CarnetCore
package import CarnetFHIR
import Foundation

/// The clinical items a patient reports themselves, from the summary page: history and conditions
/// (`Condition`), current treatments (`MedicationStatement`) and vaccinations (`Immunization`). Each
/// becomes the FHIR resource the API takes, through the same checks (``SummaryResource``), and is
/// shown as recorded by the patient (the item's `recorded-by` tag), to professionals too.
package enum PortalSummaryClinicalForms {
    package static let names: Set<String> = ["condition", "medication", "immunization"]

    package static func forms(csrf: String, _ l: PortalLanguage, problem: PortalSummaryForms.Problem?) -> HTML {
        func typed(_ form: String, _ field: KeyPath<PortalSummaryForm, String?>) -> String? { problem?.form == form ? problem?.typed[keyPath: field] : nil }
        func invalid(_ id: String) -> HTML { problem?.field == id ? " aria-invalid=\"true\" aria-describedby=\"\(id)-error\"" : "" }
        func slot(_ id: String) -> HTML {
            problem?.field == id ? "<div id=\"\(id)-error\">\(PortalPage.notice(problem?.message, error: true))</div>" : ""
        }
        func atop(_ form: String) -> HTML { problem?.form == form && problem?.field == nil ? PortalPage.notice(problem?.message, error: true) : "" }
        return """
            <form method="post" action="/portal/patient/summary" class="card">
            \(PortalPage.csrf(csrf))<input type="hidden" name="form" value="condition">
            <h3>\(l.t(.addAPastOrCurrentCondition))</h3>\(atop("condition"))
            <label for="condition-text">\(l.t(.illnessOperationOrHealthProblem))</label>
            <input type="text" id="condition-text" name="condition" autocomplete="off" value="\(typed("condition", \.condition))"\(invalid("condition-text"))>\(slot("condition-text"))
            <label for="condition-status">\(l.t(.today))</label>
            <select id="condition-status" name="status"><option value="active">\(l.t(.ongoing))</option>
            <option value="resolved"\(typed("condition", \.status) == "resolved" ? HTML.trusted(" selected") : "")>\(l.t(.curedOrOverHistory))</option></select>
            <button type="submit">\(l.t(.add))</button>
            </form>
            <form method="post" action="/portal/patient/summary" class="card">
            \(PortalPage.csrf(csrf))<input type="hidden" name="form" value="medication">
            <h3>\(l.t(.addACurrentTreatment))</h3>\(atop("medication"))
            <label for="medication-name">\(l.t(.medicine))</label>
            <input type="text" id="medication-name" name="medication" autocomplete="off" value="\(typed("medication", \.medication))"\(invalid("medication-name"))>\(slot("medication-name"))
            <label for="medication-dosage">\(l.t(.howITakeItOptional))</label>
            <input type="text" id="medication-dosage" name="dosage" autocomplete="off" value="\(typed("medication", \.dosage))">
            <button type="submit">\(l.t(.add))</button>
            </form>
            <form method="post" action="/portal/patient/summary" class="card">
            \(PortalPage.csrf(csrf))<input type="hidden" name="form" value="immunization">
            <h3>\(l.t(.addAVaccination))</h3>\(atop("immunization"))
            <label for="immunization-vaccine">\(l.t(.vaccine))</label>
            <input type="text" id="immunization-vaccine" name="vaccine" autocomplete="off" value="\(typed("immunization", \.vaccine))"\(invalid("immunization-vaccine"))>\(slot("immunization-vaccine"))
            <label for="immunization-date">\(l.t(.dateOfTheVaccination))</label>
            <p class="hint" id="immunization-date-hint">\(l.t(.yyyyMmDd))</p>
            <input type="date" id="immunization-date" name="date" value="\(typed("immunization", \.date))"\(invalid("immunization-date"))>\(slot("immunization-date"))
            <button type="submit">\(l.t(.add))</button>
            </form>
            """
    }

    /// The resource type and JSON object of a clinical form; `nil` for another form.
    package static func resource(from form: PortalSummaryForm, subject: JSONValue, today: String, _ l: PortalLanguage) throws -> (String, JSONValue)? {
        switch form.form {
        case "condition":
            guard let text = form.condition else {
                throw PortalSummaryForms.FormError(message: l.t(.nameTheIllnessOperationOrHealth),
                                                   field: "condition-text")
            }
            let status = form.status == "resolved" ? "resolved" : "active"
            return ("Condition", ["resourceType": "Condition", "subject": subject, "recordedDate": .string(today), "code": ["text": .string(text)],
                                  "clinicalStatus": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": .string(status)]]]])
        case "medication":
            guard let name = form.medication else {
                throw PortalSummaryForms.FormError(message: l.t(.nameTheMedicine), field: "medication-name")
            }
            var object: [String: JSONValue] = ["resourceType": "MedicationStatement", "status": "active", "subject": subject, "dateAsserted": .string(today),
                                               "medicationCodeableConcept": ["text": .string(name)]]
            if let dosage = form.dosage { object["dosage"] = [["text": .string(dosage)]] }
            return ("MedicationStatement", .object(object))
        case "immunization":
            guard let vaccine = form.vaccine else {
                throw PortalSummaryForms.FormError(message: l.t(.nameTheVaccine), field: "immunization-vaccine")
            }
            guard let date = form.date, FHIRDateValue.day(date) != nil else {
                throw PortalSummaryForms.FormError(message: l.t(.giveTheVaccinationsDateAsYyyy),
                                                   field: "immunization-date")
            }
            return ("Immunization", ["resourceType": "Immunization", "status": "completed", "patient": subject, "vaccineCode": ["text": .string(vaccine)],
                                     "occurrenceDateTime": .string(date), "primarySource": true])
        default:
            return nil
        }
    }
}
