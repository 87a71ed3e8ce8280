public import CarnetCore
public import Foundation

/// The document status changes DMP-compatible software sends as patches (PDSm): JSON Patch (or
/// FHIRPath Patch) setting `status` to `entered-in-error`, or PDSm's is-archived extension (TD3.3d).
///
/// Only these are understood; any other patch is refused, never half applied. Security-label patches
/// (TD3.3a/b) are read by ``labels(fromJSONPatch:current:)``.
public enum DocumentPatch {
    public static let jsonPatchMediaType = "application/json-patch+json"

    /// Whether a JSON Patch is about `securityLabel` (TD3.3a/b) rather than the status.
    public static func touchesSecurityLabels(_ data: Data) -> Bool {
        let operations = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
        return operations.contains { ($0["path"] as? String)?.hasPrefix("/securityLabel") == true }
    }

    /// Applies a JSON Patch of `securityLabel` (PDSm TD3.3a/b: `replace /securityLabel/0` with a
    /// TRE_A07 code to mask or hide, with confidentiality `N` to lift it) to the labels as the client
    /// saw them, one `Code` per `CodeableConcept`. Only `securityLabel` operations are accepted.
    public static func labels(fromJSONPatch data: Data, current: [Code]) throws(FHIRInputError) -> [Code] {
        guard let operations = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]], !operations.isEmpty else {
            throw FHIRInputError("a JSON Patch is a non-empty array of operations", at: "JSONPatch", code: "structure")
        }
        var labels = current
        for (index, operation) in operations.enumerated() {
            let op = operation["op"] as? String ?? ""
            let path = operation["path"] as? String ?? ""
            let at = "JSONPatch[\(index)]"
            guard path == "/securityLabel" || path.hasPrefix("/securityLabel/") else {
                throw FHIRInputError("a security-label patch changes /securityLabel only", at: "\(at).path", code: "not-supported")
            }
            let position = String(path.dropFirst("/securityLabel/".count))
            switch op {
            case "replace" where path == "/securityLabel", "add" where path == "/securityLabel":
                labels = try Self.codes(operation["value"], at: at)
            case "replace":
                labels[try Self.labelIndex(position, in: labels, allowingEnd: false, path: path, at: at)] = try Self.codes(operation["value"], at: at)[0]
            case "add":
                labels.insert(contentsOf: try Self.codes(operation["value"], at: at), at: try Self.labelIndex(position, in: labels, allowingEnd: true, path: path, at: at))
            case "remove" where path == "/securityLabel":
                labels = []
            case "remove":
                labels.remove(at: try Self.labelIndex(position, in: labels, allowingEnd: false, path: path, at: at))
            default:
                throw FHIRInputError("operation '\(op)' is not supported on security labels: use add, replace or remove", at: "\(at).op",
                                     code: "not-supported")
            }
        }
        return labels
    }

    public static func transition(fromJSONPatch data: Data) throws(FHIRInputError) -> DocumentTransition {
        guard let operations = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]], !operations.isEmpty else {
            throw FHIRInputError("a JSON Patch is a non-empty array of operations", at: "JSONPatch", code: "structure")
        }
        var transitions: [DocumentTransition] = []
        for (index, operation) in operations.enumerated() {
            let op = operation["op"] as? String ?? ""
            let path = operation["path"] as? String ?? ""
            guard op == "add" || op == "replace" else {
                throw FHIRInputError("operation '\(op)' is not supported: use add or replace", at: "JSONPatch[\(index)].op", code: "not-supported")
            }
            if path == "/status" {
                guard operation["value"] as? String == "entered-in-error" else {
                    throw FHIRInputError("status can only be set to entered-in-error here; a replacement supersedes a document",
                                         at: "JSONPatch[\(index)].value")
                }
                transitions.append(.enterInError)
            } else if path.hasPrefix("/extension"), let archived = archivedFlag(in: operation["value"]) {
                transitions.append(archived ? .archive : .unarchive)
            } else {
                throw FHIRInputError("patching '\(path)' is not supported: only /status (entered-in-error) and the is-archived extension",
                                     at: "JSONPatch[\(index)].path", code: "not-supported")
            }
        }
        guard transitions.count == 1, let transition = transitions.first else {
            throw FHIRInputError("one status change per patch", at: "JSONPatch")
        }
        return transition
    }

    /// The CodeableConcept(s) of a patch value, one `Code` each.
    private static func codes(_ value: Any?, at: String) throws(FHIRInputError) -> [Code] {
        let concepts = (value as? [[String: Any]]) ?? ((value as? [String: Any]).map { [$0] } ?? [])
        let codes = concepts.compactMap { concept -> Code? in
            guard let coding = (concept["coding"] as? [[String: Any]])?.first, let code = coding["code"] as? String else { return nil }
            return Code(system: coding["system"] as? String, code: code, display: coding["display"] as? String)
        }
        guard !codes.isEmpty, codes.count == concepts.count else {
            throw FHIRInputError("must be a CodeableConcept with a coding (system and code)", at: "\(at).value")
        }
        return codes
    }

    /// The array position a JSON Pointer's last segment names (`-`: the end, for `add`).
    private static func labelIndex(_ position: String, in labels: [Code], allowingEnd: Bool, path: String, at: String) throws(FHIRInputError) -> Int {
        if allowingEnd && position == "-" { return labels.count }
        guard let number = Int(position), number >= 0, number < labels.count + (allowingEnd ? 1 : 0) else {
            throw FHIRInputError("'\(path)' names no security label (there are \(labels.count))", at: "\(at).path")
        }
        return number
    }

    /// A FHIRPath Patch (`Parameters`) setting `DocumentReference.status` to `entered-in-error`.
    public static func transition(fromFHIRPathPatch parameters: ParametersResource) throws(FHIRInputError) -> DocumentTransition {
        guard parameters.setsDocumentStatus(to: "entered-in-error") else {
            throw FHIRInputError("only a FHIRPath Patch setting DocumentReference.status to entered-in-error is supported",
                                 at: "Parameters.parameter", code: "not-supported")
        }
        return .enterInError
    }

    private static func archivedFlag(in value: Any?) -> Bool? {
        let candidates: [[String: Any]] = (value as? [[String: Any]]) ?? ((value as? [String: Any]).map { [$0] } ?? [])
        return candidates.first { $0["url"] as? String == DocumentReferenceResource.isArchivedExtension }?["valueBoolean"] as? Bool
    }
}
