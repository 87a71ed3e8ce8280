public import Foundation
/// The identity traits that go with an INS (*traits d'identité*): what a professional checks against
/// the person in front of them before trusting the record.
///
/// Birth names are kept as declared at birth; a used name may differ and is not an identity trait.
public struct PatientIdentity: Hashable, Sendable, Codable {
    public var birthFamilyName: String
    /// Given names in civil-status order; the first one is the usual first name.
    public var givenNames: [String]
    public var birthDate: PartialDate
    public var sex: AdministrativeSex
    /// INSEE code of the birthplace commune (5 characters; `99xxx` for a country abroad).
    public var birthplaceCode: String?
    /// Where the patient's notifications go (first access, emergency access…); a contact, not an
    /// identity trait, kept here because it travels with the Patient resource (`telecom`).
    public var email: String?

    public init(birthFamilyName: String, givenNames: [String], birthDate: PartialDate, sex: AdministrativeSex, birthplaceCode: String? = nil,
                email: String? = nil) {
        self.email = email
        self.birthFamilyName = birthFamilyName
        self.givenNames = givenNames
        self.birthDate = birthDate
        self.sex = sex
        self.birthplaceCode = birthplaceCode
    }
}

extension PatientIdentity {
    /// Whether the person is under `ageOfMajority` at `now` (Paris time). A partial birth date counts
    /// from its earliest possible day, so a young adult is never kept a minor by a missing day.
    public func isMinor(at now: Date, ageOfMajority: Int) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let birth = DateComponents(year: birthDate.year, month: birthDate.month ?? 1, day: birthDate.day ?? 1)
        guard let born = calendar.date(from: birth), let majority = calendar.date(byAdding: .year, value: ageOfMajority, to: born) else { return false }
        return now < majority
    }
}

/// Administrative sex as FHIR codes it (`AdministrativeGender`); the INS sex digit maps onto male/female.
public enum AdministrativeSex: String, Sendable, Codable, CaseIterable {
    case male, female, other, unknown
}

/// A birth date that may lack its day or month, as civil records sometimes do (FHIR `date`).
public struct PartialDate: Hashable, Sendable, StringCodable, CustomStringConvertible, Comparable {
    public let year: Int
    public let month: Int?
    public let day: Int?

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists in that month.
    public init(_ text: String) throws(PartialDateError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), year >= 1800
        else { throw .malformed(text) }
        let month = parts.count > 1 ? Int(parts[1]) : nil
        let day = parts.count > 2 ? Int(parts[2]) : nil
        if let month, !(1...12).contains(month) { throw .malformed(text) }
        if let month, let day, !(1...PartialDate.daysIn(month: month, year: year)).contains(day) { throw .malformed(text) }
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = padded(year, 4)
        if let month { text += "-" + padded(month, 2) }
        if let day { text += "-" + padded(day, 2) }
        return text
    }

    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(validating text: String) throws(PartialDateError) { try self.init(text) }

    public var stringForm: String { description }
}

public enum PartialDateError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let text): "'\(text)' is not a valid date: expected YYYY, YYYY-MM or YYYY-MM-DD"
        }
    }
}
