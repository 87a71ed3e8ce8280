import Foundation
import CarnetJSON
import HTTPTypes
import Hummingbird
import NIOCore

/// Turns an answer's XML (and the documents it carries) into an HTTP response: plain SOAP 1.2
/// (`application/soap+xml`, documents inline in base64) or MTOM/XOP when the request came so.
struct SOAPResponse {
    var action: String
    var relatesTo: String?
    /// The body's XML; documents are written where ``documentMarker(_:)`` stands.
    var body: String
    /// The documents the body carries, in marker order.
    var documents: [Data] = []
    var status: HTTPResponse.Status = .ok

    /// Stands where the `n`th document's bytes go inside its `Document` element.
    static func documentMarker(_ index: Int) -> String { "\u{1}doc\(index)\u{1}" }

    func response(mtom: Bool) -> Response {
        var xml = SOAPWriter.envelope(action: action, relatesTo: relatesTo, body: body)
        if !mtom {
            for (index, document) in documents.enumerated() {
                xml = xml.replacingOccurrences(of: Self.documentMarker(index), with: document.base64EncodedString())
            }
            return Response(status: status, headers: [.contentType: "application/soap+xml; charset=UTF-8; action=\"\(action)\""],
                            body: .init(byteBuffer: ByteBuffer(string: xml)))
        }
        let boundary = "MIMEBoundary_\(UUID().lowercasedText)"
        let root = "root.message@carnet"
        for index in documents.indices {
            xml = xml.replacingOccurrences(of: Self.documentMarker(index),
                                           with: "<xop:Include xmlns:xop=\"\(XDSVocabulary.Namespace.xop)\" href=\"cid:document\(index)@carnet\"/>")
        }
        var buffer = ByteBuffer()
        buffer.writeString("--\(boundary)\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n"
            + "Content-Transfer-Encoding: binary\r\nContent-ID: <\(root)>\r\n\r\n")
        buffer.writeString(xml)
        for (index, document) in documents.enumerated() {
            buffer.writeString("\r\n--\(boundary)\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
                + "Content-ID: <document\(index)@carnet>\r\n\r\n")
            buffer.writeBytes(document)
        }
        buffer.writeString("\r\n--\(boundary)--\r\n")
        let contentType = "multipart/related; type=\"application/xop+xml\"; boundary=\"\(boundary)\"; start=\"<\(root)>\"; "
            + "start-info=\"application/soap+xml; action=\\\"\(action)\\\"\""
        return Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: buffer))
    }

    /// A SOAP fault as its HTTP response.
    static func fault(_ fault: SOAPFault, relatesTo: String? = nil) -> Response {
        Response(status: HTTPResponse.Status(code: fault.httpStatus),
                 headers: [.contentType: "application/soap+xml; charset=UTF-8"],
                 body: .init(byteBuffer: ByteBuffer(string: SOAPWriter.fault(fault, relatesTo: relatesTo))))
    }
}
