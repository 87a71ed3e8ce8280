import CarnetPortal
import CarnetCore
import CarnetFHIR
import CarnetService
import CarnetStore

/// Bad input and conflicts as a portal page says them: in the page's language, what is wrong and
/// how to fix it (ARCHITECTURE.md, invariant 5: "portal pages show the message in place").
///
/// The domain's errors describe themselves in English for the API's `OperationOutcome` and the
/// logs, in a developer's terms (FHIRPath, status codes); a person filling a form needs neither, so
/// each is written again here for both languages, and the form field it concerns is named, so the
/// page can say it beside that field.
enum PortalProblemMessages {
    /// A record change that its state or a concurrent change refused.
    static func record(_ error: RecordError, _ l: PortalLanguage) -> String {
        switch error {
        case .illegalTransition(.closed, .close):
            l.t("Ce dossier est déjà fermé : rien n'a changé. Vous pouvez le rouvrir depuis cette page.",
                "This record is already closed: nothing changed. You can reopen it from this page.")
        case .illegalTransition(.active, .reopen):
            l.t("Ce dossier est déjà ouvert : rien n'a changé.", "This record is already open: nothing changed.")
        case .illegalTransition(.deleted, _):
            l.t("Ce dossier est supprimé : l'Assurance Maladie peut le restaurer avant sa purge, à la demande du patient.",
                "This record is deleted: the health insurer can restore it before it is purged, at the patient's request.")
        case .illegalTransition:
            l.t("Cette action n'est pas possible dans l'état actuel du dossier : rechargez la page pour voir cet état.",
                "This action is not possible in the record's current state: reload the page to see that state.")
        case .notFound:
            l.t("Aucun dossier ne correspond.", "No record matches.")
        case .versionConflict:
            l.t("Le dossier a été modifié entre-temps (dans un autre onglet, ou par une autre personne) : rien n'a été enregistré. "
                    + "Vérifiez son état ci-dessous, puis recommencez si besoin.",
                "The record was changed meanwhile (in another tab, or by someone else): nothing was saved. "
                    + "Check its state below, then try again if needed.")
        }
    }

    /// A document status or visibility that does not allow what was asked.
    static func document(_ error: DocumentError, _ l: PortalLanguage) -> String {
        switch error {
        case .illegalTransition(.superseded, .replace):
            l.t("Ce document a déjà été remplacé par une version plus récente : ouvrez la version en cours depuis le dossier et remplacez-la.",
                "This document has already been replaced by a newer version: open the current version from the record and replace that one.")
        case .illegalTransition(.archived, .archive):
            l.t("Ce document est déjà archivé.", "This document is already archived.")
        case .illegalTransition(.current, .unarchive):
            l.t("Ce document n'est pas archivé.", "This document is not archived.")
        case .illegalTransition(.deleted, _):
            l.t("Ce document est supprimé : il ne peut plus être modifié.", "This document is deleted: it can no longer be changed.")
        case .illegalTransition:
            l.t("Ce document ne peut pas être modifié ainsi dans son état actuel : rechargez la page pour voir cet état.",
                "This document cannot be changed this way in its current state: reload the page to see that state.")
        case .conflictingVisibility:
            l.t("Un document ne peut pas être à la fois masqué aux professionnels et invisible du patient : choisissez l'un ou l'autre.",
                "A document cannot be both masked to professionals and hidden from the patient: choose one or the other.")
        }
    }

    /// A submitted document that collides with the record's content.
    static func documentInput(_ error: DocumentInputError, _ l: PortalLanguage) -> String {
        switch error {
        case .duplicateUniqueID, .ambiguousUniqueID:
            l.t("Ce document est déjà dans le dossier (même identifiant) : il n'a pas été ajouté une seconde fois. Pour le corriger, remplacez-le.",
                "This document is already in the record (same identifier): it was not added a second time. To correct it, replace it.")
        case .uniqueIDUnavailable:
            l.t("L'identifiant de ce document ne peut pas être utilisé : donnez-lui un identifiant qui lui soit propre.",
                "This document's identifier cannot be used: give it an identifier of its own.")
        case .duplicateSubmissionSet:
            l.t("Cet envoi a déjà été reçu : il n'a pas été enregistré une seconde fois.",
                "This submission was already received: it was not recorded a second time.")
        case .versionMismatch:
            l.t("Ce document a changé depuis que la page a été affichée : rouvrez-le et recommencez.",
                "This document changed since the page was shown: open it again and try again.")
        case .relatedDocumentNotFound:
            l.t("Le document auquel celui-ci se rapporte n'est pas dans ce dossier.",
                "The document this one relates to is not in this record.")
        case .replacedDocumentNotFound:
            l.t("Le document à remplacer n'est plus dans ce dossier : rouvrez le dossier et choisissez le document en cours.",
                "The document to replace is no longer in this record: open the record again and choose the current document.")
        }
    }

    /// A CDA file whose own header contradicts the form (issue 18): another patient's document, or another type.
    static func cdaHeader(_ error: CDAHeaderMismatch, _ l: PortalLanguage) -> String {
        switch error {
        case .patient(let document, _):
            l.t("Ce document CDA concerne un autre patient (INS \(document) dans le document) : il n'a pas été ajouté à ce dossier. Vérifiez le fichier choisi.",
                "This CDA document is about another patient (INS \(document) in the document): it was not added to this record. Check the file chosen.")
        case .type(let document, let declared):
            l.t("Le type choisi (\(declared)) ne correspond pas au type écrit dans le document CDA (\(document)) : choisissez le bon type.",
                "The type chosen (\(declared)) does not match the type written in the CDA document (\(document)): choose the right type.")
        }
    }

