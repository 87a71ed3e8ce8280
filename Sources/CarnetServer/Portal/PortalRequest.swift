import CarnetPortal
import Foundation
import HTTPTypes
import Hummingbird

/// The portal's three cookies (session, language, pre-sign-in CSRF), read and written with
/// Hummingbird's cookie types rather than by hand.
enum PortalCookies {
    static func value(_ name: String, in request: Request) -> String? {
        request.cookies[name]?.value
    }

    /// A cookie scoped to the portal, HttpOnly and SameSite=Strict; `Secure` when served over TLS.
    static func header(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> String {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/portal", secure: secure, httpOnly: true, sameSite: .strict).description
    }
}

extension PortalForm {
    /// Reads the body and checks its `_csrf` field against `expected` (the session's token, or the
    /// pre-sign-in cookie): a form from another site is refused before anything is done.
    static func read(_ request: Request, expectedToken: String?, fileLimit: Int? = nil) async throws -> PortalForm {
        let contentType = request.headers[.contentType] ?? ""
        let form: PortalForm
        if PortalMultipart.isMultipart(contentType) {
            // Streamed and bounded (``PortalMultipartReader``); a multipart body without its boundary is malformed.
            guard let boundary = PortalMultipart.boundary(in: contentType) else { throw PortalError.malformedForm }
            form = try await PortalMultipartReader.read(request.body, boundary: boundary, fileLimit: fileLimit ?? maximumSize)
        } else {
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maximumSize)
            } catch {
                throw PortalError.tooLarge(maximumSize)
            }
            form = PortalForm(fields: parse(String(buffer: buffer)))
        }
        guard let expectedToken, let given = form.fields["_csrf"], constantTimeEqual(given, expectedToken) else {
            throw PortalError.forgedForm
        }
        return form
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
    /// The form's body does not parse, or ends before its end (a multipart body without its boundary,
    /// truncated, or with a text field larger than a form's).
    case malformedForm
    /// The form is larger than the limit (bytes).
    case tooLarge(Int)
}
