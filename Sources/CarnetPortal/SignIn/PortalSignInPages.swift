/// The portals' doors as pages: the landing page, the patient's sign-in (their INS, then the one-time
/// code), and the professional's (their software's sign-in key, or the client certificate the
/// connection carries). Each sign-in form carries the pre-sign-in CSRF token.
package enum PortalSignInPages {
    /// Where the portal opens: which door is whose.
    package static func landing(_ l: PortalLanguage) -> HTML {
        """
        <p>\(l.t(.carnetKeepsEachPatientsSharedHealth))</p>
        <div class="grid">
        <section class="card"><h2>\(l.t(.iAmAPatient))</h2>
        <p>\(l.t(.readYourDocumentsManageAccessSee))</p>
        <p><a href="/portal/patient/sign-in">\(l.t(.signInWithACode))</a></p></section>
        <section class="card"><h2>\(l.t(.iAmAHealthProfessional))</h2>
        <p>\(l.t(.webAccessForProfessionalsWithoutCompatible))</p>
        <p><a href="/portal/pro/sign-in">\(l.t(.signIn2))</a></p></section>
        </div>
        """
    }

    /// The patient's INS, to be sent a code; `value` and `error` when it was refused.
    package static func ins(csrf: String, value: String?, error: String?, _ l: PortalLanguage) -> HTML {
        """
        <p>\(l.t(.enterYourInsTheCharacterSocial))</p>
        <form method="post" action="/portal/patient/sign-in" class="card" novalidate>
        \(PortalPage.csrf(csrf))
        <label for="ins">INS</label>
        \(PortalINS.field(value: value, error: error, hint: l.t(.charactersForExample), l))
        <button type="submit">\(l.t(.sendMeACode))</button>
        </form>
        """
    }

    /// The code's entry form for the INS `number`; `tooManyCodes` (minutes to wait, and the time to ask
    /// again) says that no new code was sent — the last code received still works meanwhile.
    package static func code(csrf: String, number: String, error: String?, tooManyCodes: (minutes: Int, at: String)?, _ l: PortalLanguage) -> HTML {
        let sent: HTML
        if let tooManyCodes {
            sent = PortalPage.notice(l.t(.tooManyCodesForThisINS(tooManyCodes.minutes, tooManyCodes.at)), error: true)
        } else {
            sent = """
                <p>\(l.t(.ifARecordExistsForThis))</p>
                """
        }
        return """
            \(sent)
            <form method="post" action="/portal/patient/verify" class="card" novalidate>
            \(PortalPage.csrf(csrf))
            <input type="hidden" name="ins" value="\(number)">
            <label for="code">\(l.t(.codeReceived))</label>
            <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"\
             \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\"")) aria-describedby="code-error">
            <div id="code-error">\(PortalPage.notice(error, error: true))</div>
            <button type="submit">\(l.t(.signIn2))</button>
            </form>
            <p><a href="/portal/patient/sign-in">\(l.t(.askForAnotherCode))</a></p>
            """
    }

    /// The professional's sign-in: with the client certificate of RPPS `certified` when the connection
    /// carries one, or with a sign-in key pasted from their software; `error` said beside the key.
    package static func professional(csrf: String, certified: String?, error: String?, _ l: PortalLanguage) -> HTML {
        let certificate: HTML = if let certified {
            """
            <form method="post" action="/portal/pro/sign-in" class="card">
            \(PortalPage.csrf(csrf))
            <input type="hidden" name="method" value="certificate">
            <p>\(l.t(.yourCardClientCertificateIdentifiesYou))\(certified).</p>
            <button type="submit">\(l.t(.signInWithMyCertificate))</button>
            </form>
            """
        } else {
            ""
        }
        return """
            \(certificate)
            <p>\(l.t(.signInWithTheSignIn))</p>
            <form method="post" action="/portal/pro/sign-in" class="card" novalidate>
            \(PortalPage.csrf(csrf))
            <label for="token">\(l.t(.signInKey))</label>
            <p class="hint" id="token-hint">\(l.t(.copyItFromYourSoftwareThen))</p>
            <textarea id="token" name="token" rows="4" autocomplete="off" aria-describedby="token-hint token-error"\(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\""))></textarea>
            <div id="token-error">\(PortalPage.notice(error, error: true))</div>
            <button type="submit">\(l.t(.signIn2))</button>
            </form>
            """
    }

    /// Over the sign-in budget: said plainly, with when to try again.
    package static func tooManyAttempts(seconds: Int, _ l: PortalLanguage) -> HTML {
        PortalPage.notice(l.t(.tooManySignInAttemptsFrom(seconds)), error: true)
    }
}
