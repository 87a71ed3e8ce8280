package import CarnetService

/// The patient's summary page: the summary's sections (the patient's own items deletable), the forms
/// of the patient's section, and the upload of advance directives.
package enum PortalSummaryPage {
    /// - Parameters:
    ///   - notice: said atop the page (a refusal, or the confirmation of a change).
    ///   - problem: a refused form shown again, its message beside the field concerned.
    package static func render(_ summary: RecordService.PatientSummary, reader: PortalSummaryText.Reader, csrf: String, notice: HTML,
                               problem: PortalSummaryForms.Problem?, _ l: PortalLanguage) -> HTML {
        """
        \(notice)
        \(PortalSummaryText.sections(summary.items, directives: summary.directiveDocuments,
                                     for: reader, l, documentLink: "/portal/patient/documents/",
                                     deletable: csrf))
        <h2>\(l.t(.addToMySection))</h2>
        \(PortalSummaryForms.forms(csrf: csrf, l, problem: problem))
        \(PortalUpload.form(action: "/portal/patient/documents", csrf: csrf, l,
                            heading: l.t(.uploadMyAdvanceDirectives), preselected: "EXPPAT_3", patientSide: true))
        """
    }
}
