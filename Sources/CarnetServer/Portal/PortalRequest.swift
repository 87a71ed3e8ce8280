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
    /// Reads the document upload — `multipart/form-data` streamed and bounded (``PortalMultipartReader``),
    /// or a URL-encoded body when no file is sent — and checks its `_csrf` field against `expected`
    /// (the session's token) before anything in it is read: its text fields are then decoded by the
    /// framework into ``PortalUploadForm`` like every other form's, the file set beside them.
    static func readUpload(_ request: Request, expectedToken: String?, fileLimit: Int) async throws -> PortalUploadForm {
        let contentType = request.headers[.contentType] ?? ""
        guard PortalMultipart.isMultipart(contentType) else {
            return try await read(PortalUploadForm.self, request, expectedToken: expectedToken)
        }
        // A multipart body without its boundary is malformed.
        guard let boundary = PortalMultipart.boundary(in: contentType) else { throw PortalError.malformedForm }
        let form = try await PortalMultipartReader.read(request.body, boundary: boundary, fileLimit: fileLimit)
        try checkToken(form.fields["_csrf"], expectedToken)
        var upload = try decode(PortalUploadForm.self, from: urlEncoded(form.fields))
        upload.file = form.files["file"]
        return upload
    }

    /// Reads a URL-encoded body into the form's own type, decoded by Hummingbird's
    /// `URLEncodedFormDecoder`, after its `_csrf` field matched `expectedToken`: a form from another
    /// site is refused before anything in it is read. Its fields are text (``KeyedDecodingContainer/text(_:)``),
    /// checked by the page, which says what is wrong beside the field.
    static func read<Fields: Decodable>(_ type: Fields.Type, _ request: Request, expectedToken: String?) async throws -> Fields {
        let body = try await urlEncodedBody(request)
        try checkToken(try decode(Token.self, from: body).value, expectedToken)
        return try decode(Fields.self, from: body)
    }

    /// Text fields written as a URL-encoded body, decoded then as any form's: every character but the
    /// unreserved ones percent-encoded, so the decoder reads back exactly what was sent (the
    /// framework's encoder leaves `+` as is, which its decoder reads as a space).
    private static func urlEncoded(_ fields: [String: String]) -> String {
        fields.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")=\(value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")"
        }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// The body of a URL-encoded form, up to ``PortalForm/maximumSize``.
    private static func urlEncodedBody(_ request: Request) async throws -> String {
        do {
            return String(buffer: try await request.body.collect(upTo: maximumSize))
        } catch {
            throw PortalError.tooLarge(maximumSize)
        }
    }

    /// Decoded by the framework; a body it cannot read (bad percent-encoding, a field twice) is malformed.
    private static func decode<Fields: Decodable>(_ type: Fields.Type, from body: String) throws -> Fields {
        do {
            return try URLEncodedFormDecoder().decode(Fields.self, from: body)
        } catch {
            throw PortalError.malformedForm
        }
    }

    private static func checkToken(_ given: String?, _ expected: String?) throws {
        guard let expected, let given, constantTimeEqual(given, expected) else { throw PortalError.forgedForm }
    }

    /// The CSRF field every portal form carries.
    private struct Token: Decodable {
        var value: String?
        enum CodingKeys: String, CodingKey { case value = "_csrf" }
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
