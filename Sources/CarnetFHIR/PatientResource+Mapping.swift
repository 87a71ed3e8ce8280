public import CarnetCore
public import Foundation

/// What a client's `Patient` says about the record to create: the INS and its identity traits.
public struct PatientInput: Sendable, Equatable {
    public var ins: INS
    public var identity: PatientIdentity
}

extension PatientResource {
    /// Reads the INS and identity traits, naming the faulty element in any error.
    ///
    /// Rules (FR Core `fr-core-patient-ins`, DOMAIN.md People and identifiers): exactly one INS
    /// identifier among the INS systems (an `old` one is ignored); an official name with a family name;
    /// a gender and a birth date; for a production INS-NIR, a sex digit that agrees with the gender.
    public func input(keyChecking: INS.KeyChecking) throws(FHIRInputError) -> PatientInput {
        guard resourceType == "Patient" else {
            throw FHIRInputError("is '\(resourceType)', expected 'Patient'", at: "resourceType")
        }
        let ins = try readINS(keyChecking: keyChecking)
        let identity = try readIdentity()
        if ins.system == .nir, let expected = ins.sexDigit == "1" ? AdministrativeSex.male : ins.sexDigit == "2" ? .female : nil,
           identity.sex != expected, identity.sex == .male || identity.sex == .female {
            throw FHIRInputError("is '\(identity.sex.rawValue)' but the INS sex digit \(ins.sexDigit) says '\(expected.rawValue)'",
                                 at: "Patient.gender")
        }
        return PatientInput(ins: ins, identity: identity)
    }

    private func readINS(keyChecking: INS.KeyChecking) throws(FHIRInputError) -> INS {
        let candidates = (identifier ?? []).enumerated().filter { _, identifier in
            identifier.use != "old" && (try? INSSystem(uri: identifier.system ?? "")) != nil
        }
        guard let (index, identifier) = candidates.first else {
            throw FHIRInputError("an INS identifier is required (system urn:oid:1.2.250.1.213.1.4.8 for INS-NIR, .9 INS-NIA, .10 test, .11 demo)",
                                 at: "Patient.identifier", code: "required")
        }
        guard candidates.count == 1 else {
            throw FHIRInputError("carries \(candidates.count) INS identifiers; a patient has exactly one current INS", at: "Patient.identifier")
        }
        guard let value = identifier.value, !value.isEmpty else {
            throw FHIRInputError("is required", at: "Patient.identifier[\(index)].value", code: "required")
        }
        do {
            let system = try INSSystem(uri: identifier.system ?? "")
            return try INS(value, system: system, keyChecking: keyChecking)
        } catch {
            throw FHIRInputError(error.description, at: "Patient.identifier[\(index)].value")
        }
    }

    private func readIdentity() throws(FHIRInputError) -> PatientIdentity {
        let names = name ?? []
        guard let nameIndex = names.firstIndex(where: { $0.use == "official" }) ?? names.indices.first else {
            throw FHIRInputError("a name with the birth family name is required", at: "Patient.name", code: "required")
        }
        let chosen = names[nameIndex]
        guard let family = chosen.family?.trimmingCharacters(in: .whitespaces), !family.isEmpty else {
            throw FHIRInputError("is required (the birth family name)", at: "Patient.name[\(nameIndex)].family", code: "required")
        }
        let birthList = chosen.extension?.first { $0.url == ExtensionURL.birthListGivenName }?.valueString
        let givenNames = birthList.map { $0.split(separator: " ").map(String.init) } ?? chosen.given ?? []
        guard let genderCode = gender else { throw FHIRInputError("is required", at: "Patient.gender", code: "required") }
        guard let sex = AdministrativeSex(rawValue: genderCode) else {
            throw FHIRInputError("'\(genderCode)' is not one of male, female, other, unknown", at: "Patient.gender")
        }
        guard let birthDateText = birthDate else { throw FHIRInputError("is required", at: "Patient.birthDate", code: "required") }
        let date: PartialDate
        do { date = try PartialDate(birthDateText) } catch { throw FHIRInputError(error.description, at: "Patient.birthDate") }
        return PatientIdentity(birthFamilyName: family, givenNames: givenNames, birthDate: date, sex: sex,
                               birthplaceCode: birthplaceCode, email: try email())
    }

    /// The first e-mail `telecom`, checked for the shape of an address. Whether it becomes the record's
    /// contact is the door's decision (a professional's creation request never sets it).
    private func email() throws(FHIRInputError) -> String? {
        guard let (index, point) = telecom?.enumerated().first(where: { $0.element.system == "email" }) else { return nil }
        return try Self.checkedEmail(point.value ?? "", at: "Patient.telecom[\(index)].value")
    }

