/// What a page says when a request failed without being answered in place: the message in the
/// page's language, and the way back to the portal's home.
package enum PortalErrorPage {
    /// - Parameter professional: whether the way back is the professional portal's.
    package static func render(_ message: String, professional: Bool, _ l: PortalLanguage) -> HTML {
        """
        \(PortalPage.notice(message, error: true))
        <p><a href="\(professional ? "/portal/pro" : "/portal/patient")">\(l.t(.back))</a></p>
        """
    }
}
