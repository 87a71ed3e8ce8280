public import CarnetCore
public import CarnetJSON
import Foundation

// The controls and the identity are read on every request that touches a record; read by hand from
// the form their `Codable` conformances write (see `DocumentEntry+StoredJSON.swift` for why).

extension AccessControls {
    public init(storedJSON text: String) throws(JSONReadError) {
        var reader = JSONReader(text)
        var authorisations: [String: Authorisation]?, blocked: [String: Date]?, careTeamOpposed: Set<String>?
        var treatingPhysician: TreatingPhysician?, breakTheGlassAllowed: Bool?, regulationAllowed: Bool?
        var documentsHiddenFromProfessionals: Bool?, legalRepresentatives: Set<String>?, feedingOpposed: Bool?
        var notifyNewDocuments: Bool?, revoked: [String: Date]?, version: Int?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if try reader.null() { continue }
            switch key {
            case "authorisations":
                authorisations = try reader.dictionary { reader throws(JSONReadError) in
                    let fields = try reader.basisAndSince()
                    return Authorisation(basis: fields.basis, since: fields.since, declaredInSecretConnection: fields.secret)
                }
            case "blocked": blocked = try reader.dictionary { reader throws(JSONReadError) in try reader.date() }
            case "careTeamOpposed": careTeamOpposed = Set(try reader.array { reader throws(JSONReadError) in try reader.string() })
            case "treatingPhysician": treatingPhysician = try reader.treatingPhysician()
            case "breakTheGlassAllowed": breakTheGlassAllowed = try reader.bool()
            case "regulationAllowed": regulationAllowed = try reader.bool()
            case "documentsHiddenFromProfessionals": documentsHiddenFromProfessionals = try reader.bool()
            case "legalRepresentatives": legalRepresentatives = Set(try reader.array { reader throws(JSONReadError) in try reader.string() })
            case "feedingOpposed": feedingOpposed = try reader.bool()
            case "notifyNewDocuments": notifyNewDocuments = try reader.bool()
            case "revoked": revoked = try reader.dictionary { reader throws(JSONReadError) in try reader.date() }
            case "version": version = try reader.int()
            default: try reader.skip()
            }
        }
        try reader.end()
        guard let authorisations, let blocked, let careTeamOpposed, let breakTheGlassAllowed, let regulationAllowed,
              let documentsHiddenFromProfessionals, let legalRepresentatives, let version
        else { throw .invalid("every required field of stored access controls") }
        self.init(authorisations: authorisations, blocked: blocked, careTeamOpposed: careTeamOpposed, treatingPhysician: treatingPhysician,
                  breakTheGlassAllowed: breakTheGlassAllowed, regulationAllowed: regulationAllowed,
                  documentsHiddenFromProfessionals: documentsHiddenFromProfessionals, legalRepresentatives: legalRepresentatives,
                  version: version)
        self.feedingOpposed = feedingOpposed
        self.notifyNewDocuments = notifyNewDocuments
        self.revoked = revoked
    }
}

extension PatientIdentity {
    public init(storedJSON text: String) throws(JSONReadError) {
        var reader = JSONReader(text)
        var birthFamilyName: String?, givenNames: [String]?, birthDate: PartialDate?, sex: AdministrativeSex?
        var birthplaceCode: String?, email: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if try reader.null() { continue }
            switch key {
            case "birthFamilyName": birthFamilyName = try reader.string()
            case "givenNames": givenNames = try reader.array { reader throws(JSONReadError) in try reader.string() }
            case "birthDate":
                let text = try reader.string()
                do { birthDate = try PartialDate(validating: text) } catch { throw .invalid("a birth date, not '\(text)'") }
            case "sex": sex = try reader.enumValue(AdministrativeSex.self)
            case "birthplaceCode": birthplaceCode = try reader.string()
            case "email": email = try reader.string()
            default: try reader.skip()
            }
        }
        try reader.end()
        guard let birthFamilyName, let givenNames, let birthDate, let sex else { throw .invalid("every required identity trait") }
        self.init(birthFamilyName: birthFamilyName, givenNames: givenNames, birthDate: birthDate, sex: sex, birthplaceCode: birthplaceCode,
                  email: email)
    }
}

extension JSONReader {
    /// An object of values keyed by strings (a Swift dictionary with `String` keys, as `Codable` writes it).
    mutating func dictionary<T>(_ value: (inout JSONReader) throws(JSONReadError) -> T) throws(JSONReadError) -> [String: T] {
        var values: [String: T] = [:]
        try beginObject()
        while let key = try nextKey() { values[key] = try value(&self) }
        return values
    }

    /// An authorisation's fields; `declaredInSecretConnection` is absent from those stored before it existed.
    fileprivate mutating func basisAndSince() throws(JSONReadError) -> (basis: Authorisation.Basis, since: Date, secret: Bool?) {
        var basis: Authorisation.Basis?, since: Date?, secret: Bool?
        try beginObject()
        while let key = try nextKey() {
            switch key {
            case "basis": basis = try enumValue(Authorisation.Basis.self)
            case "since": since = try date()
            case "declaredInSecretConnection": secret = try null() ? nil : try bool()
            default: try skip()
            }
        }
        guard let basis, let since else { throw .invalid("an authorisation's basis and date") }
        return (basis, since, secret)
    }

    fileprivate mutating func treatingPhysician() throws(JSONReadError) -> TreatingPhysician {
        var rpps: String?, since: Date?
        try beginObject()
        while let key = try nextKey() {
            switch key {
            case "rpps": rpps = try string()
            case "since": since = try date()
            default: try skip()
            }
        }
        guard let rpps, let since else { throw .invalid("a treating physician's RPPS and date") }
        return TreatingPhysician(rpps: rpps, since: since)
    }
}