    /// `value` trimmed, if it has the shape of an e-mail address; otherwise an error naming `path`.
    public static func checkedEmail(_ value: String, at path: String) throws(FHIRInputError) -> String {
        let value = value.trimmingCharacters(in: .whitespaces)
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }),
              value.count <= 254 else {
            throw FHIRInputError("'\(value)' is not an e-mail address", at: path)
        }
        return value
    }

    private var birthplaceCode: String? {
        `extension`?.first { $0.url == ExtensionURL.birthPlace }?.valueAddress?.extension?
            .first { $0.url == ExtensionURL.inseeCode }?.valueCoding?.code
    }

    /// The FHIR view of a record's identity. `active` is the record's openness (PDSm TD0.2); a closed
    /// record carries its closure date and reason. The e-mail contact is shown only with `contact`
    /// (the patient's side and agents): professionals need the identity traits, not the address.
    public init(_ record: HealthRecord, contact: Bool = false, accessStatus: String? = nil, treatingPhysician: Bool? = nil) {
        let insIdentifier = Identifier(use: record.ins.system == .nia ? "temp" : "official", system: record.ins.system.uri,
                                       value: record.ins.value)
        var extensions: [Extension] = []
        if let code = record.identity.birthplaceCode {
            extensions.append(Extension(url: ExtensionURL.birthPlace, valueAddress: Address(extension: [
                Extension(url: ExtensionURL.inseeCode,
                          valueCoding: Coding(system: "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM", code: code)),
            ])))
        }
        if record.state == .closed {
            var closure = [Extension(url: "dateFermeture", valueDateTime: FHIRDateTime.string(record.stateChangedAt))]
            if let reason = record.stateReason { closure.append(Extension(url: "raisonFermeture", valueString: reason)) }
            extensions.append(Extension(url: ExtensionURL.recordClosure, extension: closure))
        }
        if let accessStatus { extensions.append(Extension(url: ExtensionURL.accessStatus, valueCode: accessStatus)) }
        if let treatingPhysician { extensions.append(Extension(url: ExtensionURL.treatingPhysician, valueBoolean: treatingPhysician)) }
        self.init(id: record.id.description,
                  meta: Meta(versionId: String(record.version), lastUpdated: FHIRDateTime.string(record.stateChangedAt)),
                  extension: extensions.isEmpty ? nil : extensions,
                  identifier: [insIdentifier],
                  active: record.state == .active,
                  name: [HumanName(use: "official", family: record.identity.birthFamilyName,
                                   given: record.identity.givenNames.isEmpty ? nil : record.identity.givenNames)],
                  gender: record.identity.sex.rawValue,
                  birthDate: record.identity.birthDate.description,
                  telecom: contact ? record.identity.email.map { [ContactPoint(system: "email", value: $0, use: "home")] } : nil)
    }
}

/// FHIR `instant`/`dateTime` formatting: UTC with milliseconds, rounded (not truncated) so that a
/// stored millisecond value prints as itself.
public enum FHIRDateTime {
    /// `2026-11-18T12:06:40.123Z`, written from the calendar arithmetic of UTC (days since 1970 to a
    /// civil date): two per entry of every search, Foundation's ISO 8601 format style was 4 % of a
    /// search's instructions (issue 20). The same text as ``foundationString(_:)`` (tested).
    public static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = floorDivision(milliseconds, 1000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        // Foundation's calendar is Julian before 1582: earlier dates keep its text.
        guard (1583...9999).contains(year) else { return foundationString(date) }
        let fields: [(Int64, Int)] = [(year, 4), (month, 2), (day, 2), (secondOfDay / 3600, 2), (secondOfDay % 3600 / 60, 2),
                                      (secondOfDay % 60, 2), (fraction, 3)]
        let separators: [UInt8] = Array("--T::.Z".utf8)
        return String(unsafeUninitializedCapacity: 24) { text in
            var offset = 0
            for (index, (value, width)) in fields.enumerated() {
                var remaining = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    text[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                }
                text[offset + width] = separators[index]
                offset += width + 1
            }
            return offset
        }
    }

    /// The Foundation formatting ``string(_:)`` replaced, kept for years outside 1583...9999 and as the
    /// reference its tests compare with.
    package static func foundationString(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = floorDivision(milliseconds, 1000)
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle())
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Quotient and remainder rounded down, so that an instant before 1970 has a positive fraction.
    static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
