package import CarnetCore
package import CarnetService
package import Foundation

/// The records a signed-in person can switch between on the portal's home: their own and those of the
/// minors they legally represent (DOMAIN.md, Minors), each one click away. The list comes from
/// ``RecordService/representedRecords(by:)``, so the policy decided every line and each is audited.
package enum PortalRepresentedRecords {
    /// The card, or nothing for a person who represents nobody.
    ///
    /// - Parameters:
    ///   - open: the record the session has open now (marked as such instead of offering to open it).
    ///   - representing: whether that record is a minor's (then a button leads back to the person's own).
    package static func render(_ minors: [HealthRecord], open: RecordID, representing: Bool, csrf: String, _ l: PortalLanguage) -> HTML {
        guard !minors.isEmpty else { return "" }
        let own: HTML = representing
            ? """
              <li>\(l.t(.myOwnRecord)) <form method="post" action="/portal/patient/represent/self" class="inline">\
              \(PortalPage.csrf(csrf))<button type="submit" class="secondary">\(l.t(.backToMyOwnRecord))</button></form></li>
              """
            : "<li>\(l.t(.myOwnRecord)) — <strong>\(l.t(.openText))</strong></li>"
        let rows = minors.map { record -> HTML in
            let name = displayName(record.identity)
            let action: HTML = record.id == open
                ? "<strong>\(l.t(.openText))</strong>"
                : """
                  <form method="post" action="/portal/patient/represent" class="inline">\(PortalPage.csrf(csrf))\
                  <input type="hidden" name="record" value="\(record.id.description)">\
                  <button type="submit" class="secondary">\(l.t(.actFor) + name)</button></form>
                  """
            return """
                <li data-record="\(record.id.description)"><strong>\(name)</strong>, \(l.t(born(record.identity.sex), "born")) \(birthDate(record.identity.birthDate, l)) — \(action)</li>
                """
        }
        return """
            <section class="card" id="represented" aria-labelledby="represented-title">
            <h2 id="represented-title">\(l.t(.theMinorsYouRepresent))</h2>
            <ul>\(own)\(rows)</ul>
            </section>
            """
    }

    /// "Inès BERNARD": the first given name and the birth family name, as the banner says it.
    package static func displayName(_ identity: PatientIdentity) -> String {
        "\(identity.givenNames.first ?? "") \(identity.birthFamilyName)".trimmingCharacters(in: .whitespaces)
    }

    /// "née le", "né le", or "né(e) le" when the record does not say.
    package static func born(_ sex: AdministrativeSex) -> String {
        switch sex {
        case .female: "née le"
        case .male: "né le"
        case .other, .unknown: "né(e) le"
        }
    }

    /// A birth date as people write it in the page's language: 12/07/2016 in French, 2016-07-12 in
    /// English; a date without its day or month says only what is known.
    package static func birthDate(_ date: PartialDate, _ l: PortalLanguage) -> String {
        guard l == .fr else { return date.description }
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return [date.day.map(two), date.month.map(two), String(date.year)].compactMap { $0 }.joined(separator: "/")
    }
}
