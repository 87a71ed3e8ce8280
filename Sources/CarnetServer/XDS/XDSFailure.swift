/// An XDS transaction that is refused: answered with a `RegistryResponse` of status Failure and a
/// `RegistryErrorList` carrying the standard XDS error codes (ITI TF-3 Table 4.2.4.1-2), never a 500.
///
/// Why a value of its own: the same refusal is written into the answer of each transaction
/// (`RegistryResponse`, `RetrieveDocumentSetResponse`, `AdhocQueryResponse`).
struct XDSFailure: Error, Equatable, CustomStringConvertible {
    struct Entry: Equatable {
        /// An XDS error code, `XDSRegistryError` when no more precise one applies.
        var code: String
        /// What was wrong, for a person.
        var message: String
        /// The metadata element concerned (an entryUUID, a uniqueId), when one is.
        var location: String?
    }

    var errors: [Entry]

    init(_ code: String, _ message: String, at location: String? = nil) {
        errors = [Entry(code: code, message: message, location: location)]
    }

    init(errors: [Entry]) {
        self.errors = errors
    }

    var description: String { errors.map { "\($0.code): \($0.message)" }.joined(separator: "; ") }

    /// Missing or wrong metadata in a submission (ITI-41's repository refuses it).
    static func metadata(_ message: String, at location: String? = nil) -> XDSFailure {
        XDSFailure(XDSVocabulary.ErrorCode.repositoryMetadataError, message, at: location)
    }
}

/// A message refused at the SOAP level, before any XDS transaction could be told: answered as a SOAP
/// 1.2 fault (`env:Sender`, 400), with a subcode such as `wsa:ActionNotSupported`.
struct SOAPFault: Error, Equatable, CustomStringConvertible {
    /// `env:Sender` (the message is at fault) or `env:Receiver`.
    var isSender = true
    /// A qualified subcode (`wsa:ActionNotSupported`, `wsse:FailedAuthentication`), when one says more.
    var subcode: String?
    var reason: String
    /// The HTTP status it travels with: 400 for a sender's fault (SOAP 1.2 HTTP binding), 401 for authentication.
    var httpStatus = 400

    var description: String { reason }

    static func actionNotSupported(_ action: String) -> SOAPFault {
        SOAPFault(subcode: "wsa:ActionNotSupported",
                  reason: "the action '\(action.prefix(200))' is not served here: /xds/repository serves \(XDSVocabulary.Action.provideAndRegister) and \(XDSVocabulary.Action.retrieve); /xds/registry serves \(XDSVocabulary.Action.storedQuery) and \(XDSVocabulary.Action.updateDocumentSet)")
    }
}
