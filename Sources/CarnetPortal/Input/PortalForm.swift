import Foundation

/// A `multipart/form-data` body as read (the document upload): its text fields by name and its files.
/// A route never reads it: the text fields are decoded by the framework into the form's own type
/// (``PortalUploadForm``), as every URL-encoded form is into its own (`PortalRecordForm`…), once the
/// CSRF token matched. Its type also carries the limits and the token check every form shares.
package struct PortalForm: Sendable {
    package var fields: [String: String]
    /// Files of a `multipart/form-data` form, by field name.
    package var files: [String: PortalMultipart.File] = [:]

    package init(fields: [String: String], files: [String: PortalMultipart.File] = [:]) {
        self.fields = fields
        self.files = files
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
