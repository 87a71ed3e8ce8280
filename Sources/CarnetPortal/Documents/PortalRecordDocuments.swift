package import CarnetCore
package import CarnetService
import Foundation

/// A record's documents as a portal opens them (issue 18): what is new since the reader's last visit
/// first, then the rest; or, when the reader searched inside the documents, what the search found,
/// each new one tagged. Both lists come from the service under the reader's own rights — a document
/// the reader may not see is neither listed, nor counted, nor found by its words.
package struct PortalRecordDocuments {
    /// What is new since the reader's last visit (empty when searching, or on a first visit).
    package var new: [DocumentEntry] = []
    package var newTotal = 0
    /// The other documents, or the search's results.
    package var rest: [DocumentEntry] = []
    package var restTotal = 0
    package var lastAccess: LastAccess
    /// The words searched for, when a search was asked.
    package var words: String?
    /// Said beside the search box when its words cannot be searched.
    package var wordsError: String?

    package var all: [DocumentEntry] { new + rest }

    /// Documents shown at most in each list.
    package static let pageSize = 100

    /// Reads the lists as `actor`: a search when `words` is given, otherwise new-since-last-visit then
    /// the rest (two searches, both audited, both under the same baseline).
    package static func find(_ service: RecordService, _ recordID: RecordID, by actor: Actor, lastAccess known: LastAccess?, words: String?,
                     _ l: PortalLanguage, types: [String] = []) async throws -> PortalRecordDocuments {
        var query = DocumentQuery()
        query.count = pageSize
        query.types = types
        if let words {
            let text = words.trimmingCharacters(in: .whitespacesAndNewlines)
            var result = PortalRecordDocuments(lastAccess: known ?? LastAccess(at: nil), words: text)
            guard text.count <= 500, !FrenchText.queryTerms(text).isEmpty else {
                result.wordsError = l.t(.giveOneOrMoreWordsTo)
                return result
            }
            query.contentText = text
            let found = try await service.findDocuments(of: .record(recordID), query, lastAccess: known, by: actor)
            result.lastAccess = found.lastAccess
            result.rest = found.page
            result.restTotal = found.total
            return result
        }
        var newQuery = query
        newQuery.newSinceLastAccess = true
        let fresh = try await service.findDocuments(of: .record(recordID), newQuery, lastAccess: known, by: actor)
        let everything = try await service.findDocuments(of: .record(recordID), query, lastAccess: fresh.lastAccess, by: actor)
        guard fresh.lastAccess.at != nil else {
            // A first visit: everything is new, said once rather than listed twice.
            return PortalRecordDocuments(rest: everything.page, restTotal: everything.total, lastAccess: fresh.lastAccess)
        }
        let newIDs = Set(fresh.page.map(\.id))
        return PortalRecordDocuments(new: fresh.page, newTotal: fresh.total, rest: everything.page.filter { !newIDs.contains($0.id) },
                                     restTotal: max(0, everything.total - fresh.total), lastAccess: fresh.lastAccess)
    }

    /// The search box: words in a form body (POST), so what a reader looks for never sits in a URL.
    package static func searchForm(action: String, csrf: String, words: String?, error: String? = nil, _ l: PortalLanguage) -> HTML {
        """
        <form method="post" action="\(action)" class="card" role="search">\(PortalPage.csrf(csrf))
        <label for="words">\(l.t(.searchInsideTheDocuments))</label>
        <input type="search" id="words" name="words" value="\(words)" aria-describedby="words-help words-error"\
        \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))>
        <p id="words-help" class="hint">\(l.t(.theDocumentsTextPdfAndCda))</p>
        <div id="words-error">\(PortalPage.notice(error, error: true))</div>
        <button type="submit" class="secondary">\(l.t(.search2))</button>
        </form>
        """
    }

    /// The lists as tables. `visitWord` names the baseline (a professional's visit).
    /// Each row also lists the same content's other submissions, if the search folded any (`reader`
    /// and `holderINS` say whose side each one came from).
    package func render(names: ProfessionalNames, link: String, visitWord: PortalMessage, reader: Actor, holderINS: String,
                _ l: PortalLanguage) -> HTML {
        let folding = (reader: reader, holderINS: holderINS)
        if let words {
            if wordsError != nil { return "" }
            return """
                <h2 id="search-results">\(l.t(.resultsFor(words)))</h2>
                <p role="status">\(restTotal) \(l.t(.documentSFoundAmongThoseYou))</p>
                \(table("search-results", rest, names: names, link: link, folding: folding, l))
                """
        }
        guard let since = lastAccess.at else {
            return """
                <h2 id="documents">\(l.t(.documents))</h2>
                <p class="notice" role="status">\(l.t(.firstToThisRecordAllNew(l.t(visitWord))))</p>
                <p>\(restTotal) \(l.t(.documentSYouMayRead))</p>
                \(table("documents", rest, names: names, link: link, folding: folding, l))
                """
        }
        return """
            <section class="card new-since" aria-labelledby="new-since">
            <h2 id="new-since">\(l.t(.newSinceYourLast(l.t(visitWord))))</h2>
            <p>\(l.t(.since3)) \(PortalPage.dateTime(since, l)) : \(newTotal) \(l.t(.newDocumentS))</p>
            \(new.isEmpty ? html("<p>\(l.t(.nothingNew))</p>") : table("new-since", new, names: names, link: link, folding: folding, l))
            </section>
            <h2 id="other-documents">\(l.t(.otherDocuments))</h2>
            <p>\(restTotal) \(l.t(.documentSYouMayRead))</p>
            \(table("other-documents", rest, names: names, link: link, folding: folding, l))
            """
    }

    private func table(_ id: String, _ entries: [DocumentEntry], names: ProfessionalNames, link: String,
                       folding: (reader: Actor, holderINS: String), _ l: PortalLanguage) -> HTML {
        let rows = entries.map { entry -> HTML in
            let tag: HTML = words != nil && lastAccess.isNew(entry.recordedAt)
                ? html(" <span class=\"tag\">\(l.t(.new))</span>") : ""
            return """
                <tr><td>\(PortalPage.date(entry.date, l))</td><td><a href="\(link)\(entry.id.description)">\(entry.title ?? PortalDocumentTypes.label(entry.type.code, l))</a>\(tag)\
                \(PortalDuplicates.note(entry, names, reader: folding.reader, holderINS: folding.holderINS, documentPath: link, l))</td>\
                <td>\(PortalDocumentTypes.label(entry.type.code, l))</td><td>\(PortalPeople.author(entry, names, l))</td></tr>
                """
        }
        return """
            \(PortalPage.scrollHint(l))<div class="table" tabindex="0" role="region" aria-label="\(l.t(.tableScrollingSideways))"><table aria-labelledby="\(id)"><thead><tr><th scope="col">\(l.t(.date))</th><th scope="col">\(l.t(.title))</th>\
            <th scope="col">\(l.t(.typeText))</th><th scope="col">\(l.t(.author))</th></tr></thead>
            <tbody>\(entries.isEmpty ? [html("<tr><td colspan=\"4\">\(l.t(.noneText))</td></tr>")] : rows)</tbody></table></div>
            """
    }
}
