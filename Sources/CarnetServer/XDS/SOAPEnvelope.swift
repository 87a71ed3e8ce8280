import Foundation

/// A SOAP 1.2 request read safely: its WS-Addressing action and message id, its body's one element,
/// and the header (for a WS-Security assertion).
///
/// Only SOAP 1.2 (`http://www.w3.org/2003/05/soap-envelope`), as ITI TF-2 §V.3.2 requires; a SOAP
/// 1.1 envelope is refused with a fault saying so.
struct SOAPEnvelope: Sendable {
    /// The whole `Envelope` element, where a WS-Security assertion is looked for (``VIHFAssertion``).
    var root: XMLElementNode
    var action: String
    var messageID: String?
    var header: XMLElementNode?
    /// The first element of `env:Body`: the transaction's request.
    var request: XMLElementNode
    /// The binary parts of an MTOM/XOP message, by Content-ID.
    var attachments: [String: Data]
    var isMTOM: Bool

    static func read(_ message: MTOMMessage, maximumText: Int) throws(SOAPFault) -> SOAPEnvelope {
        let root: XMLElementNode
        do {
            root = try SafeXMLReader.parse(message.envelope, limits: .init(maximumText: maximumText))
        } catch {
            throw SOAPFault(reason: error.description)
        }
        guard root.name == "Envelope" else { throw SOAPFault(reason: "the message is not a SOAP envelope (its root is \(root.name.prefix(100)))") }
        guard root.namespace == XDSVocabulary.Namespace.soap12 else {
            throw SOAPFault(subcode: "env:VersionMismatch", reason: "only SOAP 1.2 envelopes (\(XDSVocabulary.Namespace.soap12)) are accepted, as IHE ITI TF-2 requires")
        }
        let header = root.child("Header", XDSVocabulary.Namespace.soap12)
        guard let body = root.child("Body", XDSVocabulary.Namespace.soap12), let request = body.children.first else {
            throw SOAPFault(reason: "the SOAP envelope has no Body, or an empty one")
        }
        let action = header?.child("Action", XDSVocabulary.Namespace.addressing)?.trimmedText ?? message.contentTypeAction
        guard let action, !action.isEmpty else {
            throw SOAPFault(subcode: "wsa:MessageAddressingHeaderRequired", reason: "the message names no action: send the WS-Addressing Action header")
        }
        return SOAPEnvelope(root: root, action: action, messageID: header?.child("MessageID", XDSVocabulary.Namespace.addressing)?.trimmedText,
                            header: header, request: request, attachments: message.attachments, isMTOM: message.isMTOM)
    }

    /// The bytes of a `Document` element: inline base64, or the MTOM part its `xop:Include` names.
    func documentBytes(_ element: XMLElementNode) -> Data? {
        if let include = element.child("Include", XDSVocabulary.Namespace.xop) {
            return include.attributes["href"].flatMap { attachments[MTOMMessage.contentID($0)] }
        }
        return Data(base64Encoded: element.trimmedText, options: .ignoreUnknownCharacters)
    }
}
