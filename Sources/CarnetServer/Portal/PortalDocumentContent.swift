import CarnetCore
import CarnetFHIR
import CarnetPortal
import Foundation
import HTTPTypes
import Hummingbird

extension PortalDocumentView {
    /// The raw bytes, inline, with a policy that runs nothing they might contain; with `embedded`
    /// (`?embedded=pdf`), the PDF a CDA level 1 document carries, decoded (404 when it carries none).
    static func contentResponse(_ entry: DocumentEntry, _ data: Data, embedded: String? = nil) -> Response {
        var contentType = entry.content.contentType
        var data = data
        if embedded == "pdf" {
            guard let pdf = CDANarrative.embeddedPDF(of: data) else { return Response(status: .notFound) }
            (contentType, data) = ("application/pdf", pdf)
        }
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-store",
                                   .contentDisposition: "inline"]
        // A PDF needs the browser's viewer, framed by Carnet's own document page and no other site;
        // anything else is shown sandboxed, scripts never run, and framed by no one.
        if contentType.lowercased().hasPrefix("application/pdf") {
            headers[.contentSecurityPolicy] = "frame-ancestors 'self'"
            headers[PortalMiddleware.frameOptions] = "SAMEORIGIN"
        } else {
            headers[.contentSecurityPolicy] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
