import CarnetCore
import Foundation
import Testing

@Suite("Professional identifiers and dates")
struct IdentityTests {
    @Test("RPPS: 11 digits, or the 12-digit national id starting with 8")
    func rpps() throws {
        #expect(try RPPS("99700218896").value == "99700218896")
        #expect(try RPPS("899700218896").value == "99700218896")
        #expect(try RPPS("99700218896").nationalID == "899700218896")
        #expect(throws: RPPSError.wrongLength(10)) { try RPPS("9970021889") }
        #expect(throws: RPPSError.wrongLength(12)) { try RPPS("999700218896") }
        #expect(throws: RPPSError.notDigits("9970021889X")) { try RPPS("9970021889X") }
    }

    @Test("profession codes are G15 digit codes", arguments: ["10", "21", "40", "50", "60", "70", "80", "91", "92", "353"])
    func professions(_ code: String) throws {
        #expect(try Profession(code: code).code == code)
    }

    @Test("non-numeric or empty profession codes are refused", arguments: ["", "ab", "1O", "12345", "G15_10"])
    func badProfessions(_ code: String) {
        #expect(throws: ProfessionError.invalidCode(code)) { try Profession(code: code) }
    }

    @Test("partial dates: YYYY, YYYY-MM and YYYY-MM-DD, with real days only", arguments: [
        ("1985", true), ("1985-07", true), ("1985-07-12", true), ("2024-02-29", true), ("2000-02-29", true),
        ("1900-02-29", false), ("2023-02-29", false), ("2023-04-31", false), ("2023-13-01", false), ("2023-1-01", false),
        ("85-07-12", false), ("1985-07-12T00:00", false), ("abcd", false), ("", false), ("1700-01-01", false),
    ])
    func partialDates(_ text: String, _ valid: Bool) throws {
        if valid {
            #expect(try PartialDate(text).description == text)
        } else {
            #expect(throws: PartialDateError.malformed(text)) { try PartialDate(text) }
        }
    }

    @Test("access modes map IHE IUA purposes of use")
    func accessModes() {
        #expect(AccessMode(purposeOfUse: "TREAT", regulation: false) == .normal)
        #expect(AccessMode(purposeOfUse: "ETREAT", regulation: false) == .breakTheGlass)
        #expect(AccessMode(purposeOfUse: "ETREAT", regulation: true) == .centre15)
        #expect(AccessMode(purposeOfUse: "HPAYMT", regulation: false) == nil)
        #expect(AccessMode.breakTheGlass.rawValue == "bris_de_glace")
        #expect(AccessMode.centre15.purposeOfUse == "ETREAT")
    }

    @Test("validated identifiers decode only through their rules")
    func stringCodable() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode([RPPS].self, from: Data(#"["899700218896"]"#.utf8)) == [try RPPS("99700218896")])
        #expect(try decoder.decode([Profession].self, from: Data(#"["21"]"#.utf8)) == [.pharmacist])
        #expect(try decoder.decode([PartialDate].self, from: Data(#"["1985-07"]"#.utf8)) == [try PartialDate("1985-07")])
        #expect(throws: DecodingError.self) { try decoder.decode([RPPS].self, from: Data(#"["123"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode([PartialDate].self, from: Data(#"["1985-02-30"]"#.utf8)) }
        let encoded = try JSONEncoder().encode([try RPPS("899700218896")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["99700218896"]"#)
    }
}
