package import CarnetCore
package import CarnetFHIR
package import CarnetService
package import Foundation

/// The summary's items in words, section by section, read from the FHIR resources their authors sent.
package enum PortalSummaryText {
    /// Who reads the summary: the recorder of each item is said from their point of view.
    package struct Reader {
        package var actor: Actor
        /// The INS of the record's holder, to tell the holder's items from a representative's.
        package var holderINS: String
        /// The directory's entries of the professionals who recorded items, to name them.
        package var names: ProfessionalNames = .init()

        package init(actor: Actor, holderINS: String, names: ProfessionalNames = .init()) {
            self.actor = actor
            self.holderINS = holderINS
            self.names = names
        }
    }

    /// Who recorded `item`, said to `reader` (issue 16.3: a GP was shown the patient's own allergy as
    /// "saisi par vous"): "vous" only for its author; the patient side, or the professional by RPPS.
    package static func recorder(_ item: SummaryEntry, for reader: Reader, _ l: PortalLanguage) -> String {
        if item.authorID == reader.actor.identifier { return l.t(.recordedByYou) }
        if item.recordedByPatient {
            if item.authorID == reader.holderINS {
                return reader.actor.isPatientSide ? l.t(.recordedByTheRecordsHolder)
                                                  : l.t(.recordedByThePatient)
            }
            return reader.actor.isPatientSide ? l.t(.recordedByALegalRepresentative)
                                              : l.t(.recordedByThePatientsLegalRepresentative)
        }
        if let entry = reader.names[item.authorID] {
            return l.t(.recordedBy(entry.displayName, entry.practice))
        }
        return l.t(.recordedByTheHealthProfessionalRpps(item.authorID))
    }

    package static func describe(_ item: SummaryEntry, for reader: Reader, _ l: PortalLanguage) -> String {
        let resource = (try? JSONDecoder().decode(JSONValue.self, from: item.resource)) ?? .null
        let display = item.code.map { $0.display ?? $0.code } ?? resource["code"]?["text"]?.string ?? resource["medicationCodeableConcept"]?["text"]?.string
            ?? resource["vaccineCode"]?["text"]?.string
        let recorder = recorder(item, for: reader, l)
        switch item.kind {
        case .observation:
            // The blood group is named in the page's language, not by the code's (English) LOINC display.
            let display = item.code?.code == "882-1" ? l.t(.bloodGroup) : display
            let value = resource["valueCodeableConcept"].flatMap { $0["text"]?.string ?? $0["coding"]?.array?.first?["display"]?.string }
                ?? resource["valueString"]?.string ?? ""
            return "\(display ?? "") : \(value) (\(recorder))"
        case .relatedPerson:
            let name = resource["name"]?.array?.first.map { name in
                ((name["given"]?.array ?? []).compactMap(\.string) + [name["family"]?.string ?? ""]).joined(separator: " ")
            } ?? ""
            let phone = resource["telecom"]?.array?.first?["value"]?.string ?? ""
            let role = item.code?.code == "C" ? l.t(.emergencyContact) : l.t(.trustedPerson)
            return "\(name) — \(role)\(phone.isEmpty ? "" : " — \(phone)")"
        case .organDonation:
            let opposed = resource["provision"]?["type"]?.string == "deny"
            return opposed ? l.t(.iOpposeTheDonationOfMy)
                           : l.t(.iDoNotOpposeTheDonation)
        case .advanceDirective:
            let where_ = resource["sourceAttachment"]?["title"]?.string ?? resource["policyRule"]?["text"]?.string ?? ""
            return l.t(.advanceDirectivesWritten) + (where_.isEmpty ? "" : " — \(where_)")
        default:
            return "\(display ?? item.kind.resourceType) — \(item.status) (\(recorder))"
        }
    }

    package static var sectionTitles: [(Set<SummaryKind>, PortalMessage)] { [
        ([.allergy], .sectionAllergies),
        ([.condition], .sectionConditions),
        ([.medication], .sectionTreatments),
        ([.immunization], .sectionVaccinations),
        ([.observation], .sectionBloodGroup),
        ([.relatedPerson], .sectionContacts),
        ([.organDonation], .sectionOrganDonation),
        ([.advanceDirective], .typeAdvanceDirectives),
    ] }

    /// - Parameter deletable: the CSRF token of a patient's session, to offer deleting what the patient recorded.
    package static func sections(_ items: [SummaryEntry], directives: [DocumentEntry], for reader: Reader, _ l: PortalLanguage, documentLink: String,
                         deletable csrf: String? = nil) -> HTML {
        HTML.join(sectionTitles.map { kinds, title -> HTML in
            var lines = items.filter { kinds.contains($0.kind) }.map { item -> HTML in
                let text = describe(item, for: reader, l)
                guard let csrf, item.recordedByPatient else { return "<li>\(text)</li>" }
                return """
                    <li>\(text) \(PortalConfirmation.deleteButton(action: "/portal/patient/summary/delete", csrf: csrf,
                                                              fields: ["item": item.id.description, "type": item.kind.resourceType], what: text, l))</li>
                    """
            }
            if kinds.contains(.advanceDirective) {
                lines += directives.map { document -> HTML in
                    "<li><a href=\"\(documentLink)\(document.id.description)\">\(document.title ?? l.t(.advanceDirectivesDocument))</a></li>"
                }
            }
            let none: HTML = "<li>\(l.t(.nothingRecorded))</li>"
            return "<section class=\"card\"><h2>\(l.t(title))</h2><ul>\(lines.isEmpty ? [none] : lines)</ul></section>"
        })
    }
}

