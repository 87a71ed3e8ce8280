import CarnetCore
import Foundation

/// XDS authors (the `author` classification's slots) ↔ Carnet's ``DocumentAuthor``s.
///
/// `authorPerson` (an HL7 v2 `XCN`: `id^family^given^…^&<OID>&ISO`) is a professional, identified as
/// on the FHIR side (`urn:oid:1.2.250.1.71.4.2.1`, `8` + RPPS); each `authorInstitution` (an `XON`:
/// `name^^^^^&<OID>&ISO^…^…^id`) is an organisation. `authorRole` and `authorSpecialty` are not kept
/// (README, "XDS.b gateway": not done).
enum XDSAuthors {
    /// The OID of the identifiers of structures (FINESS, SIRET: `1.2.250.1.71.4.2.2`), to tell an organisation from a person.
    static let structureOID = "1.2.250.1.71.4.2.2"

    static func read(_ classifications: [XMLElementNode]) -> [DocumentAuthor] {
        classifications.prefix(16).flatMap { classification -> [DocumentAuthor] in
            var authors: [DocumentAuthor] = []
            if let person = classification.slot("authorPerson").first, let author = self.person(person) { authors.append(author) }
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

    /// The `author` classifications of an object, one per author.
    static func write(_ authors: [DocumentAuthor], scheme: String, object: String) -> String {
        authors.enumerated().map { index, author in
            let value: String
            let slot: String
            let oid = XDSCoding.scheme(ofSystem: author.identifierSystem)
            if isInstitution(author) {
                slot = "authorInstitution"
                value = "\(author.display ?? "")^^^^^\(oid.isEmpty ? "" : "&\(oid)&ISO")^^^^\(author.identifierValue ?? "")"
            } else {
                slot = "authorPerson"
                let words = (author.display ?? "").split(separator: " ", maxSplits: 1).map(String.init)
                let (given, family) = words.count == 2 ? (words[0], words[1]) : ("", words.first ?? "")
                value = "\(author.identifierValue ?? "")^\(family)^\(given)^^^^^^\(oid.isEmpty ? "" : "&\(oid)&ISO")"
            }
            return "<rim:Classification id=\"\(object)-author\(index)\" classificationScheme=\"\(scheme)\" classifiedObject=\"\(object)\" "
                + "nodeRepresentation=\"\" objectType=\"\(XDSVocabulary.ObjectType.classification)\">"
                + EbRIMWriter.slot(slot, [value]) + "</rim:Classification>"
        }.joined()
    }
}
