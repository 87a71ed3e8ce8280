/// The record page's forms as one typed body (`action` says which): close it (a reason, and the
/// confirmation box), reopen it, or set the contact address.
package struct PortalRecordForm: Decodable, Sendable {
    package var action: String?
    package var reason: String?
    package var confirmed: Bool
    package var email: String?

    enum CodingKeys: String, CodingKey { case action, reason, confirm, email }

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        action = try fields.text(.action)
        reason = try fields.text(.reason)
        confirmed = try fields.text(.confirm) == "yes"
        email = try fields.text(.email)
    }
}
