package import CarnetCore

/// The document types a patient meets most, for filters and labels (DOMAIN.md's table), each named
/// by its message in the catalogue.
package enum PortalDocumentTypes {
    package static var common: [(String, PortalMessage)] { [
        ("11488-4", .typeConsultationReport),
        ("11502-2", .typeLaboratoryReport),
        ("18748-4", .typeImagingReport),
        ("34112-3", .typeHospitalStayReport),
        ("11490-0", .typeDischargeLetter),
        ("57833-6", .typePrescription),
        ("60591-5", .typePatientSummary),
        ("EXPPAT_3", .typeAdvanceDirectives),
    ] }

    /// What the patient side adds: the DMP's types of documents added by the patient (TRE_A05
    /// `DOCPAT0x`, "… déposé(e) par le patient", and `EXPPAT_x`, class 90 "Autres documents déposés par
    /// le patient"; JDV_J07, shared/reference/dmp-domain.md), so that a patient's upload lands in their
    /// own section instead of under a professional type (issue 16.3).
    package static var patient: [(String, PortalMessage)] { [
        ("DOCPAT03", .typeReport),
        ("DOCPAT05", .typeLaboratoryResults),
        ("DOCPAT04", .typeImaging),
        ("DOCPAT02", .typeTreatment),
        ("DOCPAT06", .typePrevention),
        ("DOCPAT07", .typeCertificate),
        ("DOCPAT01", .typeSummary),
        ("DOCPAT09", .typeAdministrative),
        ("EXPPAT_2", .typeOther),
        ("EXPPAT_3", .typeAdvanceDirectives),
    ] }

    /// The code system of the patient's types (TRE_A05).
    package static let patientTypeSystem = "urn:oid:1.2.250.1.213.1.1.4.12"

    /// The practice setting and facility type of what the patient adds (TRE_A00 `EXP_PATIENT`,
    /// "expression personnelle du patient").
    package static let patientSetting = Code(system: "urn:oid:1.2.250.1.213.1.1.4.6", code: "EXP_PATIENT", display: "Expression personnelle du patient")

    package static func label(_ code: String, _ l: PortalLanguage) -> String {
        (common.first { $0.0 == code } ?? patient.first { $0.0 == code }).map { l.t($0.1) } ?? PortalDocumentTypeNames.name(code, l) ?? code
    }

    /// Whether the patient side added `entry` (their own section): by its setting, or its submitter.
    package static func addedByPatientSide(_ entry: DocumentEntry, holderINS: String, reader: Actor) -> Bool {
        entry.practiceSetting?.code == patientSetting.code || entry.submitterID == holderINS || entry.submitterID == reader.identifier
    }
}
