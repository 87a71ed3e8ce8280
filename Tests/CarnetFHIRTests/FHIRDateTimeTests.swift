import CarnetFHIR
import Foundation
import Testing

/// FHIR instants written by calendar arithmetic (issue 20) are Foundation's ISO 8601 text, to the millisecond.
@Suite("FHIR dateTime text")
struct FHIRDateTimeTests {
    @Test("the same text as Foundation's format style for edges: epoch, leap days, year ends, rounding, before 1970", arguments: [
        0, 0.0004, 0.0005, 0.9995, 0.999_4, -0.001, -1, -86_400.5, 951_782_400, 951_868_799.999, 1_795_000_000.123,
        4_107_542_399.9996, 253_402_300_799.999, -2_208_988_800, -62_135_596_800, 1_709_164_800, 1_709_251_199.9999,
    ])
    func edges(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(FHIRDateTime.string(date) == FHIRDateTime.foundationString(date), "\(seconds)")
    }

    @Test("the same text as Foundation's for 20,000 seeded instants from 1900 to 2200")
    func random() {
        var state: UInt64 = 2026
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let milliseconds = Int64(state >> 20) % 9_467_280_000_000 - 2_208_988_800_000
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(FHIRDateTime.string(date) == FHIRDateTime.foundationString(date), "\(milliseconds)")
        }
    }

    @Test("a millisecond-stored instant prints as itself")
    func example() {
        #expect(FHIRDateTime.string(Date(timeIntervalSince1970: 1_795_000_000.123)) == "2026-11-18T11:06:40.123Z")
    }
}
