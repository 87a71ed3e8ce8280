package import CarnetCore
package import CarnetService

/// Professionals as people (issue 16, "people, not numbers"): a name, a profession and a town from the
/// national directory wherever a page would show an RPPS, the number alone only when the directory
/// does not know them — so the same doctor reads the same everywhere.
package enum PortalPeople {
    /// "Dr Alice LEMOINE" with "Médecin (médecine générale) — Lyon · RPPS …" beside it, or "RPPS …".
    package static func professional(_ rpps: String, _ names: ProfessionalNames, _ l: PortalLanguage) -> HTML {
        guard let entry = names[rpps] else { return "RPPS \(rpps)" }
        return "<span class=\"person\">\(entry.displayName)</span> <span class=\"hint\">\(entry.practice) · RPPS \(rpps)</span>"
    }

    /// The same in plain text (a sentence, an option, an attribute).
    package static func name(_ rpps: String, _ names: ProfessionalNames) -> String {
        guard let entry = names[rpps] else { return "RPPS \(rpps)" }
        return "\(entry.displayName) (\(entry.practice))"
    }

    /// A document's author as the reader should see them: the professional the directory names (by the
    /// author's national id, else the submitter's RPPS), else the name the document carries, else the
    /// submitter's identifier.
    package static func author(_ entry: DocumentEntry, _ names: ProfessionalNames, _ l: PortalLanguage) -> HTML {
        if let rpps = authorRPPS(entry), names[rpps] != nil { return professional(rpps, names, l) }
        if let display = entry.authors.first?.display, !display.isEmpty { return "\(display)" }
        if let rpps = authorRPPS(entry) { return "RPPS \(rpps)" }
        return "\(entry.submitterID)"
    }

    /// The RPPS a document's first author (or its submitter) is known by, if it is one.
    package static func authorRPPS(_ entry: DocumentEntry) -> String? {
        if let value = entry.authors.first?.identifierValue, let rpps = try? RPPS(value) { return rpps.value }
        return (try? RPPS(entry.submitterID))?.value
    }

    /// Every RPPS a list of documents names, to ask the directory once per page.
    package static func rpps(of entries: [DocumentEntry]) -> [String] {
        entries.compactMap(authorRPPS)
    }
}
