import CarnetCore
import CarnetFHIR
import Hummingbird

/// A parsed `Patient` search. Exactly one criterion, naming one patient.
enum PatientSearch: Equatable {
    case identifier(INS)
    /// `_id=a,b`: any of these records (each read through the door; those the actor may not know, absent).
    case ids([RecordID])

    /// Parameters that change the response's form, not which patients match; accepted and ignored.
    static let formatParameters: Set<String> = ["_format", "_pretty", "_summary", "_elements", "_total"]
    /// At most this many ids in one `_id`.
    static let maximumIDs = 50

    init<Parameters: Sequence>(_ parameters: Parameters, keyChecking: INS.KeyChecking) throws(FHIRInputError)
    where Parameters.Element == (key: Substring, value: Substring) {
        var identifiers: [Substring] = []
        var ids: [Substring] = []
        for (name, value) in parameters {
            switch name {
            case "identifier": identifiers.append(value)
            case "_id": ids.append(value)
            case "_count":
                // A search names its patients: at most a few answers, on one page whatever the count asked.
                guard let count = Int(value), count >= 0 else { throw FHIRInputError("'\(value)' is not a count", at: "_count") }
                continue
            case _ where PatientSearch.formatParameters.contains(String(name)): continue
            default:
                throw FHIRInputError("search parameter '\(name)' is not supported on Patient: use identifier=system|value or _id",
                                     at: String(name), code: "not-supported")
            }
        }
        switch (identifiers.count, ids.count) {
        case (1, 0):
            self = .identifier(try PatientSearch.ins(from: String(identifiers[0]), keyChecking: keyChecking))
        case (0, 1):
            let values = ids[0].split(separator: ",").map(String.init)
            guard !values.isEmpty, values.count <= Self.maximumIDs else {
                throw FHIRInputError("give between 1 and \(Self.maximumIDs) Patient ids", at: "_id")
            }
            // Any of them (R4 search.html#id): an id no record of this server can have matches nothing,
            // as an unknown one does; only a value that is no FHIR id at all is refused.
            var found: [RecordID] = []
            for value in values {
                if let id = RecordID(value) {
                    found.append(id)
                } else if !FHIRID.isValid(value) {
                    throw FHIRInputError("'\(value)' is not a FHIR id", at: "_id")
                }
            }
            self = .ids(found)
        case (0, 0):
            throw FHIRInputError("a Patient search must name one patient: identifier=system|value (the INS) or _id",
                                 at: "identifier", code: "required")
        default:
            throw FHIRInputError("give exactly one identifier or one _id", at: "identifier")
        }
    }

    /// Reads `system|value`; the system must be one of the INS systems.
    static func ins(from token: String, keyChecking: INS.KeyChecking) throws(FHIRInputError) -> INS {
        let parts = token.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw FHIRInputError("must be system|value, e.g. urn:oid:1.2.250.1.213.1.4.8|<INS>", at: "identifier")
        }
        do {
            return try INS(String(parts[1]), system: try INSSystem(uri: String(parts[0])), keyChecking: keyChecking)
        } catch {
            throw FHIRInputError(error.description, at: "identifier")
        }
    }

    var canonicalQuery: String {
        switch self {
        case .identifier(let ins): "identifier=\(ins.system.uri)%7C\(ins.value)"
        case .ids(let ids): "_id=\(ids.map(\.description).joined(separator: ","))"
        }
    }
}