/// The patient's own section as forms, turned into FHIR resources that go through the same checks
/// as the API's (``SummaryResource``). JSON is built with an encoder, never by pasting text.
package enum PortalSummaryForms {
    /// What is wrong with a submitted form, and the id of the field it concerns (`nil`: the form as a whole).
    package struct FormError: Error {
        package var message: String
        package var field: String? = nil

        package init(message: String, field: String? = nil) {
            self.message = message
            self.field = field
        }
    }

    /// A refused submission shown again: which form, the field concerned, the message, the values typed.
    package struct Problem {
        package var form: String
        package var field: String?
        package var message: String
        package var typed: PortalSummaryForm

        package init(form: String, field: String?, message: String, typed: PortalSummaryForm) {
            self.form = form
            self.field = field
            self.message = message
            self.typed = typed
        }
    }

    package static let trustedPersonSystem = "https://carnet.example/fhir/CodeSystem/related-person-role"

    /// The forms of the patient's section; `problem` is said beside its field (or atop its form), the
    /// field marked invalid, and the text typed in that form kept.
    package static func forms(csrf: String, _ l: PortalLanguage, problem: Problem? = nil) -> HTML {
        func typed(_ form: String, _ field: KeyPath<PortalSummaryForm, String?>) -> String? { problem?.form == form ? problem?.typed[keyPath: field] : nil }
        func invalid(_ id: String) -> HTML {
            problem?.field == id ? " aria-invalid=\"true\" aria-describedby=\"\(id)-error\"" : ""
        }
        func slot(_ id: String) -> HTML {
            problem?.field == id ? "<div id=\"\(id)-error\">\(PortalPage.notice(problem?.message, error: true))</div>" : ""
        }
        func atop(_ form: String) -> HTML {
            problem?.form == form && problem?.field == nil ? PortalPage.notice(problem?.message, error: true) : ""
        }
        return """
        <form method="post" action="/portal/patient/summary" class="card">
        \(PortalPage.csrf(csrf))<input type="hidden" name="form" value="contact">
        <h3>\(l.t(.addAnEmergencyContactOrTrusted))</h3>\(atop("contact"))
        <label for="contact-given">\(l.t(.givenName))</label><input type="text" id="contact-given" name="given" autocomplete="off" value="\(typed("contact", \.given))"\(invalid("contact-given"))>\(slot("contact-given"))
        <label for="contact-family">\(l.t(.familyName))</label><input type="text" id="contact-family" name="family" autocomplete="off" value="\(typed("contact", \.family))"\(invalid("contact-family"))>\(slot("contact-family"))
        <label for="contact-phone">\(l.t(.phone))</label><input type="text" id="contact-phone" name="phone" inputmode="tel" autocomplete="off" value="\(typed("contact", \.phone))"\(invalid("contact-phone"))>\(slot("contact-phone"))
        <label for="contact-role">\(l.t(.role))</label>
        <select id="contact-role" name="role"\(invalid("contact-role"))><option value="emergency">\(l.t(.emergencyContact2))</option>
        <option value="trusted"\(typed("contact", \.role) == "trusted" ? HTML.trusted(" selected") : "")>\(l.t(.trustedPerson2))</option></select>\(slot("contact-role"))
        <button type="submit">\(l.t(.add))</button>
        </form>
        <form method="post" action="/portal/patient/summary" class="card">
        \(PortalPage.csrf(csrf))<input type="hidden" name="form" value="organ-donation">\(atop("organ-donation"))
        <fieldset id="stance"\(invalid("stance"))><legend>\(l.t(.organDonation))</legend>
        <label><input type="radio" name="stance" value="permit"> \(l.t(.iDoNotOpposeTheDonation))</label>
        <label><input type="radio" name="stance" value="deny"> \(l.t(.iOpposeTheDonationOfMy))</label>
        </fieldset>\(slot("stance"))
        <button type="submit">\(l.t(.save))</button>
        </form>
        <form method="post" action="/portal/patient/summary" class="card">
        \(PortalPage.csrf(csrf))<input type="hidden" name="form" value="allergy">
        <h3>\(l.t(.reportAnAllergy))</h3>\(atop("allergy"))
        <label for="allergy-substance">\(l.t(.substanceOrMedicine))</label>
        <input type="text" id="allergy-substance" name="substance" autocomplete="off" value="\(typed("allergy", \.substance))"\(invalid("allergy-substance"))>\(slot("allergy-substance"))
        <label for="allergy-criticality">\(l.t(.severity))</label>
        <select id="allergy-criticality" name="criticality"\(invalid("allergy-criticality"))><option value="low">\(l.t(.low))</option>
        <option value="high">\(l.t(.high))</option><option value="unable-to-assess">\(l.t(.iDontKnow))</option></select>\(slot("allergy-criticality"))
        <button type="submit">\(l.t(.add))</button>
        </form>
        <form method="post" action="/portal/patient/summary" class="card">
        \(PortalPage.csrf(csrf))<input type="hidden" name="form" value="blood-group">\(atop("blood-group"))
        <label for="blood-group">\(l.t(.bloodGroup))</label>
        <select id="blood-group" name="group"\(invalid("blood-group"))>\(["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"].map { group -> HTML in
            "<option value=\"\(group)\">\(group)</option>" })</select>\(slot("blood-group"))
        <button type="submit">\(l.t(.save))</button>
        </form>
        \(PortalSummaryClinicalForms.forms(csrf: csrf, l, problem: problem))
        """
    }

    /// The FHIR resource a submitted form stands for: its type and the resource, built as a `JSONValue`
    /// (the type the FHIR side reads and serves summary items as) and checked by `SummaryResource` like the API's.
    /// - Parameter today: the service's "now", the date a self-reported item is recorded on.
    package static func resource(from form: PortalSummaryForm, patient: RecordID, today now: Date, _ l: PortalLanguage) throws -> (String, JSONValue) {
        let subject: JSONValue = ["reference": .string("Patient/\(patient)")]
        let today = ISO8601DateFormatter.string(from: now, timeZone: .gmt, formatOptions: [.withFullDate])
        let object: JSONValue
        let type: String
        switch form.form {
        case "contact":
            guard let family = form.family else {
                throw FormError(message: l.t(.giveAtLeastThePersonsFamily), field: "contact-family")
            }
            guard let phone = form.phone, phone.filter(\.isNumber).count >= 6 else {
                throw FormError(message: l.t(.giveAPhoneNumberAtLeast), field: "contact-phone")
            }
            let relationship: JSONValue = form.role == "trusted"
                ? ["coding": [["system": .string(trustedPersonSystem), "code": "personne-de-confiance", "display": "Personne de confiance"]]]
                : ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C", "display": "Emergency Contact"]]]
            var name: [String: JSONValue] = ["family": .string(family)]
            if let given = form.given { name["given"] = [.string(given)] }
            type = "RelatedPerson"
            object = ["resourceType": .string(type), "patient": subject, "relationship": [relationship], "name": [.object(name)],
                      "telecom": [["system": "phone", "value": .string(phone)]]]
        case "organ-donation":
            guard let stance = form.stance, ["permit", "deny"].contains(stance) else {
                throw FormError(message: l.t(.chooseOneOfTheTwoAnswers), field: "stance")
            }
            type = "Consent"
            object = ["resourceType": .string(type), "status": "active", "patient": subject, "dateTime": .string(today),
                      "scope": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"]]],
                      "category": [["coding": [["system": .string(SummaryResource.consentCategorySystem), "code": "organ-donation", "display": "Don d'organes"]]]],
                      "policyRule": ["text": "Registre national des refus (CSP L1232-1)"], "provision": ["type": .string(stance)]]
        case "allergy":
            guard let substance = form.substance else {
                throw FormError(message: l.t(.nameTheSubstanceOrMedicineInvolved), field: "allergy-substance")
            }
            let criticality = ["low", "high", "unable-to-assess"].contains(form.criticality ?? "") ? form.criticality ?? "low" : "low"
            type = "AllergyIntolerance"
            object = ["resourceType": .string(type), "patient": subject, "recordedDate": .string(today), "criticality": .string(criticality),
                      "code": ["text": .string(substance)],
                      "clinicalStatus": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"]]]]
        case "blood-group":
            guard let group = form.group, ["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"].contains(group) else {
                throw FormError(message: l.t(.chooseABloodGroupFromThe), field: "blood-group")
            }
            type = "Observation"
            object = ["resourceType": .string(type), "status": "final", "subject": subject, "effectiveDateTime": .string(today),
                      "code": ["coding": [["system": "http://loinc.org", "code": "882-1", "display": "ABO and Rh group [Type] in Blood"]]],
                      "valueCodeableConcept": ["text": .string(group)]]
        default:
            guard let (clinicalType, clinical) = try PortalSummaryClinicalForms.resource(from: form, subject: subject, today: today, l) else {
                throw FormError(message: l.t(.unknownForm))
            }
            type = clinicalType
            object = clinical
        }
        return (type, object)
    }
}
