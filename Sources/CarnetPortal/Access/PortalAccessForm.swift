/// The access page's forms as one typed body, `action` saying which: find a professional by `name`
/// or choose one found, authorise, revoke, block or unblock a professional by `rpps`, make them the
/// treating physician or remove the one there is, or set the emergency modes (two boxes, `yes` or
/// not sent). The RPPS is kept as typed, so that a refused one is shown again in its field
/// (``PortalAccessPage/FormError``).
package struct PortalAccessForm: Decodable, Sendable {
    package var action: String?
    package var rpps: String?
    package var name: String?
    package var breakTheGlass: Bool
    package var regulation: Bool

    enum CodingKeys: String, CodingKey { case action, rpps, name, breakTheGlass, regulation }

    package init(action: String?, rpps: String? = nil, name: String? = nil, breakTheGlass: Bool = false, regulation: Bool = false) {
        (self.action, self.rpps, self.name, self.breakTheGlass, self.regulation) = (action, rpps, name, breakTheGlass, regulation)
    }

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        action = try fields.text(.action)
        rpps = try fields.text(.rpps)
        name = try fields.text(.name)
        breakTheGlass = try fields.text(.breakTheGlass) == "yes"
        regulation = try fields.text(.regulation) == "yes"
    }
}