    /// A summary item that changed or went away since the page was shown.
    static func summaryItem(_ error: SummaryItemError, _ l: PortalLanguage) -> String {
        switch error {
        case .deleted:
            l.t("Cet élément a déjà été supprimé : rien n'a changé.", "This item has already been deleted: nothing changed.")
        case .versionMismatch:
            l.t("Cet élément a été modifié entre-temps (dans un autre onglet, ou par une autre personne) : rien n'a été enregistré. "
                    + "Vérifiez-le ci-dessous, puis enregistrez de nouveau.",
                "This item was changed meanwhile (in another tab, or by someone else): nothing was saved. Check it below, then save again.")
        case .kindChanged, .patientChanged:
            l.t("Cet élément ne peut pas devenir un autre type d'élément ni changer de dossier : ajoutez-en un nouveau.",
                "This item cannot become another kind of item or move to another record: add a new one instead.")
        }
    }

    /// Security labels a document cannot carry.
    static func label(_ error: DocumentLabelError, _ l: PortalLanguage) -> String {
        switch error {
        case .maskedAndInvisible: document(.conflictingVisibility, l)
        case .unknownVisibilityCode, .unknownConfidentiality:
            l.t("Ce niveau de visibilité ou de confidentialité n'existe pas : choisissez-en un dans la liste.",
                "This visibility or confidentiality level does not exist: choose one from the list.")
        }
    }

    /// Storage refusals a person can act on; `nil` for the internal ones (a corrupt row, a closing store).
    static func store(_ error: StoreError, _ l: PortalLanguage) -> String? {
        switch error {
        case .versionConflict: record(.versionConflict, l)
        case .duplicateDocument(let id): documentInput(.duplicateUniqueID(id), l)
        case .duplicateSubmissionSet(let id): documentInput(.duplicateSubmissionSet(id), l)
        case .unavailable: l.t("Le service est momentanément indisponible ; rien n'a été enregistré. Réessayez dans quelques secondes.",
                               "The service is unavailable for a moment; nothing was saved. Try again in a few seconds.")
        case .corruptRow, .schemaTooNew, .closed: nil
        }
    }

    /// A FHIR resource built from a form that Carnet's checks refused: the field it concerns by its
    /// label on the form, what is wrong with it, and what to do.
    static func fhirInput(_ error: FHIRInputError, _ l: PortalLanguage) -> String {
        let label = field(for: error.expression).map { l.t($0.french, $0.english) }
        let message = error.message
        let what: String
        if message.hasPrefix("is required") {
            what = l.t("est obligatoire : renseignez-le.", "is required: fill it in.")
        } else if message.hasPrefix("must be one of") || message.hasPrefix("must be coded with one of") {
            what = l.t("n'a pas une valeur permise : choisissez-en une dans la liste.", "does not have an allowed value: choose one from the list.")
        } else if message.hasPrefix("must not be empty") || message.hasPrefix("must not be an empty") {
            what = l.t("est vide : renseignez-le, ou laissez le formulaire sans lui s'il est facultatif.",
                       "is empty: fill it in, or leave it out if it is optional.")
        } else if message.hasPrefix("has the wrong type") {
            what = l.t("n'a pas le format attendu : corrigez-le.", "is not in the expected format: correct it.")
        } else if message.hasPrefix("the resource nests deeper") {
            what = l.t("est trop imbriqué pour être accepté.", "nests too deeply to be accepted.")
        } else {
            what = l.t("n'est pas accepté tel quel : corrigez-le et envoyez de nouveau le formulaire.",
                       "is not accepted as it is: correct it and send the form again.")
        }
        return (label ?? l.t("Le formulaire envoyé", "The form sent")) + " " + what
    }

    /// A message written as a clause ("le professionnel … n'est pas bloqué") as a sentence of its own.
    static func sentence(_ clause: String) -> String {
        guard let first = clause.first else { return clause }
        return first.uppercased() + clause.dropFirst() + (clause.hasSuffix(".") ? "" : ".")
    }

    /// A field of the portal's forms as a person reads its label, with the id it has on the page.
    struct Field: Equatable {
        var id: String
        var french: String
        var english: String
    }

    /// The portal form field a FHIRPath names (the summary forms and the document upload build
    /// their resources from these fields); `nil` when none does.
    static func field(for expression: String?) -> Field? {
        guard let expression else { return nil }
        let known: [(String, Field)] = [
            ("RelatedPerson.name", Field(id: "contact-family", french: "Le nom", english: "The name")),
            ("RelatedPerson.telecom", Field(id: "contact-phone", french: "Le téléphone", english: "The phone number")),
            ("RelatedPerson.relationship", Field(id: "contact-role", french: "Le rôle", english: "The role")),
            ("AllergyIntolerance.code", Field(id: "allergy-substance", french: "La substance ou le médicament", english: "The substance or medicine")),
            ("AllergyIntolerance.criticality", Field(id: "allergy-criticality", french: "La gravité", english: "The severity")),
            ("Observation.value", Field(id: "blood-group", french: "Le groupe sanguin", english: "The blood group")),
            ("Consent.provision", Field(id: "stance", french: "La réponse sur le don d'organes", english: "The answer on organ donation")),
            ("DocumentReference.type", Field(id: "doc-type", french: "Le type", english: "The type")),
            ("DocumentReference.description", Field(id: "doc-title", french: "Le titre", english: "The title")),
            ("DocumentReference.date", Field(id: "doc-date", french: "La date", english: "The date")),
            ("DocumentReference.content", Field(id: "doc-file", french: "Le fichier", english: "The file")),
            ("Binary", Field(id: "doc-file", french: "Le fichier", english: "The file")),
        ]
        return known.first { expression == $0.0 || expression.hasPrefix($0.0 + ".") || expression.hasPrefix($0.0 + "[") }?.1
            ?? known.first { expression.hasPrefix($0.0) }?.1
    }
}
