
/// The patient portal's two confirmations (issue 16, "a confirmation after each change and before
/// each deletion"), both working without JavaScript:
/// - before a deletion, the delete button only asks: the server answers with a page naming what would
///   be deleted and a second form that carries `confirm=yes`; nothing is deleted without it;
/// - after a change, the redirect carries `?done=<key>`, a word from a fixed list (never health data
///   in a URL), and the page shows the matching sentence.
package enum PortalConfirmation {
    /// What each `done` key says (in the catalogue); `nil` for any other word.
    package static func message(_ key: String) -> PortalMessage? {
        switch key {
        case "saved": .doneSaved
        case "added": .doneAdded
        case "deleted": .doneDeleted
        case "access": .doneAccess
        case "settings": .doneSettings
        case "masked": .doneMasked
        case "unmasked": .doneUnmasked
        case "closed": .doneClosed
        case "reopened": .doneReopened
        default: nil
        }
    }

    /// `path` with the confirmation of a change to show there.
    package static func done(_ path: String, _ key: String) -> String { "\(path)?done=\(key)" }

    /// A delete button that asks first: it posts `fields` to `action` without `confirm`, and the route
    /// answers with ``ask(_:session:action:fields:what:back:_:)``.
    package static func deleteButton(action: String, csrf: String, fields: [String: String], what: String, _ l: PortalLanguage) -> HTML {
        """
        <form method="post" action="\(action)" class="inline">\(PortalPage.csrf(csrf))\(hidden(fields))\
        <button type="submit" class="link" aria-label="\(l.t(.delete)) : \(what)">\(l.t(.delete))</button></form>
        """
    }

    /// The confirmation step's page: what would be deleted, and the form that deletes it (`confirm=yes`).
    package static func question(action: String, csrf: String, fields: [String: String], what: String, back: String, _ l: PortalLanguage) -> HTML {
        """
        <div class="card">
        <p>\(l.t(.doYouReallyWantToDelete)) <strong>\(what)</strong> ?</p>
        <p class="hint">\(l.t(.onceDeletedItNoLongerAppears))</p>
        <form method="post" action="\(action)" class="inline">\(PortalPage.csrf(csrf))\(hidden(fields))\
        <input type="hidden" name="confirm" value="yes">
        <button type="submit" class="danger">\(l.t(.yesDelete))</button></form>
        <a href="\(back)">\(l.t(.noCancel))</a>
        </div>
        """
    }

    package static func hidden(_ fields: [String: String]) -> HTML {
        HTML.join(fields.sorted { $0.key < $1.key }.map { name, value -> HTML in "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">" })
    }
}
