/// The professional portal's forms as typed bodies: the search by INS, opening a found record (how:
/// `open`, `consent` or `emergency` with its reason), and the words searched inside its documents.
package enum PortalProfessionalForms {
    package struct Find: Decodable, Sendable {
        package var ins: String?
        enum CodingKeys: String, CodingKey { case ins }
        package init(from decoder: any Decoder) throws {
            ins = try decoder.container(keyedBy: CodingKeys.self).text(.ins)
        }
    }

    package struct Open: Decodable, Sendable {
        package var record: String?
        package var kind: String?
        package var reason: String?
        /// The INS the record was found by, to show the patient's page again beside a missing reason.
        package var ins: String?
        enum CodingKeys: String, CodingKey { case record, kind, reason, ins }
        package init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            record = try fields.text(.record)
            kind = try fields.text(.kind)
            reason = try fields.text(.reason)
            ins = try fields.text(.ins)
        }
    }

    package struct Search: Decodable, Sendable {
        package var words: String?
        enum CodingKeys: String, CodingKey { case words }
        package init(from decoder: any Decoder) throws {
            words = try decoder.container(keyedBy: CodingKeys.self).text(.words)
        }
    }
}
