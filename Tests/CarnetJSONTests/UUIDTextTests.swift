import CarnetJSON
import Foundation
import Testing

/// The fast UUID text (issue 20) must be Foundation's, byte for byte, both ways.
@Suite("UUID text")
struct UUIDTextTests {
    @Test("writes what uuidString writes, in both cases, for 10,000 random UUIDs")
    func formatsAsFoundation() {
        for _ in 0..<10_000 {
            let uuid = UUID()
            #expect(uuid.uppercasedText == uuid.uuidString)
            #expect(uuid.lowercasedText == uuid.uuidString.lowercased())
        }
        let extremes = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                        UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for uuid in extremes { #expect(uuid.uppercasedText == uuid.uuidString) }
    }

    @Test("reads back what it and Foundation write, in either case or mixed")
    func parsesAsFoundation() {
        for _ in 0..<10_000 {
            let uuid = UUID()
            #expect(UUID(text: uuid.uuidString) == uuid)
            #expect(UUID(text: uuid.lowercasedText) == uuid)
            let mixed = String(uuid.uuidString.enumerated().map { $0.offset.isMultiple(of: 2) ? Character($0.element.lowercased()) : $0.element })
            #expect(UUID(text: mixed) == uuid)
            #expect(UUID(text: Substring("{" + uuid.uuidString + "}").dropFirst().dropLast()) == uuid)
        }
    }

    @Test("refuses anything but the canonical form, as Foundation does", arguments: [
        "", "0", "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000",
        "000000000-000-0000-0000-000000000000", "00000000-0000-0000-0000+000000000000", "00000000_0000_0000_0000_000000000000",
        "0000000g-0000-0000-0000-000000000000", "{0000000-0000-0000-0000-00000000000}", "0000000é-0000-0000-0000-00000000000",
        "00000000-0000-0000-0000-00000000000\u{0}", "000000000000000000000000000000000000", "00000000-0000-0000-0000-0000000000٣",
    ])
    func refusesAsFoundation(_ text: String) {
        #expect(UUID(text: text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }

    /// Foundation's parser reads each pair with `sscanf("%2hhx")`, so it also takes a pair with a
    /// blank or a sign in it (`"6F 2"`, `"DF-9"`); Carnet takes the canonical form only: an id with a
    /// blank in it names nothing.
    @Test("refuses a blank or a sign inside a pair, which Foundation's sscanf lets through", arguments: [
        "FD8F60E6-6F 2-4008-9637-203DB9584605", "D 5DF74F-327B-4D5B-AA67-6FADEDB3BF7A", "DF-980CC-8D32-4DD5-A375-503E32730815",
    ])
    func refusesWhatSscanfTakes(_ text: String) {
        #expect(UUID(text: text) == nil)
    }

    @Test("20,000 seeded near-misses (one character of a valid text changed): taken exactly when canonical, then as Foundation reads it")
    func agreesOnNearMisses() {
        var generator = SeededGenerator(seed: 20)
        let alphabet = Array("0123456789abcdefABCDEFgG-_ +{}xé\u{0}")
        for _ in 0..<20_000 {
            var characters = Array(UUID().uuidString)
            let position = Int.random(in: 0..<characters.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: characters[position] = alphabet.randomElement(using: &generator)!
            case 1: characters.remove(at: position)
            default: characters.insert(alphabet.randomElement(using: &generator)!, at: position)
            }
            let text = String(characters)
            #expect((UUID(text: text) != nil) == Self.isCanonical(text), "\(text)")
            if let parsed = UUID(text: text) { #expect(parsed == UUID(uuidString: text), "\(text)") }
        }
    }

    /// 8-4-4-4-12 ASCII hexadecimal digits, written out the slow, obvious way.
    static func isCanonical(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isHexDigit } }
    }
}

/// SplitMix64: the same sequence on every run, so a failure names a text that fails again.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
