/// A form that only confirms (a deletion's second step, `confirm=yes`) or carries nothing but its
/// CSRF token (sign-out, back to one's own record), as a typed body.
package struct PortalConfirmForm: Decodable, Sendable {
    package var confirmed: Bool
    enum CodingKeys: String, CodingKey { case confirm }
    package init(from decoder: any Decoder) throws {
        confirmed = try decoder.container(keyedBy: CodingKeys.self).text(.confirm) == "yes"
    }
}
