package import CarnetCore

/// A patient's administrative identity in words, for the professional's identity check (issue 16:
/// the page said "née" to everyone): the sex as the record states it, in the page's language.
package enum PortalIdentityText {
    package static func sex(_ sex: AdministrativeSex, _ l: PortalLanguage) -> String {
        switch sex {
        case .female: l.t("femme", "female")
        case .male: l.t("homme", "male")
        case .other: l.t("autre", "other")
        case .unknown: l.t("sexe non renseigné", "sex not stated")
        }
    }
}
