package import CarnetCore
package import CarnetService
import Foundation

/// The patient's documents page: the filter form (type, date, author, words inside), what is new since
/// the previous sign-in when unfiltered, the professionals' documents apart from the patient's own
/// (issue 16.3), and the upload form. A model because the route gathers it from several searches.
package struct PortalDocumentListPage {
    /// The filters as typed, shown again in the form.
    package var type: String?
    package var since: String?
    package var author: String?
    package var words: String?
    /// Whether the since date could not be read, and why the words were refused (said beside the field).
    package var sinceInvalid = false
    package var wordsError: String?
    /// Whether no filter was given: the page then opens on what is new since the previous sign-in.
    package var unfiltered = true
    package var fresh: [DocumentEntry] = []
    package var freshTotal = 0
    package var found: [DocumentEntry] = []
    package var total = 0
    package var lastAccess = LastAccess(at: nil)
    package var holderINS = ""
    package var names = ProfessionalNames()
    package var reader: Actor
    package var csrf: String
    /// The confirmation of a change the page was redirected with.
    package var confirmation: HTML = ""

    package init(reader: Actor, csrf: String) {
        self.reader = reader
        self.csrf = csrf
    }

    package func render(_ l: PortalLanguage) -> HTML {
        let types = PortalDocumentTypes.common + PortalDocumentTypes.patient.filter { code, _ in !PortalDocumentTypes.common.contains { $0.0 == code } }
        func rows(_ entries: [DocumentEntry]) -> [HTML] {
            entries.map { entry -> HTML in
                """
                <tr><td>\(PortalPage.date(entry.date, l))</td><td><a href="/portal/patient/documents/\(entry.id.description)">\(entry.title ?? PortalDocumentTypes.label(entry.type.code, l))</a>\
                \(PortalDuplicates.note(entry, names, reader: reader, holderINS: holderINS, documentPath: "/portal/patient/documents/", l))\
                \(!unfiltered && lastAccess.isNew(entry.recordedAt) ? html(" <span class=\"tag\">\(l.t(.new))</span>") : "")</td>\
                <td>\(PortalDocumentTypes.label(entry.type.code, l))</td><td>\(PortalPeople.author(entry, names, l))</td>\
                <td>\(entry.visibility.maskedToProfessionals ? html("<span class=\"tag\">\(l.t(.maskedToProfessionals))</span>") : "")</td></tr>
                """
            }
        }
        // The patient's own documents in their own section (issue 16.3), apart from the professionals'.
        let own = found.filter { PortalDocumentTypes.addedByPatientSide($0, holderINS: holderINS, reader: reader) }
        let professionals = found.filter { !PortalDocumentTypes.addedByPatientSide($0, holderINS: holderINS, reader: reader) }
        func table(_ id: String, _ heading: String, _ entries: [DocumentEntry]) -> HTML {
            """
            <h2 id="\(id)">\(heading)</h2>
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t(.tableScrollingSideways))"><table aria-labelledby="\(id)"><thead><tr><th scope="col">\(l.t(.date))</th><th scope="col">\(l.t(.title))</th>\
            <th scope="col">\(l.t(.typeText))</th><th scope="col">\(l.t(.author))</th><th scope="col">\(l.t(.visibility))</th></tr></thead>
            <tbody>\(entries.isEmpty ? [html("<tr><td colspan=\"5\">\(l.t(.noneText))</td></tr>")] : rows(entries))</tbody></table></div>
            """
        }
        let notice: HTML = sinceInvalid ? PortalPage.notice(l.t(.theSinceDateMustBeYyyy), error: true) : ""
        return """
            \(confirmation)
            <form method="post" action="/portal/patient/documents/filter" class="card">\(PortalPage.csrf(csrf))
            <label for="type">\(l.t(.typeText))</label>
            <select id="type" name="type"><option value="">\(l.t(.allTypes))</option>\(types.map { code, name -> HTML in
                "<option value=\"\(code)\"\(type == code ? HTML.trusted(" selected") : "")>\(l.t(name))</option>" })</select>
            <label for="since">\(l.t(.since3))</label>
            <input type="date" id="since" name="since" value="\(since)">
            <label for="author">\(l.t(.authorNameOrRpps))</label>
            <input type="text" id="author" name="author" value="\(author)">
            <label for="words">\(l.t(.searchInsideTheDocuments))</label>
            <input type="search" id="words" name="words" value="\(words)" aria-describedby="words-help words-error"\
            \(wordsError == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
            <p id="words-help" class="hint">\(l.t(.theDocumentsTextPdfAndCda2))</p>
            <div id="words-error">\(PortalPage.notice(wordsError, error: true))</div>
            \(notice)
            <button type="submit" class="secondary">\(l.t(.filter))</button>
            </form>
            \(unfiltered ? newSection(l, table: table) : "")
            <p>\(total) \(l.t(.documentS))</p>
            \(table("from-professionals", l.t(.documentsFromYourHealthProfessionals), professionals))
            \(table("my-documents", l.t(.myDocumentsAddedByMe), own))
            \(PortalUpload.form(action: "/portal/patient/documents", csrf: csrf, l, heading: l.t(.addADocument),
                                patientSide: true))
            """
    }

    /// "New since your last sign-in" (issue 18); nothing on a first sign-in, when there is no baseline.
    func newSection(_ l: PortalLanguage, table: (String, String, [DocumentEntry]) -> HTML) -> HTML {
        guard let since = lastAccess.at else { return "" }
        return """
            <section class="card new-since">
            \(table("new-since", l.t(.newSinceYourLastSignIn), fresh))
            <p>\(l.t(.since3)) \(PortalPage.dateTime(since, l)) : \(freshTotal) \(l.t(.newDocumentS))</p>
            </section>
            """
    }
}
