/// The patient's standing choices as a typed body: three boxes, each ticked (`yes`) or not sent.
package struct PortalSettingsForm: Decodable, Sendable {
    package var hideDocuments: Bool
    package var opposeFeeding: Bool
    package var notifyNewDocuments: Bool

    enum CodingKeys: String, CodingKey { case hideDocuments, opposeFeeding, notifyNewDocuments }

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        hideDocuments = try fields.text(.hideDocuments) == "yes"
        opposeFeeding = try fields.text(.opposeFeeding) == "yes"
        notifyNewDocuments = try fields.text(.notifyNewDocuments) == "yes"
    }
}
