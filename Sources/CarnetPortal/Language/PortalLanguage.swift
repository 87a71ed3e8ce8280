/// The portals' language: French by default, English on request (a cookie remembers the choice).
package enum PortalLanguage: String, Sendable, CaseIterable {
    case fr, en

    /// The text in this language: pages carry both versions side by side, so none can go missing.
    package func t(_ french: String, _ english: String) -> String { self == .fr ? french : english }
}
