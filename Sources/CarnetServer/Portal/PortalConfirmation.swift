import CarnetPortal
import Hummingbird

extension PortalConfirmation {
    /// The confirmation a page was redirected with, if any.
    static func notice(_ request: Request, _ l: PortalLanguage) -> HTML {
        guard let key = request.uri.queryParameters["done"].map(String.init), let done = message(key) else { return "" }
        return PortalPage.notice(l.t(done))
    }

    /// The confirmation step: what would be deleted, and the form that deletes it.
    static func ask(_ request: Request, session: PortalSessions.Session, action: String, fields: [String: String], what: String, back: String,
                    _ l: PortalLanguage) -> Response {
        let body = question(action: action, csrf: session.csrfToken, fields: fields, what: what, back: back, l)
        return PortalPage(title: l.t(.confirmTheDeletion), language: l, session: session, path: back, body: body).response()
    }
}
