package import CarnetCore
package import Foundation

/// Who the page's frame is for, taken from the session by the route: enough to draw the navigation,
/// the sign-out form and the banners, and nothing the frame does not show.
package struct PortalFrame: Sendable {
    /// Which navigation the frame shows.
    package enum Navigation: Sendable { case patient, professional(recordOpen: Bool) }

    package var navigation: Navigation?
    /// The session's CSRF token, for the sign-out and "back to my own record" forms.
    package var csrfToken: String
    /// The minor's name, when a legal representative acts for them.
    package var represented: String?
    /// Who is signed in, as the directory names them.
    package var signedInAs: String?
    /// The emergency declared for the open record: its mode and its reason.
    package var emergency: (mode: AccessMode, reason: String)?

    package init(navigation: Navigation?, csrfToken: String, represented: String? = nil, signedInAs: String? = nil,
                 emergency: (mode: AccessMode, reason: String)? = nil) {
        self.navigation = navigation
        self.csrfToken = csrfToken
        self.represented = represented
        self.signedInAs = signedInAs
        self.emergency = emergency
    }
}

/// The frame every portal page shares: language, headings, navigation, sign-out. The route picks the
/// status and turns the rendered page into a response (HTML, never cached).
package struct PortalPage {
    package var title: String
    package var language: PortalLanguage
    package var frame: PortalFrame?
    /// Where the language switch returns to.
    package var path: String
    package var body: HTML

    package init(title: String, language: PortalLanguage, frame: PortalFrame?, path: String, body: HTML) {
        self.title = title
        self.language = language
        self.frame = frame
        self.path = path
        self.body = body
    }

    /// The whole document.
    package func render() -> HTML {
        let l = language
        let nav: [(String, String)]
        switch frame?.navigation {
        case .patient?:
            nav = [("/portal/patient", l.t(.home)), ("/portal/patient/documents", l.t(.documents)),
                   ("/portal/patient/summary", l.t(.summary)), ("/portal/patient/access", l.t(.access)),
                   ("/portal/patient/care-history", l.t(.careHistory)),
                   ("/portal/patient/history", l.t(.history)), ("/portal/patient/record", l.t(.record))]
        case .professional(let recordOpen)?:
            nav = [("/portal/pro", l.t(.findAPatient))]
                + (recordOpen ? [("/portal/pro/patient", l.t(.openRecord))] : [])
        case nil:
            nav = []
        }
        let links = nav.map { href, label -> HTML in
            "<li><a href=\"\(href)\"\(path == href ? HTML.trusted(" aria-current=\"page\"") : "")>\(label)</a></li>"
        }
        let other = l == .fr ? PortalLanguage.en : .fr
        let signOut: HTML = frame.map { frame in
            """
            <form method="post" action="/portal/sign-out" class="inline"><input type="hidden" name="_csrf" value="\(frame.csrfToken)">\
            <button type="submit" class="link">\(l.t(.signOut))</button></form>
            """
        } ?? ""
        let representing: HTML = frame?.represented.map { name in
            """
            <form method="post" action="/portal/patient/represent/self" class="banner">\(PortalPage.csrf(frame?.csrfToken ?? ""))\
            \(l.t(.youAreActingAsTheLegal)) <strong>\(name)</strong> \
            <button type="submit" class="link">\(l.t(.backToMyOwnRecord))</button></form>
            """
        } ?? ""
        let signedIn: HTML = frame?.signedInAs.map { who in
            "<p class=\"signed-in\">\(l.t(.signedIn)) <strong>\(who)</strong></p>"
        } ?? ""
        let emergency: HTML = frame?.emergency.map { emergency in
            let mode = emergency.mode == .centre15 ? l.t(.declaredCentreRegulationAccess)
                                                   : l.t(.declaredEmergencyAccess)
            return "<p class=\"banner\" role=\"status\">\(mode) : \(emergency.reason)</p>"
        } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="\(l.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Carnet</title>
            <link rel="stylesheet" href="/portal/assets/carnet.css">
            <link rel="manifest" href="/portal/manifest.webmanifest">
            <meta name="theme-color" content="\(PortalPage.themeColor)">
            <link rel="icon" type="image/png" sizes="192x192" href="/portal/assets/icon-192.png">
            <link rel="apple-touch-icon" href="/portal/assets/icon-192.png">
            <script src="/portal/assets/carnet.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">\(l.t(.skipToContent))</a>
            <header>
            <p class="brand"><a href="/portal">Carnet</a> <span>\(l.t(.sharedHealthRecordDemonstrationSyntheticData))</span></p>
            <nav aria-label="\(l.t(.mainNavigation))"><ul>\(links)</ul></nav>
            \(signedIn)
            <p class="tools"><a href="/portal/language?to=\(other.rawValue)&amp;back=\(path)" lang="\(other.rawValue)">\(other == .en ? "English" : "Français")</a> \(signOut)</p>
            </header>
            \(emergency)\(representing)
            <main id="main">
            <h1>\(title)</h1>
            \(body)
            </main>
            </body>
            </html>
            """
    }

    /// The browser's colour for the installed app's frame (the manifest says the same).
    package static let themeColor = "#0b4f9c"

    /// A message shown in place, as a person would want it: what is wrong and how to fix it.
    package static func notice(_ text: String?, error: Bool = false) -> HTML {
        guard let text else { return "" }
        return error ? "<p class=\"error\" role=\"alert\">\(text)</p>" : "<p class=\"notice\" role=\"status\">\(text)</p>"
    }

    /// Said above a wide table, shown at phone width only (the style sheet): the table scrolls sideways
    /// rather than squeezing its columns (issue 16).
    package static func scrollHint(_ l: PortalLanguage) -> HTML {
        "<p class=\"scroll-hint\" aria-hidden=\"true\">\(l.t(.scrollTheTableSidewaysToSee))</p>"
    }

    /// The hidden CSRF field every form carries.
    package static func csrf(_ token: String) -> HTML { "<input type=\"hidden\" name=\"_csrf\" value=\"\(token)\">" }

    package static func date(_ date: Date, _ language: PortalLanguage) -> String {
        var style = Date.FormatStyle(date: .abbreviated, time: .omitted)
        style.locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
        style.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return date.formatted(style)
    }

    /// The time of day in Paris (e.g. "14:05").
    package static func time(_ date: Date, _ language: PortalLanguage) -> String {
        var style = Date.FormatStyle(date: .omitted, time: .shortened)
        style.locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
        style.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return date.formatted(style)
    }

    package static func dateTime(_ date: Date, _ language: PortalLanguage) -> String {
        var style = Date.FormatStyle(date: .abbreviated, time: .shortened)
        style.locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
        style.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return date.formatted(style)
    }
}
