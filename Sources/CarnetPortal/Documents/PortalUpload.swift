package import CarnetCore
import Foundation

/// The document upload form of both portals: its metadata (type from the DMP's list, title, date) and
/// either a file (PDF, text, image, CDA) or typed text, and, for a professional, the document it may
/// replace. The route reads and checks the submission (`PortalUpload.submission` in the server).
package enum PortalUpload {
    /// What is wrong with a submitted document: a message per field (`type`, `title`, `date`, `file`),
    /// said beside it when the form is shown again.
    package struct Problems: Error {
        package var messages: [String: String] = [:]

        package init(messages: [String: String] = [:]) { self.messages = messages }
    }

    package static let acceptedTypes = "application/pdf,text/plain,image/png,image/jpeg,text/xml,application/xml"

    /// The upload form; `typed` and `problems` show a refused submission again: the values kept, each
    /// message beside its field, the field marked invalid (a file must be chosen again: no browser
    /// lets a page fill a file input).
    ///
    /// - Parameters:
    ///   - patientSide: the patient's own types (``PortalDocumentTypes/patient``) instead of the
    ///     professionals', and no visibility choices (those are the professional's: DOMAIN.md, masked
    ///     documents and "not visible to the patient").
    ///   - prefill: the document a replacement replaces: its title is offered again (issue 16).
    ///
    /// The date defaults to today (in Paris), the day a professional usually writes.
    package static func form(action: String, csrf: String, _ l: PortalLanguage, heading: String, preselected: String? = nil,
                     replaces: DocumentID? = nil, prefill: DocumentEntry? = nil, typed: PortalUploadForm? = nil, problems: Problems? = nil,
                     patientSide: Bool = false) -> HTML {
        let chosen = typed?.type ?? preselected
        // A refused form comes back as typed; a fresh one pre-filled.
        let title = typed.map { $0.title ?? "" } ?? prefill?.title
        let date = typed.map { $0.date ?? "" } ?? today()
        let checked = { (box: Bool?) -> HTML in box == true ? " checked" : "" }
        let types = (patientSide ? PortalDocumentTypes.patient : PortalDocumentTypes.common).map { code, name -> HTML in
            "<option value=\"\(code)\"\(chosen == code ? HTML.trusted(" selected") : "")>\(l.t(name))</option>"
        }
        let messages = problems?.messages ?? [:]
        func invalid(_ field: String) -> HTML { messages[field] == nil ? "" : " aria-invalid=\"true\"" }
        func message(_ field: String) -> HTML { "<div id=\"doc-\(field)-error\">\(PortalPage.notice(messages[field], error: true))</div>" }
        let visibility: HTML = patientSide ? "" : """
            <fieldset aria-describedby="doc-visibility-error"><legend>\(l.t(.visibility))</legend>
            <label><input type="checkbox" name="masked" value="yes"\(checked(typed?.masked))> \(l.t(.maskToOtherProfessionalsStillSeen))</label>
            <label><input type="checkbox" name="invisible" value="yes"\(checked(typed?.invisible))> \(l.t(.doNotShowThePatientBefore))</label>
            </fieldset>\(message("visibility"))
            """
        return """
            <form method="post" action="\(action)" enctype="multipart/form-data" class="card">\(PortalPage.csrf(csrf))
            \(replaces.map { id -> HTML in "<input type=\"hidden\" name=\"replaces\" value=\"\(id.description)\">" } ?? "")
            <input type="hidden" name="heading" value="\(heading)">
            <h2>\(heading)</h2>
            <label for="doc-type">\(l.t(.typeText))</label>
            <select id="doc-type" name="type" aria-describedby="doc-type-error"\(invalid("type"))>\(types)</select>\(message("type"))
            <label for="doc-title">\(l.t(.title))</label>
            <input type="text" id="doc-title" name="title" value="\(title)" aria-describedby="doc-title-error"\(invalid("title"))>\(message("title"))
            <label for="doc-date">\(l.t(.date))</label>
            <p class="hint" id="doc-date-hint">\(l.t(.dateOfCareOrWritingYyyy))</p>
            <input type="date" id="doc-date" name="date" value="\(date)" aria-describedby="doc-date-hint doc-date-error"\(invalid("date"))>\(message("date"))
            <label for="doc-file">\(l.t(.filePdfTextImageCda))</label>
            <input type="file" id="doc-file" name="file" accept="\(acceptedTypes)" aria-describedby="doc-file-error"\(invalid("file"))>\(message("file"))
            <label for="doc-text">\(l.t(.orTheDocumentsText))</label>\
            <textarea id="doc-text" name="text" rows="6">\(typed?.text)</textarea>
            \(visibility)
            <button type="submit">\(l.t(.addToTheRecord))</button>
            </form>
            """
    }

    /// Today in Paris as `YYYY-MM-DD`, the date field's default.
    package static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 2026, parts.month ?? 1, parts.day ?? 1)
    }

    /// The form again after a refused submission, as typed, each message beside its field; `atop` says
    /// what concerns the whole submission (a conflict with the record's content) instead of the usual
    /// "fix what is marked".
    package static func refused(action: String, csrf: String, form: PortalUploadForm, problems: Problems, back: String, heading: String,
                                patientSide: Bool, _ l: PortalLanguage, atop: String? = nil) -> HTML {
        """
        \(PortalPage.notice(atop ?? l.t(.theDocumentWasNotAddedFix), error: true))
        \(Self.form(action: action, csrf: csrf, l, heading: heading, replaces: form.replaces.flatMap(DocumentID.init),
                    typed: form, problems: problems, patientSide: patientSide))
        <p><a href="\(back)">\(l.t(.back))</a></p>
        """
    }
}
