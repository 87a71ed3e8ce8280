public import CarnetCore
public import Foundation

/// The document status changes DMP-compatible software sends as patches (PDSm): JSON Patch (or
/// FHIRPath Patch) setting `status` to `entered-in-error`, or PDSm's is-archived extension (TD3.3d).
///
/// Only these are understood; any other patch is refused, never half applied. Visibility patches
/// (`securityLabel`, TD3.3a/b) belong to the Access control issue.
public enum DocumentPatch {
    public static let jsonPatchMediaType = "application/json-patch+json"

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
