import Foundation

extension KeyedDecodingContainer {
    /// A text field as the portal reads it, whatever decoder brought it (the server's URL-encoded form
    /// decoder): trimmed, and `nil` when missing or blank — so a form struct's optional fields say
    /// "not given" the same way for an absent field and an empty one.
    package func text(_ key: Key) throws -> String? {
        try decodeIfPresent(String.self, forKey: key)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }
}
