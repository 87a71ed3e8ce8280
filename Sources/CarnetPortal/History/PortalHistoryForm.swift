/// The history page's filters as a typed body, as typed: read into ``PortalHistoryPage/Filters``,
/// which checks each field and says what is wrong beside it.
package struct PortalHistoryForm: Decodable, Sendable {
    package var from: String?
    package var until: String?
    package var who: String?
    package var rpps: String?
    package var action: String?
    package var emergencyOnly: Bool
    package var page: String?

    enum CodingKeys: String, CodingKey { case from, until, who, rpps, action, emergency, page }

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        from = try fields.text(.from)
        until = try fields.text(.until)
        who = try fields.text(.who)
        rpps = try fields.text(.rpps)
        action = try fields.text(.action)
        emergencyOnly = try fields.text(.emergency) == "yes"
        page = try fields.text(.page)
    }
}
