/// A patient's national health identifier (*Identifiant National de Santé*), always valid once built.
///
/// The INS is the NIR (or NIA) of the person: 13 characters followed by a 2-digit control key,
/// where key = 97 − (number mod 97) and Corsican departments `2A`/`2B` count as `19`/`18`
/// (DOMAIN.md, People and identifiers). Building one validates the structure, so code that holds
/// an `INS` never re-checks it.
///
/// Official example files carry test identities with wrong keys, so key checking can be relaxed
/// for the test and demo systems only; a production INS-NIR is always checked.
public struct INS: Hashable, Sendable, CustomStringConvertible {
    /// The 13-character number, without the key (may contain `A` or `B` in the department).
    public let number: String
    /// The two-digit control key as written by the sender.
    public let key: Int
    /// Which national identifier system the value belongs to.
    public let system: INSSystem

    /// The 15-character form, as carried in FHIR `identifier.value`.
    public var value: String { number + (key < 10 ? "0\(key)" : "\(key)") }

    public var description: String { value }

    /// Whether checks are relaxed: only test and demo identities may have a wrong key, sex digit or month.
    public enum KeyChecking: Sendable {
        case strict
        case relaxedForTestIdentities
    }

    /// Parses and validates an INS.
    ///
    /// Spaces are ignored (INS are often printed in groups). Throws an ``INSError`` that says what is
    /// wrong and what was expected.
    public init(_ text: String, system: INSSystem = .nir, keyChecking: KeyChecking = .strict) throws(INSError) {
        let compact = text.filter { $0 != " " }.uppercased()
        guard compact.count == 15 else { throw .wrongLength(compact.count) }
        let characters = Array(compact)
        for (offset, character) in characters.enumerated() {
            let isCorsicanLetter = (offset == 6) && (character == "A" || character == "B") && characters[5] == "2"
            guard character.isASCII, character.isNumber || isCorsicanLetter else {
                throw .invalidCharacter(character, position: offset + 1)
            }
        }
        // Official example files use test identities that break the structure as well as the key
        // (PDSm's `123456789012345` has month 45): relaxing test identities relaxes both.
        let mayRelax = keyChecking == .relaxedForTestIdentities && system.isTestOrDemo
        let sex = characters[0]
        guard "123478".contains(sex) || mayRelax else { throw .invalidSex(sex) }
        let month = Int(String(characters[3...4])) ?? 0
        guard INS.validMonths.contains(month) || mayRelax else { throw .invalidMonth(String(characters[3...4])) }

        let number = String(characters[0..<13])
        guard let key = Int(String(characters[13...14])) else { throw .invalidCharacter(characters[13], position: 14) }
        if key != INS.expectedKey(for: number) && !mayRelax { throw .keyMismatch(given: key) }
        self.number = number
        self.key = key
        self.system = system
    }

    /// Month codes found in NIRs: 01–12, 20–42 and 50 for incomplete civil records, 99 for people born abroad.
    static let validMonths: Set<Int> = Set(1...12).union(20...42).union([50, 99])

    /// The control key of a 13-character number: 97 − (number mod 97), with `2A` → 19 and `2B` → 18.
    public static func expectedKey(for number: String) -> Int {
        var digits = number
        if digits.count == 13 {
            let department = digits.index(digits.startIndex, offsetBy: 5)..<digits.index(digits.startIndex, offsetBy: 7)
            switch digits[department] {
            case "2A": digits.replaceSubrange(department, with: "19")
            case "2B": digits.replaceSubrange(department, with: "18")
            default: break
            }
        }
        // 13 digits fit in Int64; reduce digit by digit to stay obviously in range.
        let remainder = digits.reduce(0) { ($0 * 10 + ($1.wholeNumberValue ?? 0)) % 97 }
        return 97 - remainder
    }

    /// The sex carried by the first digit, when it carries one (provisional numbers do as well).
    public var sexDigit: Character { number.first ?? "0" }
}

/// Why a text is not a valid INS. Each message says what was found and what is expected, except
/// for the key: a wrong key is said to be wrong, never answered with the right one, which would turn
/// a typo into another person's INS (DOMAIN.md, Saying no without saying too much).
public enum INSError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(Int)
    case invalidCharacter(Character, position: Int)
    case invalidSex(Character)
    case invalidMonth(String)
    /// Carries the key given only: the error cannot leak the key the number expects.
    case keyMismatch(given: Int)
    case unknownSystem(String)

    public var description: String {
        switch self {
        case .wrongLength(let count):
            "INS must have 15 characters (13 + a 2-digit key), found \(count)"
        case .invalidCharacter(let character, let position):
            "INS character \(position) '\(character)' is not allowed: only digits, and 2A or 2B as the department"
        case .invalidSex(let digit):
            "INS first digit '\(digit)' is not a sex code: expected 1 or 2 (3, 4, 7 or 8 for provisional numbers)"
        case .invalidMonth(let month):
            "INS birth month '\(month)' is not valid: expected 01–12, 20–42, 50 or 99"
        case .keyMismatch(let given):
            "INS key \(given < 10 ? "0\(given)" : "\(given)") does not match the number: check the INS as written on the card"
        case .unknownSystem(let system):
            "identifier system '\(system)' is not an INS system: expected urn:oid:1.2.250.1.213.1.4.8 (INS-NIR), .9 (INS-NIA), .10 (test) or .11 (demo)"
        }
    }
}
