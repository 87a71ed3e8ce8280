package import CarnetCore
package import CarnetService
package import Foundation

/// One document as the patient sees it: its type, date and author, its content, the mask/unmask form,
/// and — for what the patient side added, and only that — the delete button (a professional's
/// document is the record's: the patient may mask it, not delete it).
package enum PortalPatientDocumentPage {
    /// - Parameters:
    ///   - deletable: whether the patient side added the document.
    ///   - confirmation: the confirmation of a change the page was redirected with.
    package static func render(_ entry: DocumentEntry, _ data: Data, names: ProfessionalNames, deletable: Bool, csrf: String,
                               confirmation: HTML, _ l: PortalLanguage) -> HTML {
        let masked = entry.visibility.maskedToProfessionals
        let delete: HTML = deletable
            ? """
              <div class="card"><p>\(l.t(.youAddedThisDocumentYouMay))</p>
              \(PortalConfirmation.deleteButton(action: "/portal/patient/documents/\(entry.id.description)/delete", csrf: csrf, fields: [:],
                                               what: entry.title ?? l.t(.thisDocument), l))</div>
              """
            : ""
        return """
            \(confirmation)
            <p>\(PortalDocumentTypes.label(entry.type.code, l)) — \(PortalPage.date(entry.date, l)) — \(PortalPeople.author(entry, names, l))</p>
            \(PortalDocumentView.render(entry, data, contentURL: "/portal/patient/documents/\(entry.id.description)/content", l))
            <form method="post" action="/portal/patient/documents/\(entry.id.description)/visibility" class="card">
            \(PortalPage.csrf(csrf))
            <input type="hidden" name="change" value="\(masked ? "unmask" : "mask")">
            <p>\(masked ? l.t(.thisDocumentIsMaskedToProfessionals)
                        : l.t(.professionalsYouAuthorisedCanSeeThis))</p>
            <button type="submit" class="secondary">\(masked ? l.t(.unmask) : l.t(.maskToProfessionals))</button>
            </form>
            \(delete)
            """
    }

    /// Why a deletion was refused (not the patient's document, or no longer there), with the way back.
    package static func cannotDelete(_ message: String, back: String, backLabel: PortalMessage, _ l: PortalLanguage) -> HTML {
        "\(PortalPage.notice(message, error: true))<p><a href=\"\(back)\">\(l.t(backLabel))</a></p>"
    }
}
