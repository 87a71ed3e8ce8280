import CarnetCore

/// The validation messages the portal shows, in the page's language: the domain types say what is
/// wrong in English (for the API and logs); a French page says it in French.
enum PortalMessages {
    static func ins(_ error: any Error, _ l: PortalLanguage) -> String {
        guard l == .fr, let error = error as? INSError else { return "\(error)" }
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return switch error {
        case .wrongLength(let count): "l'INS compte 15 caractères (13 et une clé de 2 chiffres), \(count) saisis"
        case .invalidCharacter(let character, let position):
            "le caractère \(position) « \(character) » n'est pas permis : des chiffres seulement, et 2A ou 2B comme département"
        case .invalidSex(let digit): "le premier chiffre « \(digit) » n'est pas un code de sexe : 1 ou 2 attendu (3, 4, 7 ou 8 pour un numéro provisoire)"
        case .invalidMonth(let month): "le mois de naissance « \(month) » n'est pas valide : 01 à 12, 20 à 42, 50 ou 99 attendu"
        case .keyMismatch(let given, let expected): "la clé \(two(given)) ne correspond pas, \(two(expected)) attendue"
        case .unknownSystem(let system): "« \(system) » n'est pas un système d'INS"
        }
    }

    static func rpps(_ error: any Error, _ l: PortalLanguage) -> String {
        guard l == .fr, let error = error as? RPPSError else { return "\(error)" }
        return switch error {
        case .wrongLength(let count): "un RPPS compte 11 chiffres (ou 12 en identifiant national commençant par 8), \(count) saisis"
        case .notDigits(let text): "le RPPS « \(text) » ne doit contenir que des chiffres"
        }
    }

    /// ``ContentInspection``'s reasons, each known one in French.
    static func content(_ problem: String, _ l: PortalLanguage) -> String {
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
}
