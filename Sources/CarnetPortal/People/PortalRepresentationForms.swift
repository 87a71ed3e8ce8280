/// A legal representative's forms as typed bodies: open a minor's record (chosen from the list by
/// its id, or typed by INS), and add or remove a representative of the open record by INS.
package enum PortalRepresentationForms {
    package struct Represent: Decodable, Sendable {
        package var record: String?
        package var ins: String?
        enum CodingKeys: String, CodingKey { case record, ins }
        package init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            record = try fields.text(.record)
            ins = try fields.text(.ins)
        }
    }

    package struct Representatives: Decodable, Sendable {
        /// `remove`, or anything else to add.
        package var remove: Bool
        package var ins: String?
        enum CodingKeys: String, CodingKey { case action, ins }
        package init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            remove = try fields.text(.action) == "remove"
            ins = try fields.text(.ins)
        }
    }
}
