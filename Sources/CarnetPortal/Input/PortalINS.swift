package import CarnetCore

/// An INS typed by a person: the same number under each system they may hold it in (INS-NIR first,
/// whose key is always checked, then NIA and the test and demo systems), for finding their record.
package enum PortalINS {
    /// - Throws: the INS-NIR parser's error, which says what is wrong with the number.
    package static func candidates(_ text: String, keyChecking: INS.KeyChecking) throws -> [INS] {
        let nir = try INS(text, system: .nir, keyChecking: .strict)
        return [nir] + [INSSystem.nia, .test, .demo].compactMap { try? INS(text, system: $0, keyChecking: keyChecking) }
    }
}

extension PortalINS {
    /// The INS input both portals use: labelled, its key checked as typed (carnet.js), the server's
    /// error beside it, and `aria-invalid` when it was refused.
    package static func field(value: String?, error: String?, hint: String, _ l: PortalLanguage) -> HTML {
        """
        <p class="hint" id="ins-hint">\(hint)</p>
        <input type="text" id="ins" name="ins" autocomplete="off" value="\(value)" aria-describedby="ins-hint ins-live"\
         \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\"")) data-ins\
         data-msg-shape="\(l.t(.expectedCharactersStartingWithOr))"\
         data-msg-key="\(l.t(.theKeyDoesNotMatchThe))"\
         data-msg-ok="\(l.t(.keyIsCorrect))">
        <p id="ins-live" class="hint" aria-live="polite"></p>
        \(PortalPage.notice(error, error: true))
        """
    }
}
