import CarnetCore
import CarnetPortal
import HTTPTypes
import Hummingbird

extension PortalPage {
    /// The page of `session`'s frame: the route hands over the session, the view sees only what it shows.
    init(title: String, language: PortalLanguage, session: PortalSessions.Session?, path: String, body: HTML) {
        self.init(title: title, language: language, frame: session.map(PortalFrame.init(session:)), path: path, body: body)
    }

    /// The rendered page as a response: HTML, never cached.
    func response(status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: render().description)))
    }

    /// A redirect after a form (303: the browser follows with GET).
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}

extension PortalFrame {
    init(session: PortalSessions.Session) {
        let navigation: Navigation?
        switch session.actor.role {
        case .patient: navigation = .patient
        case .professional, .regulator: navigation = .professional(recordOpen: session.patient != nil)
        default: navigation = nil
        }
        self.init(navigation: navigation, csrfToken: session.csrfToken, represented: session.represented, signedInAs: session.signedInAs,
                  emergency: session.openEmergency.map { ($0.mode, $0.reason) })
    }
}

extension PortalLanguage {
    /// The language the `carnet_lang` cookie chose, French by default.
    static func from(_ request: Request) -> PortalLanguage {
        PortalCookies.value("carnet_lang", in: request).flatMap(PortalLanguage.init(rawValue:)) ?? .fr
    }
}
