import CarnetCore
import Foundation
import HTTPTypes
import Hummingbird

/// The portals' language: French by default, English on request (a cookie remembers the choice).
enum PortalLanguage: String, Sendable {
    case fr, en

    /// The text in this language: pages carry both versions side by side, so none can go missing.
    func t(_ french: String, _ english: String) -> String { self == .fr ? french : english }

    static func from(_ request: Request) -> PortalLanguage {
        PortalCookies.value("carnet_lang", in: request).flatMap(PortalLanguage.init(rawValue:)) ?? .fr
    }
}

/// Cookies, read by hand: the portal needs three (session, language, pre-sign-in CSRF).
enum PortalCookies {
    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
            }
        }
        return nil
    }

    /// A cookie scoped to the portal, HttpOnly and SameSite=Strict; `Secure` when served over TLS.
    static func header(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> String {
        "\(name)=\(value); Path=/portal; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "") + (maxAge.map { "; Max-Age=\($0)" } ?? "")
    }
}

/// A submitted form (`application/x-www-form-urlencoded`), read only after its CSRF token matched.
struct PortalForm: Sendable {
    var fields: [String: String]
    /// Files of a `multipart/form-data` form, by field name.
    var files: [String: PortalMultipart.File] = [:]

    subscript(name: String) -> String? {
        fields[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    static let maximumSize = 64 * 1024

    /// Reads the body and checks its `_csrf` field against `expected` (the session's token, or the
    /// pre-sign-in cookie): a form from another site is refused before anything is done.
    static func read(_ request: Request, expectedToken: String?, maximumSize: Int = maximumSize) async throws -> PortalForm {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumSize)
        } catch {
            throw PortalError.tooLarge(maximumSize)
        }
        let form: PortalForm
        if let boundary = request.headers[.contentType].flatMap(PortalMultipart.boundary(in:)) {
            guard let parsed = PortalMultipart.parse(Data(buffer.readableBytesView), boundary: boundary) else { throw PortalError.forgedForm }
            form = PortalForm(fields: parsed.fields, files: parsed.files)
        } else {
            form = PortalForm(fields: parse(String(buffer: buffer)))
        }
        guard let expectedToken, let given = form.fields["_csrf"], constantTimeEqual(given, expectedToken) else {
            throw PortalError.forgedForm
        }
        return form
    }

    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let name = parts.first.map(decode) else { continue }
            fields[name] = parts.count == 2 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// What a portal page cannot do, said to a person.
enum PortalError: Error, Equatable {
    /// The form's CSRF token is missing or wrong (an old page, or another site).
    case forgedForm
    /// No session, or it timed out.
    case signedOut(professional: Bool)
    /// The page needs something the session does not have (a professional with no patient opened).
    case noPatientOpened
    /// The form is larger than the limit (bytes).
    case tooLarge(Int)
}

/// An INS typed by a person: the same number under each system they may hold it in (INS-NIR first,
/// whose key is always checked, then NIA and the test and demo systems), for finding their record.
enum PortalINS {
    /// - Throws: the INS-NIR parser's error, which says what is wrong with the number.
    static func candidates(_ text: String, keyChecking: INS.KeyChecking) throws -> [INS] {
        let nir = try INS(text, system: .nir, keyChecking: .strict)
        return [nir] + [INSSystem.nia, .test, .demo].compactMap { try? INS(text, system: $0, keyChecking: keyChecking) }
    }
}

extension PortalINS {
    /// The INS input both portals use: labelled, its key checked as typed (carnet.js), the server's
    /// error beside it, and `aria-invalid` when it was refused.
    static func field(value: String?, error: String?, hint: String, _ l: PortalLanguage) -> HTML {
        """
        <p class="hint" id="ins-hint">\(hint)</p>
        <input type="text" id="ins" name="ins" autocomplete="off" value="\(value)" aria-describedby="ins-hint ins-live"\
         \(error == nil ? "" : HTML.trusted(" aria-invalid=\"true\"")) data-ins\
         data-msg-shape="\(l.t("Format attendu : 15 caractères, 1 ou 2 en premier", "Expected: 15 characters starting with 1 or 2"))"\
         data-msg-key="\(l.t("La clé ne correspond pas au numéro : vérifiez-le sur votre carte Vitale", "The key does not match the number: check it against your Vitale card"))"\
         data-msg-ok="\(l.t("Clé correcte", "Key is correct"))">
        <p id="ins-live" class="hint" aria-live="polite"></p>
        \(PortalPage.notice(error, error: true))
        """
    }
}
