import Foundation

/// A SOAP message as it arrived: plain (`application/soap+xml`, documents inline in base64) or
/// MTOM/XOP (`multipart/related; type="application/xop+xml"`, documents as binary parts the envelope
/// names with `xop:Include href="cid:…"`), as ITI TF-2 §V.3.6 allows both.
///
/// Bounded: the body is already limited by the request's size limit; at most ``maximumParts`` parts
/// are read, each part's headers at most 8 KiB.
struct MTOMMessage: Sendable {
    /// The XML of the SOAP envelope.
    var envelope: Data
    /// The binary parts by Content-ID (without its angle brackets).
    var attachments: [String: Data] = [:]
    /// Whether the request came as MTOM/XOP, so the answer does too.
    var isMTOM = false
    /// The `action` parameter of the Content-Type (SOAP 1.2), for a request without WS-Addressing.
    var contentTypeAction: String?

    static let maximumParts = 256

    /// Splits the body by its Content-Type.
    static func read(_ body: Data, contentType: String?) throws(SOAPFault) -> MTOMMessage {
        let parameters = Self.parameters(contentType ?? "")
        let mediaType = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/soap+xml", "text/xml", "application/xml", "":
            return MTOMMessage(envelope: body, contentTypeAction: parameters["action"])
        case "multipart/related":
            guard let boundary = parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
                throw SOAPFault(reason: "a multipart/related message needs a boundary parameter (MTOM/XOP)")
            }
            let parts = try split(body, boundary: boundary)
            guard !parts.isEmpty else { throw SOAPFault(reason: "the multipart/related message has no parts") }
            let start = parameters["start"].map(contentID)
            let root = start.flatMap { id in parts.first { $0.contentID == id } } ?? parts[0]
            var attachments: [String: Data] = [:]
            for part in parts where part.contentID != nil && part.contentID != root.contentID {
                attachments[part.contentID!] = part.body
            }
            let rootAction = parameters["start-info"].flatMap { Self.parameters("x;" + $0)["action"] }
                ?? root.contentType.flatMap { Self.parameters($0)["action"] }
            return MTOMMessage(envelope: root.body, attachments: attachments, isMTOM: true, contentTypeAction: rootAction ?? parameters["action"])
        default:
            throw SOAPFault(reason: "Content-Type '\(mediaType.prefix(100))' is not a SOAP 1.2 message: send application/soap+xml, or multipart/related (MTOM/XOP)",
                            httpStatus: 415)
        }
    }

    /// A Content-ID or `cid:` reference as the key of ``attachments``: without `<>`, `cid:`, percent-encoding.
    static func contentID(_ text: String) -> String {
        var id = text.trimmingCharacters(in: .whitespaces)
        if id.lowercased().hasPrefix("cid:") { id = String(id.dropFirst(4)) }
        if id.hasPrefix("<") && id.hasSuffix(">") { id = String(id.dropFirst().dropLast()) }
        return id.removingPercentEncoding ?? id
    }

    /// `name=value` parameters of a header value, names lower-cased, quotes removed.
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(header)
        // Skip the media type itself.
        guard let first = rest.firstIndex(of: ";") else { return result }
        rest = rest[rest.index(after: first)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let character = rest.first, character != "\"" {
                    if character == "\\", rest.count > 1 { rest = rest.dropFirst() }
                    value.append(rest.first!)
                    rest = rest.dropFirst()
                }
                rest = rest.dropFirst()
            } else {
                value = String(rest.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
                rest = rest.drop { $0 != ";" }
            }
            result[name] = value
        }
        return result
    }

    struct Part {
        var contentID: String?
        var contentType: String?
        var body: Data
    }

    /// The parts between `--boundary` delimiters (RFC 2046 §5.1.1).
    static func split(_ body: Data, boundary: String) throws(SOAPFault) -> [Part] {
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else {
            throw SOAPFault(reason: "the multipart/related body does not contain its boundary")
        }
        while true {
            // After a delimiter: "--" closes the message; otherwise the line ends and a part follows.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard let lineEnd = body.range(of: Data("\r\n".utf8), in: cursor..<body.endIndex) else { break }
            let partStart = lineEnd.upperBound
            guard let next = body.range(of: Data("\r\n".utf8) + delimiter, in: partStart..<body.endIndex) else {
                throw SOAPFault(reason: "the multipart/related body ends without its closing boundary")
            }
            parts.append(try part(body[partStart..<next.lowerBound]))
            guard parts.count <= maximumParts else { throw SOAPFault(reason: "the message has more than \(maximumParts) parts") }
            cursor = next.upperBound
        }
        return parts
    }

    private static func part(_ data: Data) throws(SOAPFault) -> Part {
        guard let separator = data.range(of: Data("\r\n\r\n".utf8)), separator.lowerBound - data.startIndex <= 8192 else {
            if data.starts(with: Data("\r\n".utf8)) { return Part(body: Data(data.dropFirst(2))) }
            throw SOAPFault(reason: "a part of the multipart/related message has no header end, or headers longer than 8 KiB")
        }
        var part = Part(body: Data(data[separator.upperBound...]))
        var transferEncoding: String?
        for line in String(decoding: data[data.startIndex..<separator.lowerBound], as: UTF8.self).components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() {
            case "content-id": part.contentID = contentID(value)
            case "content-type": part.contentType = value
            case "content-transfer-encoding": transferEncoding = value.lowercased()
            default: continue
            }
        }
        if transferEncoding == "base64" {
            guard let decoded = Data(base64Encoded: part.body, options: .ignoreUnknownCharacters) else {
                throw SOAPFault(reason: "a part declared base64 is not valid base64")
            }
            part.body = decoded
        }
        return part
    }
}
