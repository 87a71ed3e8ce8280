package import CarnetCore
package import CarnetService

/// The validation messages the portal shows, in the page's language: the domain types say what is
/// wrong in English (for the API and logs); a French page says it in French.
package enum PortalMessages {
    package static func ins(_ error: any Error, _ l: PortalLanguage) -> String {
        guard l == .fr, let error = error as? INSError else { return "\(error)" }
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return switch error {
        case .wrongLength(let count): "l'INS compte 15 caractères (13 et une clé de 2 chiffres), \(count) saisis"
        case .invalidCharacter(let character, let position):
            "le caractère \(position) « \(character) » n'est pas permis : des chiffres seulement, et 2A ou 2B comme département"
        case .invalidSex(let digit): "le premier chiffre « \(digit) » n'est pas un code de sexe : 1 ou 2 attendu (3, 4, 7 ou 8 pour un numéro provisoire)"
        case .invalidMonth(let month): "le mois de naissance « \(month) » n'est pas valide : 01 à 12, 20 à 42, 50 ou 99 attendu"
        case .keyMismatch(let given): "la clé \(two(given)) ne correspond pas au numéro : vérifiez l'INS tel qu'il est écrit sur la carte"
        case .unknownSystem(let system): "« \(system) » n'est pas un système d'INS"
        }
    }

    package static func rpps(_ error: any Error, _ l: PortalLanguage) -> String {
        guard l == .fr, let error = error as? RPPSError else { return "\(error)" }
        return switch error {
        case .wrongLength(let count): "un RPPS compte 11 chiffres (ou 12 en identifiant national commençant par 8), \(count) saisis"
        case .notDigits(let text): "le RPPS « \(text) » ne doit contenir que des chiffres"
        }
    }

    /// ``ContentInspection``'s reasons, each known one in French.
    package static func content(_ problem: String, _ l: PortalLanguage) -> String {
        guard l == .fr else { return problem }
        let known: [(String, String)] = [
            ("is not a PDF", "n'est pas un PDF : un PDF commence par %PDF-"),
            ("is not a PNG image", "n'est pas une image PNG (signature incorrecte)"),
            ("is not a JPEG image", "n'est pas une image JPEG (signature incorrecte)"),
            ("is not valid UTF-8 text", "n'est pas un texte UTF-8 valide"),
            ("is not a JSON object", "n'est pas un objet JSON"),
            ("is JSON without a resourceType", "est du JSON sans resourceType : une ressource FHIR est attendue"),
            ("declares a document type or entities", "déclare un type de document ou des entités, ce que Carnet refuse (un CDA n'en a jamais besoin)"),
            ("is not valid UTF-8: CDA", "n'est pas en UTF-8 : un CDA est encodé en UTF-8"),
            ("declares entities", "déclare des entités, ce que Carnet refuse"),
            ("nests elements more than", "imbrique trop d'éléments"),
            ("is not well-formed XML", "n'est pas du XML bien formé"),
            ("is XML but not a CDA R2 document", "est du XML mais pas un document CDA R2 : sa racine doit être ClinicalDocument (urn:hl7-org:v3)"),
        ]
        return known.first { problem.hasPrefix($0.0) }?.1 ?? problem
    }

    /// An access rule in words, for refusals and the history (every rule, so a new one cannot be left
    /// untranslated).
    package static func rule(_ rule: AccessRule, _ l: PortalLanguage) -> String {
        guard l == .fr else { return rule.explanation }
        return switch rule {
        case .holderActsOnOwnRecord: "le patient agit sur son propre dossier"
        case .agentAdministersRecord: "un agent de l'Assurance Maladie gère le dossier à la demande du patient"
        case .professionalCreatesWithConsent: "un professionnel crée le dossier avec le consentement du patient"
        case .professionalChecksActiveRecord: "un professionnel peut vérifier qu'un dossier actif existe pour un INS"
        case .insurerFindsActiveRecord: "le flux de l'Assurance Maladie trouve les dossiers actifs pour y verser les remboursements"
        case .insurerFeedsCareHistory: "le flux de l'Assurance Maladie verse l'historique des remboursements et retire ceux de plus de 24 mois"
        case .operatorLoadsDirectory: "un exploitant charge l'annuaire public des professionnels de santé"
        case .notTheHolder: "un patient n'agit que sur son propre dossier"
        case .recordClosed: "le dossier est fermé : aucun professionnel n'y a accès tant que le patient ne l'a pas rouvert"
        case .recordDeleted: "le dossier est supprimé"
        case .emergencyModeCannotCreate: "un dossier ne se crée pas en mode d'accès d'urgence"
        case .roleNotAllowed: "ce type d'utilisateur n'a pas le droit de faire cela"
        case .professionalFeedsActiveRecord: "un professionnel ajoute un document à un dossier actif (l'alimentation ne demande pas d'autorisation)"
        case .professionalSearchesOwnOrInEmergency: "un professionnel consulte la liste des documents ; chaque document est ensuite décidé à part"
        case .authorReadsOwnDocument: "un professionnel lit un document qu'il a déposé"
        case .authorChangesOwnDocument: "un professionnel change le statut d'un document qu'il a déposé"
        case .emergencyAccess: "accès en urgence déclaré"
        case .documentNotVisibleToPatient: "ce document doit être annoncé par un professionnel avant que le patient ne le voie"
        case .documentMasked: "le document est masqué aux professionnels"
        case .noAuthorisationYet: "le patient n'a pas autorisé ce professionnel"
        case .noClinicalContent: "les agents et le flux de l'Assurance Maladie ne lisent ni n'écrivent jamais de documents médicaux"
        case .legalRepresentativeActsForMinor: "un représentant légal agit pour le mineur titulaire"
        case .professionalDeclaresConsent: "un professionnel déclare le consentement que le patient lui a donné en consultation"
        case .authorisedByPatient: "le patient a autorisé ce professionnel"
        case .careTeamMember: "un membre de l'équipe de soins du patient, sans opposition du patient"
        case .treatingPhysician: "le médecin traitant DMP du patient"
        case .breakTheGlass: "accès en urgence (bris de glace)"
        case .centre15Regulation: "régulation d'urgence du Centre 15"
        case .professionalBlocked: "le patient a bloqué ce professionnel : aucun accès, dans aucun mode"
        case .professionNotHabilitated: "cette profession n'a pas accès à ce type de document (matrice d'habilitations)"
        case .breakTheGlassOpposed: "le patient s'est opposé à l'accès en urgence (bris de glace) à son dossier"
        case .regulationOpposed: "le patient s'est opposé à l'accès de la régulation du Centre 15 à son dossier"
        case .documentsHiddenByPatient: "le patient a masqué ses documents aux professionnels"
        case .documentNotVisibleToLegalRepresentatives: "ce document n'est pas visible des représentants légaux du mineur"
        case .feedingOpposed: "le patient s'est opposé à l'alimentation de son dossier par les professionnels"
        case .patientSectionOnly: "les contacts, la personne de confiance, les directives anticipées et la position sur le don d'organes ne sont écrits que par le patient ou son représentant légal"
        case .itemRecordedByProfessional: "un professionnel a saisi cet élément : le patient ne modifie que ceux qu'il a saisis"
        case .notTheItemAuthor: "seul le professionnel qui a saisi cet élément peut le supprimer"
        case .onlyAuthorReplaces: "seul l'auteur d'un document peut le remplacer par une nouvelle version"
        case .notTheDocumentAuthor: "seul le professionnel qui a déposé un document en change le statut ou le masque"
        case .maskSetByPatient: "le patient a masqué ce document : seul le patient (ou son représentant légal) peut lever ce masquage"
        case .authorisationRevoked: "le patient a retiré l'autorisation de ce professionnel : seul le patient peut l'autoriser de nouveau"
        case .documentWithdrawn: "ce document a été retiré comme saisi par erreur : seuls le patient et son auteur le retrouvent"
        case .credentialForAnotherPatient: "le justificatif présenté (un VIHF) a été émis pour un autre patient : il n'ouvre que le dossier de ce patient"
        }
    }

    /// A control change that makes no sense as asked, said in the page's language.
    package static func accessChange(_ error: AccessChangeError, _ l: PortalLanguage) -> String {
        guard l == .fr else { return error.description }
        return switch error {
        case .notBlocked(let rpps): "le professionnel \(rpps.value) n'est pas bloqué"
        case .careTeamOpposed: "vous vous êtes opposé à l'accès de ce professionnel au titre de l'équipe de soins : seul votre consentement explicite l'autorise désormais"
        case .notARepresentative: "cette personne n'est pas représentant légal du titulaire du dossier"
        case .holderIsNotARepresentative: "le titulaire du dossier ne peut pas être son propre représentant légal"
        case .maskedAndInvisible: "un document ne peut pas être à la fois masqué aux professionnels et invisible du patient"
        case .notHiddenFromPatient: "le document est déjà visible du patient"
        }
    }
}
