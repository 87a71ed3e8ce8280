import CarnetCore
import Foundation
import CarnetJSON
import JWTKit

/// The claims of a Carnet bearer token, shaped after IHE IUA's JWT profile.
///
/// Standard claims say who and until when; `extensions.ihe_iua` carries the IUA attributes
/// (`subject_role` = the G15 profession, `purpose_of_use` = TREAT/ETREAT, `person_id` = the INS in
/// CX form for patients); Carnet's own claims carry the actor kind, the DMP access mode and the
/// emergency reason, which the audit trail records verbatim.
struct CarnetClaims: JWTPayload, Equatable {
    static let issuer = "carnet"

    var iss: IssuerClaim
    var sub: SubjectClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var jti: IDClaim
    var actorKind: String
    var accessMode: String?
    var emergencyReason: String?
    var specialty: String?
    /// The VIHF `confidentiality-code`: `INVISIBLE_REPRESENTANTS_LEGAUX` asks for a minor's secret connection.
    var confidentialityCode: String?
    var extensions: Extensions?

    struct Extensions: Codable, Equatable {
        var iheIUA: IUA

        enum CodingKeys: String, CodingKey { case iheIUA = "ihe_iua" }
    }

    struct IUA: Codable, Equatable {
        var subjectRole: IUACoding?
        var purposeOfUse: IUACoding?
        var personID: String?
        var nationalProviderIdentifier: String?

        enum CodingKeys: String, CodingKey {
            case subjectRole = "subject_role"
            case purposeOfUse = "purpose_of_use"
            case personID = "person_id"
            case nationalProviderIdentifier = "national_provider_identifier"
        }
    }

    struct IUACoding: Codable, Equatable {
        var system: String
        var code: String
    }

    enum CodingKeys: String, CodingKey {
        case iss, sub, iat, exp, jti
        case actorKind = "carnet_actor"
        case accessMode = "access_mode"
        case emergencyReason = "emergency_reason"
        case specialty
        case confidentialityCode = "confidentiality_code"
        case extensions
    }

    static let secretConnectionCode = "INVISIBLE_REPRESENTANTS_LEGAUX"
    static let professionSystem = "urn:oid:1.2.250.1.213.1.1.4.5"
    static let purposeOfUseSystem = "http://terminology.hl7.org/CodeSystem/v3-ActReason"

    /// The signature-time checks; expiry is checked by ``TokenAuthority`` against the service's clock
    /// (time is injected, so tests need not wait for a token to expire).
    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard iss.value == Self.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer is not \(Self.issuer)")
        }
    }

    /// The claims that stand for `actor`, valid from `now` for `lifetime`.
    init(actor: Actor, now: Date, lifetime: TimeInterval) {
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        iss = IssuerClaim(value: Self.issuer)
        iat = IssuedAtClaim(value: now)
        exp = ExpirationClaim(value: now.addingTimeInterval(lifetime))
        jti = IDClaim(value: UUID().lowercasedText)
        actorKind = actor.kind.rawValue
        accessMode = actor.accessMode.rawValue
        emergencyReason = actor.emergencyReason
        confidentialityCode = actor.secretConnection ? Self.secretConnectionCode : nil
        var iua = IUA(purposeOfUse: IUACoding(system: Self.purposeOfUseSystem, code: actor.accessMode.purposeOfUse))
        switch actor.role {
        case .patient(let ins):
            sub = SubjectClaim(value: ins.value)
            iua.personID = "\(ins.value)^^^&\(ins.system.uri.replacingOccurrences(of: "urn:oid:", with: ""))&ISO"
        case .professional(let professional), .regulator(let professional):
            sub = SubjectClaim(value: professional.rpps.nationalID)
            iua.nationalProviderIdentifier = professional.rpps.nationalID
            iua.subjectRole = IUACoding(system: Self.professionSystem, code: professional.profession.code)
            specialty = professional.specialty
        case .agent(let id), .insurer(let id):
            sub = SubjectClaim(value: id)
        }
        extensions = Extensions(iheIUA: iua)
    }
}
