package import CarnetCore

/// A patient's administrative identity in words, for the professional's identity check (issue 16:
/// the page said "née" to everyone): the sex as the record states it, in the page's language.
package enum PortalIdentityText {
    package static func sex(_ sex: AdministrativeSex, _ l: PortalLanguage) -> String {
        switch sex {
        case .female: l.t(.female)
        case .male: l.t(.male)
        case .other: l.t(.other)
        case .unknown: l.t(.sexNotStated)
        }
    }
}
