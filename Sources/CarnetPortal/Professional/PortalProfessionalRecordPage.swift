package import CarnetCore
package import CarnetService
package import Foundation

/// The record a professional opened: who, its documents — what is new since their last visit first,
/// then the rest, or what a search inside them found — its summary, and the upload form (in normal
/// mode only: an emergency reads, it does not add).
package enum PortalProfessionalRecordPage {
    /// - Parameters:
    ///   - mayAdd: whether the professional reads in normal mode, and so may add a document.
    ///   - words: the words searched inside the documents, as typed.
    package static func render(_ documents: PortalRecordDocuments, summary: RecordService.PatientSummary, names: ProfessionalNames, reader: Actor,
                               words: String?, mayAdd: Bool, csrf: String, confirmation: HTML, _ l: PortalLanguage) -> HTML {
        let identity = summary.record.identity
        let name = "\(identity.givenNames.first ?? "") \(identity.birthFamilyName)"
        return """
            \(confirmation)
            <p>\(name) — \(PortalIdentityText.sex(identity.sex, l)), \(l.t(PortalRepresentedRecords.born(identity.sex), "born")) \
            \(PortalRepresentedRecords.birthDate(identity.birthDate, l))</p>
            \(PortalRecordDocuments.searchForm(action: "/portal/pro/patient/search", csrf: csrf, words: words,
                                                error: documents.wordsError, l))
            \(documents.render(names: names, link: "/portal/pro/documents/", visitWord: .visit, reader: reader,
                               holderINS: summary.record.ins.value, l))
            <h2>\(l.t(.summary))</h2>
            \(PortalSummaryText.sections(summary.items, directives: summary.directiveDocuments,
                                         for: .init(actor: reader, holderINS: summary.record.ins.value, names: names), l,
                                         documentLink: "/portal/pro/documents/"))
            \(mayAdd
                ? PortalUpload.form(action: "/portal/pro/upload", csrf: csrf, l, heading: l.t(.addADocument)) : "")
            """
    }

    /// One document of the opened record: its type, date, author and content, a warning when the
    /// patient cannot see it yet, and — for its own author in normal mode — the form that replaces it.
    package static func document(_ entry: DocumentEntry, _ data: Data, names: ProfessionalNames, mayReplace: Bool, csrf: String,
                                 _ l: PortalLanguage) -> HTML {
        let warning: HTML = entry.visibility.invisibleToPatient
            ? PortalPage.notice(l.t(.thePatientCannotSeeThisDocument))
            : ""
        return """
            \(warning)
            <p>\(PortalDocumentTypes.label(entry.type.code, l)) — \(PortalPage.date(entry.date, l)) — \(PortalPeople.author(entry, names, l))</p>
            \(PortalDocumentView.render(entry, data, contentURL: "/portal/pro/documents/\(entry.id.description)/content", l))
            <p><a href="/portal/pro/patient">\(l.t(.backToTheRecord))</a></p>
            \(mayReplace
                ? PortalUpload.form(action: "/portal/pro/upload", csrf: csrf, l, heading: l.t(.replaceThisDocument),
                                    preselected: entry.type.code, replaces: entry.id, prefill: entry) : "")
            """
    }
}
