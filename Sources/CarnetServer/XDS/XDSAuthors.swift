import CarnetCore
import Foundation

/// XDS authors (the `author` classification's slots) ↔ Carnet's ``DocumentAuthor``s.
///
/// `authorPerson` (an HL7 v2 `XCN`: `id^family^given^…^&<OID>&ISO`) is a professional, identified as
/// on the FHIR side (`urn:oid:1.2.250.1.71.4.2.1`, `8` + RPPS); each `authorInstitution` (an `XON`:
/// `name^^^^^&<OID>&ISO^…^…^id`) is an organisation. `authorRole` and `authorSpecialty` are the
/// person's ``DocumentAuthor/role`` and ``DocumentAuthor/specialty`` (the first of each), read as the
/// DMP writes them (`code^display^OID`, e.g. `G15_10/SM54^Médecin - Médecine générale (SM)^1.2.250.1.213.1.1.4.5`),
/// as ITI TF-3 codes them (CNE, `code^display^^^&OID&ISO`) or as a bare string; written the DMP's way.
enum XDSAuthors {
    /// The OID of the identifiers of structures (FINESS, SIRET: `1.2.250.1.71.4.2.2`), to tell an organisation from a person.
    static let structureOID = "1.2.250.1.71.4.2.2"

    static func read(_ classifications: [XMLElementNode]) -> [DocumentAuthor] {
        classifications.prefix(16).flatMap { classification -> [DocumentAuthor] in
            var authors: [DocumentAuthor] = []
            if let person = classification.slot("authorPerson").first, var author = self.person(person) {
                author.role = classification.slot("authorRole").first.flatMap(code)
                author.specialty = classification.slot("authorSpecialty").first.flatMap(code)
                authors.append(author)
            }
            authors += classification.slot("authorInstitution").prefix(8).compactMap(institution)
            return authors
        }
    }

    static func person(_ xcn: String) -> DocumentAuthor? {
        let parts = xcn.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        func part(_ index: Int) -> String? { index < parts.count && !parts[index].isEmpty ? parts[index] : nil }
        let name = [part(2), part(1)].compactMap { $0 }.joined(separator: " ")
        let system = parts.count > 8 ? XDSCoding.authorityOID(Substring(parts[8])).map { "urn:oid:\($0)" } : nil
        guard part(0) != nil || !name.isEmpty else { return nil }
        return DocumentAuthor(identifierSystem: part(0) == nil ? nil : system, identifierValue: part(0), display: name.isEmpty ? nil : name)
    }

    /// A role or specialty: `code^display^OID` (the DMP's), `code^display^^^&OID&ISO` (CNE), or a bare string.
    static func code(_ text: String) -> Code? {
        let parts = text.split(separator: "^", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let code = parts.first, !code.isEmpty, code.count <= 256 else { return nil }
        let display = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
        var scheme: String?
        if parts.count > 2, !parts[2].isEmpty {
            scheme = parts[2]
        } else if parts.count > 3 {
            scheme = XDSCoding.authorityOID(Substring(parts[3]))
        }
        return Code(system: XDSCoding.system(ofScheme: scheme), code: code, display: display)
    }

    /// A role or specialty as the DMP writes it: `code^display^OID`.
    static func write(_ code: Code) -> String {
        // A `^` inside a component would shift the others: none is written.
        var parts = [code.code, code.display ?? "", XDSCoding.scheme(ofSystem: code.system)].map { $0.replacingOccurrences(of: "^", with: " ") }
        while parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        return parts.joined(separator: "^")
    }

    static func institution(_ xon: String) -> DocumentAuthor? {
        let parts = xon.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        func part(_ index: Int) -> String? { index < parts.count && !parts[index].isEmpty ? parts[index] : nil }
        let system = parts.count > 5 ? XDSCoding.authorityOID(Substring(parts[5])).map { "urn:oid:\($0)" } : nil
        guard part(0) != nil || part(9) != nil else { return nil }
        return DocumentAuthor(identifierSystem: part(9) == nil ? nil : system ?? "urn:oid:\(structureOID)", identifierValue: part(9),
                              display: part(0))
    }

    static func isInstitution(_ author: DocumentAuthor) -> Bool {
        author.identifierSystem == "urn:oid:\(structureOID)" || author.reference?.hasPrefix("Organization/") == true
    }

    /// A person author as the `XCN` Carnet writes (`id^family^given^^^^^^&<OID>&ISO`): what ITI-18's
    /// `$XDSDocumentEntryAuthorPerson` is matched against.
    static func xcn(_ author: DocumentAuthor) -> String {
        let oid = XDSCoding.scheme(ofSystem: author.identifierSystem)
        let words = (author.display ?? "").split(separator: " ", maxSplits: 1).map(String.init)
        let (given, family) = words.count == 2 ? (words[0], words[1]) : ("", words.first ?? "")
        return "\(author.identifierValue ?? "")^\(family)^\(given)^^^^^^\(oid.isEmpty ? "" : "&\(oid)&ISO")"
    }

    /// The `author` classifications of an object, one per author.
    static func write(_ authors: [DocumentAuthor], scheme: String, object: String) -> String {
        authors.enumerated().map { index, author in
            let value: String
            let slot: String
            var coded = ""
            let oid = XDSCoding.scheme(ofSystem: author.identifierSystem)
            if isInstitution(author) {
                slot = "authorInstitution"
                value = "\(author.display ?? "")^^^^^\(oid.isEmpty ? "" : "&\(oid)&ISO")^^^^\(author.identifierValue ?? "")"
            } else {
                slot = "authorPerson"
                value = xcn(author)
                if let role = author.role { coded += EbRIMWriter.slot("authorRole", [write(role)]) }
                if let specialty = author.specialty { coded += EbRIMWriter.slot("authorSpecialty", [write(specialty)]) }
            }
            return "<rim:Classification id=\"\(object)-author\(index)\" classificationScheme=\"\(scheme)\" classifiedObject=\"\(object)\" "
                + "nodeRepresentation=\"\" objectType=\"\(XDSVocabulary.ObjectType.classification)\">"
                + EbRIMWriter.slot(slot, [value]) + coded + "</rim:Classification>"
        }.joined()
    }
}
