import Foundation
import CarnetJSON

/// Writes the XML Carnet answers XDS.b requests with: SOAP 1.2 envelopes carrying the WS-Addressing
/// action of the answer, faults, and ebRS `RegistryResponse`s. Every text and attribute is escaped.
enum SOAPWriter {
    /// `&`, `<`, `>`, `"` and `'` escaped; control characters XML 1.0 cannot carry are dropped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }

    /// A SOAP 1.2 envelope with `body` as its body, answering `relatesTo` (the request's MessageID).
    static func envelope(action: String, relatesTo: String?, body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>\
        <env:Envelope xmlns:env="\(XDSVocabulary.Namespace.soap12)" xmlns:wsa="\(XDSVocabulary.Namespace.addressing)">\
        <env:Header><wsa:Action env:mustUnderstand="1">\(escape(action))</wsa:Action>\
        <wsa:MessageID>urn:uuid:\(UUID().lowercasedText)</wsa:MessageID>\
        \(relatesTo.map { "<wsa:RelatesTo>\(escape($0))</wsa:RelatesTo>" } ?? "")</env:Header>\
        <env:Body>\(body)</env:Body></env:Envelope>
        """
    }

    /// A SOAP 1.2 fault (`env:Sender` or `env:Receiver`, with a subcode when one is given).
    static func fault(_ fault: SOAPFault, relatesTo: String? = nil) -> String {
        let code = fault.isSender ? "env:Sender" : "env:Receiver"
        let subcode = fault.subcode.map { "<env:Subcode><env:Value>\(escape($0))</env:Value></env:Subcode>" } ?? ""
        let namespaces = " xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\""
        return envelope(action: "http://www.w3.org/2005/08/addressing/soap/fault", relatesTo: relatesTo, body: """
            <env:Fault\(namespaces)><env:Code><env:Value>\(code)</env:Value>\(subcode)</env:Code>\
            <env:Reason><env:Text xml:lang="en">\(escape(fault.reason))</env:Text></env:Reason></env:Fault>
            """)
    }

    /// The `RegistryErrorList` of a failure.
    static func errorList(_ failure: XDSFailure) -> String {
        "<rs:RegistryErrorList>" + failure.errors.map { error in
            "<rs:RegistryError errorCode=\"\(escape(error.code))\" codeContext=\"\(escape(error.message))\" severity=\"\(XDSVocabulary.ErrorSeverity.error)\""
                + (error.location.map { " location=\"\(escape($0))\"" } ?? "") + "/>"
        }.joined() + "</rs:RegistryErrorList>"
    }

    /// An ebRS `RegistryResponse`: Success, or Failure with its errors.
    static func registryResponse(_ failure: XDSFailure?) -> String {
        let status = failure == nil ? XDSVocabulary.ResponseStatus.success : XDSVocabulary.ResponseStatus.failure
        return "<rs:RegistryResponse xmlns:rs=\"\(XDSVocabulary.Namespace.rs)\" status=\"\(status)\">"
            + (failure.map(errorList) ?? "") + "</rs:RegistryResponse>"
    }
}
