import Foundation
import HTTPTypes
import Hummingbird

/// The patient portal's two confirmations (issue 16, "a confirmation after each change and before
/// each deletion"), both working without JavaScript:
/// - before a deletion, the delete button only asks: the server answers with a page naming what would
///   be deleted and a second form that carries `confirm=yes`; nothing is deleted without it;
/// - after a change, the redirect carries `?done=<key>`, a word from a fixed list (never health data
///   in a URL), and the page shows the matching sentence.
enum PortalConfirmation {
    /// What each `done` key says, French first.
    static let messages: [String: (String, String)] = [
        "saved": ("Votre modification est enregistrée.", "Your change is saved."),
        "added": ("C'est ajouté à votre dossier.", "It has been added to your record."),
        "deleted": ("C'est supprimé.", "It has been deleted."),
        "access": ("Les accès à votre dossier sont modifiés.", "Access to your record has been changed."),
        "settings": ("Vos choix sont enregistrés.", "Your choices are saved."),
        "masked": ("Le document est masqué aux professionnels.", "The document is masked to professionals."),
        "unmasked": ("Le document n'est plus masqué.", "The document is no longer masked."),
        "closed": ("Votre dossier est fermé.", "Your record is closed."),
        "reopened": ("Votre dossier est rouvert.", "Your record is reopened."),
    ]

    /// `path` with the confirmation of a change to show there.
    static func done(_ path: String, _ key: String) -> String { "\(path)?done=\(key)" }

    /// The confirmation a page was redirected with, if any.
    static func notice(_ request: Request, _ l: PortalLanguage) -> HTML {
        guard let key = request.uri.queryParameters["done"].map(String.init), let message = messages[key] else { return "" }
        return PortalPage.notice(l.t(message.0, message.1))
    }

    /// A delete button that asks first: it posts `fields` to `action` without `confirm`, and the route
    /// answers with ``ask(_:session:action:fields:what:back:_:)``.
    static func deleteButton(action: String, csrf: String, fields: [String: String], what: String, _ l: PortalLanguage) -> HTML {
        """
        <form method="post" action="\(action)" class="inline">\(PortalPage.csrf(csrf))\(hidden(fields))\
        <button type="submit" class="link" aria-label="\(l.t("Supprimer", "Delete")) : \(what)">\(l.t("Supprimer", "Delete"))</button></form>
        """
    }

    /// Whether a submitted deletion was confirmed.
    static func isConfirmed(_ form: PortalForm) -> Bool { form["confirm"] == "yes" }

    /// The confirmation step: what would be deleted, and the form that deletes it.
    static func ask(_ request: Request, session: PortalSessions.Session, action: String, fields: [String: String], what: String, back: String,
                    _ l: PortalLanguage) -> Response {
        let body: HTML = """
            <div class="card">
            <p>\(l.t("Voulez-vous vraiment supprimer :", "Do you really want to delete:")) <strong>\(what)</strong> ?</p>
            <p class="hint">\(l.t("Une fois supprimé, il n'apparaît plus dans votre dossier.", "Once deleted, it no longer appears in your record."))</p>
            <form method="post" action="\(action)" class="inline">\(PortalPage.csrf(session.csrfToken))\(hidden(fields))\
            <input type="hidden" name="confirm" value="yes">
            <button type="submit" class="danger">\(l.t("Oui, supprimer", "Yes, delete"))</button></form>
            <a href="\(back)">\(l.t("Non, annuler", "No, cancel"))</a>
            </div>
            """
        return PortalPage(title: l.t("Confirmer la suppression", "Confirm the deletion"), language: l, session: session, path: back, body: body).response()
    }

    private static func hidden(_ fields: [String: String]) -> HTML {
        HTML.join(fields.sorted { $0.key < $1.key }.map { name, value -> HTML in "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">" })
    }
}
