/// The sign-in forms as typed bodies: the patient's INS (to be sent a code), the INS with the code
/// received, and the professional's sign-in key or certificate choice.
package enum PortalSignInForms {
    package struct INSForm: Decodable, Sendable {
        package var ins: String?
        enum CodingKeys: String, CodingKey { case ins }
        package init(from decoder: any Decoder) throws {
            ins = try decoder.container(keyedBy: CodingKeys.self).text(.ins)
        }
    }

    package struct CodeForm: Decodable, Sendable {
        package var ins: String?
        package var code: String?
        enum CodingKeys: String, CodingKey { case ins, code }
        package init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            ins = try fields.text(.ins)
            code = try fields.text(.code)
        }
    }

    package struct ProfessionalForm: Decodable, Sendable {
        /// `certificate` to sign in with the connection's client certificate; otherwise the key.
        package var method: String?
        package var token: String?
        enum CodingKeys: String, CodingKey { case method, token }
        package init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            method = try fields.text(.method)
            token = try fields.text(.token)
        }
    }
}
