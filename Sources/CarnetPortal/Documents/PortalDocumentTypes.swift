package import CarnetCore

/// The document types a patient meets most, for filters and labels (DOMAIN.md's table).
package enum PortalDocumentTypes {
    package static let common: [(String, String, String)] = [
        ("11488-4", "Compte rendu de consultation", "Consultation report"),
        ("11502-2", "Compte rendu d'examens biologiques", "Laboratory report"),
        ("18748-4", "Compte rendu d'imagerie", "Imaging report"),
        ("34112-3", "Compte rendu hospitalier", "Hospital stay report"),
        ("11490-0", "Lettre de liaison de sortie", "Discharge letter"),
        ("57833-6", "Prescription de médicaments", "Prescription"),
        ("60591-5", "Synthèse médicale", "Patient summary"),
        ("EXPPAT_3", "Directives anticipées", "Advance directives"),
    ]

    /// What the patient side adds: the DMP's types of documents added by the patient (TRE_A05
    /// `DOCPAT0x`, "… déposé(e) par le patient", and `EXPPAT_x`, class 90 "Autres documents déposés par
    /// le patient"; JDV_J07, shared/reference/dmp-domain.md), so that a patient's upload lands in their
    /// own section instead of under a professional type (issue 16.3).
    package static let patient: [(String, String, String)] = [
        ("DOCPAT03", "Compte rendu", "Report"),
        ("DOCPAT05", "Résultats d'analyses", "Laboratory results"),
        ("DOCPAT04", "Imagerie", "Imaging"),
        ("DOCPAT02", "Traitement, ordonnance ou document de soins", "Treatment, prescription or care document"),
        ("DOCPAT06", "Prévention (dépistage, bilan)", "Prevention (screening, check-up)"),
        ("DOCPAT07", "Certificat", "Certificate"),
        ("DOCPAT01", "Synthèse", "Summary"),
        ("DOCPAT09", "Document administratif", "Administrative document"),
        ("EXPPAT_2", "Autre document", "Other document"),
        ("EXPPAT_3", "Directives anticipées", "Advance directives"),
    ]

    /// The code system of the patient's types (TRE_A05).
    package static let patientTypeSystem = "urn:oid:1.2.250.1.213.1.1.4.12"

    /// The practice setting and facility type of what the patient adds (TRE_A00 `EXP_PATIENT`,
    /// "expression personnelle du patient").
    package static let patientSetting = Code(system: "urn:oid:1.2.250.1.213.1.1.4.6", code: "EXP_PATIENT", display: "Expression personnelle du patient")

    package static func label(_ code: String, _ l: PortalLanguage) -> String {
        (common.first { $0.0 == code } ?? patient.first { $0.0 == code }).map { l.t($0.1, $0.2) } ?? PortalDocumentTypeNames.french[code] ?? code
    }

    /// Whether the patient side added `entry` (their own section): by its setting, or its submitter.
    package static func addedByPatientSide(_ entry: DocumentEntry, holderINS: String, reader: Actor) -> Bool {
        entry.practiceSetting?.code == patientSetting.code || entry.submitterID == holderINS || entry.submitterID == reader.identifier
    }
}
