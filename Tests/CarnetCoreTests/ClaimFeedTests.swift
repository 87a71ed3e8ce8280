import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// The insurer's feed formats: every field read, every bad line named.
@Suite("Claims feed")
struct ClaimFeedTests {
    static let ins = INS.fixture()

    static func line(_ overrides: [String: String] = [:], removing: [String] = []) -> Substring {
        var fields = ["claimId": "C-1", "ins": ins.value, "insSystem": ins.system.uri, "serviceDate": "2026-03-14", "code": "YYYY010",
                      "codeSystem": "https://www.ameli.fr/ccam", "label": "Consultation (synthetic)", "prescriber": "99700000011",
                      "performer": "Cabinet Test", "charged": "30", "reimbursed": "21,5"]
        for (key, value) in overrides { fields[key] = value }
        for key in removing { fields[key] = nil }
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return Substring(String(decoding: data, as: UTF8.self))
    }

    @Test("a complete NDJSON line")
    func complete() throws {
        let claim = try ClaimFeed.claim(ndjson: Self.line(), keyChecking: .strict)
        #expect(claim.id == "C-1" && claim.ins == Self.ins && claim.serviceDate.description == "2026-03-14")
        #expect(claim.code == Code(system: "https://www.ameli.fr/ccam", code: "YYYY010") && claim.prescriberRPPS == "99700000011")
        #expect(claim.chargedCents == 3_000 && claim.reimbursedCents == 2_150)
        let minimal = try ClaimFeed.claim(ndjson: Self.line(removing: ["insSystem", "prescriber", "performer", "charged", "reimbursed", "codeSystem"]),
                                          keyChecking: .strict)
        #expect(minimal.ins.system == .nir && minimal.chargedCents == nil && minimal.code.system == nil)
    }

    @Test("bad lines are refused naming the field", arguments: [
        (line(removing: ["claimId"]), "claimId is required"),
        (line(["ins": "285077500000199"]), "ins"),
        (line(["serviceDate": "2026-02-30"]), "serviceDate"),
        (line(["serviceDate": "2026-03"]), "serviceDate"),
        (line(["prescriber": "123"]), "prescriber"),
        (line(["charged": "12.345"]), "charged"),
        (line(["reimbursed": "-3"]), "reimbursed"),
        (line(removing: ["label"]), "label is required"),
        (Substring("{not json"), "not a JSON object"),
        (Substring(#"{"claimId": ["x"]}"#), "claimId must be a string"),
    ])
    func badLines(_ line: Substring, _ reason: String) {
        #expect(throws: ClaimLineError.self) { try ClaimFeed.claim(ndjson: line, keyChecking: .strict) }
        do {
            _ = try ClaimFeed.claim(ndjson: line, keyChecking: .strict)
        } catch {
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test("CSV fields: separators, quotes, doubled quotes")
    func csv() throws {
        #expect(try ClaimFeed.csvFields(#"a;"b;c";"say ""hi""";"#, separator: ";") == ["a", "b;c", #"say "hi""#, ""])
        #expect(try ClaimFeed.csvFields("1,2", separator: ",") == ["1", "2"])
        #expect(throws: ClaimLineError.self) { try ClaimFeed.csvFields(#"a;"b"#, separator: ";") }
    }

    @Test("the 24-month window starts two years back, to the day")
    func window() {
        #expect(Claim.windowStart(at: Date(timeIntervalSince1970: 1_795_392_000)).description == "2024-11-23")
    }
}
