import CarnetCore
import Foundation

/// The ``Actor`` a verified VIHF stands for, read from the assertion's subject and attributes as the
/// DMP writes them (`reference/dmp-domain.md` §3.6): the same actor the FHIR door builds from a bearer
/// token, so the one policy decides for both doors.
///
/// - `Subject/NameID`: the professional's national id, `8` + RPPS.
/// - `urn:oasis:names:tc:xacml:2.0:subject:role`: the first value is the G15 profession (an HL7 `CE`,
///   code system `1.2.250.1.71.1.2.7` or `1.2.250.1.213.1.1.4.5`); a later value in the R01 system
///   (`1.2.250.1.71.4.2.5`) is the physician's specialty.
/// - `urn:oasis:names:tc:xspa:1.0:subject:purposeofuse` (or the older `Mode_Acces`): TRE_R248 `normal`,
///   `bris_de_glace`, `centre_15` (IUA's `TREAT`/`ETREAT` are read too); absent: normal. `centre_15` is
///   the access of a Centre 15 regulator, so the actor is a regulator.
/// - `Mode_Acces_Raison`: the reason of a break-the-glass access, required then. The VIHF of the DMP
///   defines no attribute for it; this is the name Pro Santé Connect's user information gives it
///   (README, XDS.b gateway).
/// - `urn:oasis:names:tc:xacml:2.0:resource:resource-id`: the patient's INS (`<INS>^^^&<OID>&ISO`, or
///   the bare NIR): required, and the actor is scoped to that patient (``Actor/patientScope``).
/// - `urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code` =
///   `INVISIBLE_REPRESENTANTS_LEGAUX`: a minor's secret connection, as the token's claim of that name.
enum VIHFIdentity {
    enum AttributeName {
        static let role = "urn:oasis:names:tc:xacml:2.0:subject:role"
        static let purposeOfUse = "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse"
        static let accessMode = "Mode_Acces"
        static let emergencyReason = "Mode_Acces_Raison"
        static let resourceID = "urn:oasis:names:tc:xacml:2.0:resource:resource-id"
        static let confidentialityCode = "urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code"
    }

    static let professionSystems: Set<String> = ["1.2.250.1.71.1.2.7", "1.2.250.1.213.1.1.4.5"]
    static let specialtySystem = "1.2.250.1.71.4.2.5"

    static func actor(from assertion: XMLElementNode, keyChecking: INS.KeyChecking) throws(VIHFRefusal) -> Actor {
        let saml = VIHFAssertion.samlNamespace
        guard let nameID = assertion.child("Subject", saml)?.child("NameID", saml)?.trimmedText, nameID.count == 12, nameID.hasPrefix("8"),
              nameID.allSatisfy(\.isASCII), let rpps = try? RPPS(String(nameID.dropFirst())) else {
            throw .invalidToken("its Subject NameID is not a professional's national id, 8 + RPPS (12 digits)")
        }
        let attributes = try values(of: assertion)

        let roles = (attributes[AttributeName.role] ?? []).compactMap(coded)
        guard let role = roles.first else { throw .invalidToken("it has no \(AttributeName.role) attribute (the G15 profession)") }
        if let system = role.system, !professionSystems.contains(system) {
            throw .invalidToken("its first role is not a G15 profession (code system \(system.prefix(64)))")
        }
        let profession: Profession
        do {
            profession = try Profession(code: role.code)
        } catch {
            throw .invalidToken("its role: \(error.description)")
        }
        let specialty = roles.dropFirst().first { $0.system == specialtySystem }?.code
        let professional = Professional(rpps: rpps, profession: profession, specialty: specialty)

        let mode = try accessMode(attributes)
        let reason = attributes[AttributeName.emergencyReason]?.first?.trimmedText
        if mode == .breakTheGlass && (reason ?? "").isEmpty {
            throw .invalidToken("a bris_de_glace access must state its reason (attribute \(AttributeName.emergencyReason))")
        }

        guard let resource = attributes[AttributeName.resourceID]?.first?.trimmedText, !resource.isEmpty else {
            throw .invalidToken("it names no patient (\(AttributeName.resourceID)): a VIHF is issued for one patient")
        }
        let patient: INS
        do {
            patient = resource.contains("^") ? try XDSCoding.ins(fromCX: resource, keyChecking: keyChecking)
                : try INS(resource.filter { $0 != " " }, system: .nir, keyChecking: keyChecking)
        } catch {
            throw .invalidToken("its \(AttributeName.resourceID) is not a patient's INS (<INS>^^^&<INS OID>&ISO)")
        }
        let secret = (attributes[AttributeName.confidentialityCode] ?? []).compactMap(coded).contains { $0.code == CarnetClaims.secretConnectionCode }
        if secret && mode != .normal { throw .invalidToken("a minor's secret connection is opened in normal access mode only") }

        return Actor(role: mode == .centre15 ? .regulator(professional) : .professional(professional), accessMode: mode,
                     emergencyReason: mode.isEmergency ? reason : nil, secretConnection: secret, patientScope: patient)
    }

    /// The access mode the assertion declares; both names, when given, must agree.
    private static func accessMode(_ attributes: [String: [XMLElementNode]]) throws(VIHFRefusal) -> AccessMode {
        var modes: [AccessMode] = []
        for name in [AttributeName.purposeOfUse, AttributeName.accessMode] {
            guard let value = attributes[name]?.first.flatMap(coded) else { continue }
            guard let mode = AccessMode(rawValue: value.code) ?? AccessMode(purposeOfUse: value.code, regulation: false) else {
                throw .invalidToken("its \(name) '\(value.code.prefix(64))' is not normal, bris_de_glace or centre_15")
            }
            modes.append(mode)
        }
        guard Set(modes).count <= 1 else { throw .invalidToken("its \(AttributeName.purposeOfUse) and \(AttributeName.accessMode) disagree") }
        return modes.first ?? .normal
    }

    /// The `AttributeValue`s of every attribute, by name; an attribute given twice is refused (which one would speak?).
    private static func values(of assertion: XMLElementNode) throws(VIHFRefusal) -> [String: [XMLElementNode]] {
        let saml = VIHFAssertion.samlNamespace
        var values: [String: [XMLElementNode]] = [:]
        for statement in assertion.children("AttributeStatement", saml) {
            for attribute in statement.children("Attribute", saml) {
                guard let name = attribute.attributes["Name"] else { continue }
                guard values[name] == nil else { throw .invalidToken("its attribute \(name.prefix(100)) is given twice") }
                values[name] = attribute.children("AttributeValue", saml)
            }
        }
        return values
    }

    /// A coded value: an HL7 `CE` element (`code`, `codeSystem`) inside the `AttributeValue`, or its text
    /// as `code` or `code^system`.
    private static func coded(_ value: XMLElementNode) -> (code: String, system: String?)? {
        if let element = value.children.first {
            guard let code = element.attributes["code"], !code.isEmpty else { return nil }
            return (code, element.attributes["codeSystem"])
        }
        let parts = value.trimmedText.split(separator: "^", maxSplits: 1)
        guard let code = parts.first, !code.isEmpty else { return nil }
        return (String(code), parts.count > 1 ? String(parts[1]) : nil)
    }
}
