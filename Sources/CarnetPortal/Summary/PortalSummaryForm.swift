/// The summary page's forms as one typed body, `form` saying which (`contact`, `organ-donation`,
/// `allergy`, `blood-group`, `condition`, `medication`, `immunization`). Every field is kept as typed
/// (trimmed, `nil` when blank) rather than checked here: ``PortalSummaryForms/resource(from:patient:today:_:)``
/// says what is wrong beside the field, and a refused form is shown again with what was typed.
package struct PortalSummaryForm: Decodable, Sendable, Equatable {
    package var form: String?
    /// An emergency contact or the trusted person.
    package var given: String?, family: String?, phone: String?, role: String?
    /// The organ-donation stance (`permit` or `deny`).
    package var stance: String?
    package var substance: String?, criticality: String?
    /// The blood group (`A+` … `O-`).
    package var group: String?
    /// A condition and whether it is over (`resolved`).
    package var condition: String?, status: String?
    package var medication: String?, dosage: String?
    package var vaccine: String?, date: String?

    enum CodingKeys: String, CodingKey {
        case form, given, family, phone, role, stance, substance, criticality, group, condition, status, medication, dosage, vaccine, date
    }

    /// An empty form (nothing typed), to fill in a test or a view.
    package init(form: String? = nil) { self.form = form }

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        form = try fields.text(.form)
        given = try fields.text(.given)
        family = try fields.text(.family)
        phone = try fields.text(.phone)
        role = try fields.text(.role)
        stance = try fields.text(.stance)
        substance = try fields.text(.substance)
        criticality = try fields.text(.criticality)
        group = try fields.text(.group)
        condition = try fields.text(.condition)
        status = try fields.text(.status)
        medication = try fields.text(.medication)
        dosage = try fields.text(.dosage)
        vaccine = try fields.text(.vaccine)
        date = try fields.text(.date)
    }

    /// Whether its item is single by nature (the blood group, the organ-donation stance, the trusted
    /// person — CSP L1111-6: one at a time): a new one replaces the patient's previous one.
    package var isSingle: Bool {
        form == "blood-group" || form == "organ-donation" || (form == "contact" && role == "trusted")
    }
}

/// The second step of deleting a summary item: which item (its id and resource type, carried by the
/// confirmation page's hidden fields) and whether the deletion was confirmed.
package struct PortalSummaryDeleteForm: Decodable, Sendable {
    package var item: String?
    package var type: String?
    package var confirmed: Bool

    enum CodingKeys: String, CodingKey { case item, type, confirm }

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        item = try fields.text(.item)
        type = try fields.text(.type)
        confirmed = try fields.text(.confirm) == "yes"
    }
}
