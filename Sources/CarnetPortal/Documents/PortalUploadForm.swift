/// The document upload form as a typed body: its text fields decoded by the framework like every other
/// form (trimmed, `nil` when blank), and the file the multipart body carried beside them. Kept as
/// typed so that a refused upload shows the form again with its values (the file must be chosen
/// again: no browser lets a page fill a file input).
package struct PortalUploadForm: Decodable, Sendable {
    /// The DMP type code chosen from the list.
    package var type: String?
    package var title: String?
    /// The date of care or writing, `YYYY-MM-DD`.
    package var date: String?
    /// The document's text, when typed instead of a file sent.
    package var text: String?
    /// The professional's visibility choices (boxes, `yes` or not sent).
    package var masked: Bool
    package var invisible: Bool
    /// The document a professional's upload replaces, by id.
    package var replaces: String?
    /// The form's heading, carried so that a refused form is shown under the same one.
    package var heading: String?
    /// The file, when one was sent (not a text field: set by the reader of the multipart body).
    package var file: PortalMultipart.File?

    enum CodingKeys: String, CodingKey { case type, title, date, text, masked, invisible, replaces, heading }

    package init(type: String? = nil, title: String? = nil, date: String? = nil, text: String? = nil, masked: Bool = false,
                 invisible: Bool = false, replaces: String? = nil, heading: String? = nil, file: PortalMultipart.File? = nil) {
        (self.type, self.title, self.date, self.text) = (type, title, date, text)
        (self.masked, self.invisible, self.replaces, self.heading, self.file) = (masked, invisible, replaces, heading, file)
    }

    package init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        type = try fields.text(.type)
        title = try fields.text(.title)
        date = try fields.text(.date)
        text = try fields.text(.text)
        masked = try fields.text(.masked) == "yes"
        invisible = try fields.text(.invisible) == "yes"
        replaces = try fields.text(.replaces)
        heading = try fields.text(.heading)
    }
}
