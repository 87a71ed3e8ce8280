import Foundation

/// A submitted form as its fields by name (`application/x-www-form-urlencoded`, decoded by the
/// framework, or `multipart/form-data` with files), read by the route only after its CSRF token
/// matched; the forms that show what was typed again take it. Forms with a type of their own
/// (`PortalRecordForm`…) are decoded into it instead.
package struct PortalForm: Sendable {
    package var fields: [String: String]
    /// Files of a `multipart/form-data` form, by field name.
    package var files: [String: PortalMultipart.File] = [:]

    package init(fields: [String: String], files: [String: PortalMultipart.File] = [:]) {
        self.fields = fields
        self.files = files
    }

    /// The field's text, trimmed; `nil` when missing or blank.
    package subscript(name: String) -> String? {
        fields[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    package static let maximumSize = 64 * 1024

    /// Compares tokens in a time that does not depend on where they differ.
    package static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
