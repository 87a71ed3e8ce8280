import CarnetCore
import Foundation

/// How XDS writes a code (`nodeRepresentation` + a `codingScheme` OID) and how Carnet keeps it (a FHIR
/// system URI), both ways, so one document reads the same over XDS.b and over MHD.
///
/// LOINC's OID is `http://loinc.org` (as in ``CDAHeader``), the DMP visibility codes (TRE_A07) and HL7
/// confidentiality their FHIR systems; any other OID `urn:oid:<OID>`. A system that is no OID (a URI
/// pushed over MHD) is written as the coding scheme as it stands, so nothing is lost.
enum XDSCoding {
    static let loincOID = "2.16.840.1.113883.6.1"
    static let confidentialityOID = "2.16.840.1.113883.5.25"
    static let visibilityOID = "1.2.250.1.213.1.1.4.13"

    /// The FHIR system of a coding scheme.
    static func system(ofScheme scheme: String?) -> String? {
        guard let scheme = scheme?.trimmingCharacters(in: .whitespaces), !scheme.isEmpty else { return nil }
        switch scheme {
        case loincOID: return "http://loinc.org"
        case confidentialityOID: return Confidentiality.system
        case visibilityOID: return DocumentVisibility.system
        default: return isOID(scheme) ? "urn:oid:\(scheme)" : scheme
        }
    }

    /// The coding scheme of a FHIR system.
    static func scheme(ofSystem system: String?) -> String {
        switch system {
        case nil: return ""
        case "http://loinc.org"?: return loincOID
        case Confidentiality.system?, "urn:oid:\(confidentialityOID)"?: return confidentialityOID
        case DocumentVisibility.system?, DocumentVisibility.oid?: return visibilityOID
        case let system?: return system.hasPrefix("urn:oid:") ? String(system.dropFirst(8)) : system
        }
    }

    static func isOID(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } && text.first != "." && text.last != "."
    }

    /// An XDS `DTM` (`YYYY[MM[DD[hh[mm[ss]]]]]`, always UTC, ITI TF-3 Table 4.2.3.1.7-2) as an instant.
    static func date(_ text: String) -> Date? {
        let digits = Array(text.trimmingCharacters(in: .whitespaces))
        guard [4, 6, 8, 10, 12, 14].contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        func number(_ offset: Int, _ length: Int, default value: Int) -> Int {
            offset + length <= digits.count ? Int(String(digits[offset..<(offset + length)])) ?? -1 : value
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: number(0, 4, default: 1), month: number(4, 2, default: 1), day: number(6, 2, default: 1),
                                        hour: number(8, 2, default: 0), minute: number(10, 2, default: 0), second: number(12, 2, default: 0))
        guard let month = components.month, (1...12).contains(month), let day = components.day, (1...31).contains(day),
              let hour = components.hour, (0..<24).contains(hour), let minute = components.minute, (0..<60).contains(minute),
              let second = components.second, (0..<61).contains(second),
              let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// An instant as an XDS `DTM` to the second, UTC.
    static func dtm(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
                      parts.minute ?? 0, parts.second ?? 0)
    }

    /// The assigning authority's OID of an HL7 v2 `HD` (`&1.2.3&ISO`) or of a whole `CX` component.
    static func authorityOID(_ component: Substring) -> String? {
        let parts = component.split(separator: "&", omittingEmptySubsequences: false)
        let oid = parts.count > 1 ? parts[1] : parts.first ?? ""
        return oid.isEmpty ? nil : String(oid)
    }

    /// A patient's INS from an XDS `CX` (`<INS>^^^&<OID>&ISO`): the OID must be one of the INS's.
    static func ins(fromCX cx: String, keyChecking: INS.KeyChecking) throws -> INS {
        let components = cx.split(separator: "^", omittingEmptySubsequences: false)
        guard components.count >= 4, let oid = authorityOID(components[3]) else {
            throw XDSFailure(XDSVocabulary.ErrorCode.unknownPatientID,
                             "'\(cx.prefix(100))' is not a patient id: expected <INS>^^^&<INS OID>&ISO (OID 1.2.250.1.213.1.4.8 for an INS-NIR)")
        }
        do {
            return try INS(String(components[0]), system: try INSSystem(uri: oid), keyChecking: keyChecking)
        } catch {
            throw XDSFailure(XDSVocabulary.ErrorCode.unknownPatientID, "the patient id \(cx.prefix(100)): \(error)")
        }
    }

    /// An INS as an XDS `CX`.
    static func cx(_ ins: INS) -> String { "\(ins.value)^^^&\(scheme(ofSystem: ins.system.uri))&ISO" }
}
