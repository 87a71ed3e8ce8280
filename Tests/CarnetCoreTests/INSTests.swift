import CarnetCore
import CarnetTestSupport
import Testing

/// INS validation (DOMAIN.md, People and identifiers; reference/dmp-domain.md §4.2 test vectors).
@Suite("INS")
struct INSTests {
    @Test("published valid INS are accepted", arguments: [
        "295109912611193", "253072B07300470", "253072A07300443", "279035121518989", "2 95 10 99 126 111 93",
    ])
    func validINS(_ text: String) throws {
        let ins = try INS(text)
        #expect(ins.value.count == 15)
        #expect(ins.key == INS.expectedKey(for: ins.number))
    }

    @Test("a bad key is refused saying it is wrong, never what the right key would be (the typo-to-another-patient attack)")
    func badKey() {
        #expect(throws: INSError.keyMismatch(given: 42)) { try INS("295109912611142") }
        let message = INSError.keyMismatch(given: 42).description
        #expect(message == "INS key 42 does not match the number: check the INS as written on the card")
        #expect(!message.contains("93"))
        #expect(INSError.keyMismatch(given: 1).description.hasPrefix("INS key 01 does not match"))
    }

    @Test("Corsica: 2A counts as 19 and 2B as 18 before the modulo")
    func corsica() throws {
        #expect(INS.expectedKey(for: "253072A073004") == 43)
        #expect(INS.expectedKey(for: "253072B073004") == 70)
        let withNineteen = 97 - (2_530_719_073_004 % 97)
        #expect(INS.expectedKey(for: "253072A073004") == withNineteen)
        let withEighteen = 97 - (2_530_718_073_004 % 97)
        #expect(INS.expectedKey(for: "253072B073004") == withEighteen)
        #expect(throws: INSError.keyMismatch(given: 70)) { try INS("253072A07300470") }
    }

    @Test("lengths other than 15 are refused, saying what was found", arguments: [
        ("", 0), ("29510991261119", 14), ("2951099126111930", 16), ("1234", 4),
    ])
    func wrongLength(_ text: String, _ count: Int) {
        #expect(throws: INSError.wrongLength(count)) { try INS(text) }
    }

    @Test("letters are refused except A/B as the second department character after a 2", arguments: [
        ("29510991261119X", "X", 15), ("2951099126A1193", "A", 11), ("253073A07300443", "A", 7), ("2530721B7300443", "B", 8),
        ("29510-912611193", "-", 6),
    ])
    func invalidCharacters(_ text: String, _ character: Character, _ position: Int) {
        #expect(throws: INSError.invalidCharacter(character, position: position)) { try INS(text) }
    }

    @Test("the first digit must be a sex code", arguments: ["0", "5", "6", "9"])
    func invalidSex(_ digit: String) {
        #expect(throws: INSError.invalidSex(Character(digit))) { try INS(digit + "95109912611193") }
    }

    @Test("provisional sex codes 3, 4, 7, 8 are accepted", arguments: ["3", "4", "7", "8"])
    func provisionalSex(_ digit: String) throws {
        let number = digit + "851075056123"
        let key = INS.expectedKey(for: number)
        _ = try INS(number + (key < 10 ? "0\(key)" : "\(key)"))
    }

    @Test("months 01–12, 20–42, 50 and 99 are valid; others are not", arguments: 0...99)
    func months(_ month: Int) throws {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        let number = "185\(monthText)75056123"
        let key = INS.expectedKey(for: number)
        let text = number + (key < 10 ? "0\(key)" : "\(key)")
        let valid = (1...12).contains(month) || (20...42).contains(month) || month == 50 || month == 99
        if valid {
            _ = try INS(text)
        } else {
            #expect(throws: INSError.invalidMonth(monthText)) { try INS(text) }
        }
    }

    @Test("a wrong key may be relaxed for test and demo identities only", arguments: INSSystem.allCases)
    func relaxedKeys(_ system: INSSystem) {
        let wrong = "123456789012345"  // the PDSm examples' INS; its right key would be 11
        let relaxed = try? INS(wrong, system: system, keyChecking: .relaxedForTestIdentities)
        #expect((relaxed != nil) == (system == .test || system == .demo))
        #expect(throws: INSError.self) { try INS(wrong, system: system, keyChecking: .strict) }
    }

    @Test("every computed key validates, over many synthetic numbers")
    func keysRoundTrip() throws {
        for seed in stride(from: 0, to: 200_000, by: 997) {
            let ins = INS.fixture(seed)
            #expect(try INS(ins.value) == ins)
        }
    }

    @Test("INS systems read the urn:oid: form and the bare OID")
    func systems() throws {
        #expect(try INSSystem(uri: "urn:oid:1.2.250.1.213.1.4.8") == .nir)
        #expect(try INSSystem(uri: "1.2.250.1.213.1.4.10") == .test)
        #expect(throws: INSError.unknownSystem("urn:oid:1.2.3")) { try INSSystem(uri: "urn:oid:1.2.3") }
    }
}
