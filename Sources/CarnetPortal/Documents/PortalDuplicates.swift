package import CarnetCore
package import CarnetService

/// Issue 18 in the portals: the same content sent in several submissions (by the lab and again by the
/// physician, say) is one line of the documents table, which says who else sent it and when, each a
/// link to that copy. The search folded them among what the reader may see only, so this names no one
/// the reader could not read about.
package enum PortalDuplicates {
    /// The RPPS of everyone who sent a folded copy, to ask the directory once per page.
    package static func rpps(of entries: [DocumentEntry]) -> [String] {
        entries.flatMap { ($0.foldedDuplicates ?? []).compactMap { (try? RPPS($0.submitterID))?.value } }
    }

    /// "Également transmis le 12 mars 2026 par Dr Alice LEMOINE", one link per other submission; empty when none.
    package static func note(_ entry: DocumentEntry, _ names: ProfessionalNames, reader: Actor, holderINS: String, documentPath: String,
                     _ l: PortalLanguage) -> HTML {
        guard let duplicates = entry.foldedDuplicates, !duplicates.isEmpty else { return "" }
        let links = duplicates.map { duplicate -> HTML in
            let who: String
            if duplicate.submitterID == reader.identifier {
                who = l.t(.you)
            } else if let rpps = try? RPPS(duplicate.submitterID) {
                who = PortalPeople.name(rpps.value, names)
            } else if duplicate.submitterID == holderINS {
                who = l.t(.thePatient)
            } else {
                who = duplicate.submitterID
            }
            return "<a href=\"\(documentPath)\(duplicate.id.description)\">\(l.t(.onText)) \(PortalPage.date(duplicate.recordedAt, l)) \(l.t(.byText)) \(who)</a>"
        }
        return "<br><span class=\"hint duplicates\">\(l.t(.sameDocumentAlsoSent)) \(HTML.join(links, separator: ", "))</span>"
    }
}
