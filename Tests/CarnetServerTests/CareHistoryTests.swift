import CarnetCore
@testable import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The insurer's feed end to end: imported before the record exists, idempotent, resumable, bad lines
/// set aside; read as `ExplanationOfBenefit` within 24 months, by whom the rules allow.
@Suite("Care history")
struct CareHistoryTests {
    static func day(_ daysAgo: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let date = calendar.date(byAdding: .day, value: -daysAgo, to: Date()) ?? Date()
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func line(_ id: String, ins: INS = .fixture(), daysAgo: Int) -> String {
        #"{"claimId": "\#(id)", "ins": "\#(ins.value)", "insSystem": "\#(ins.system.uri)", "serviceDate": "\#(day(daysAgo))", "code": "3400930000000", "codeSystem": "urn:oid:1.2.250.1.213.2.3.1", "label": "Médicament (synthetic)", "prescriber": "99700000011", "charged": "12.30", "reimbursed": "8.61"}"#
    }

    @Test("import before the record, re-import as a no-op, then read within 24 months as the rules allow", arguments: TestEngine.available)
    func importAndRead(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            try await TemporaryDirectory.with { directory async throws in
                let file = directory.appendingPathComponent("claims.ndjson")
                let lines = [Self.line("C1", daysAgo: 10), Self.line("C2", daysAgo: 400), #"{"claimId": "broken"}"#, Self.line("C3", daysAgo: 800),
                             Self.line("C4", ins: .fixture(2), daysAgo: 5), ""]
                try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
                let importer = ClaimImporter(store: store, keyChecking: .relaxedForTestIdentities, batchSize: 2)
                let feed = Actor(role: .insurer(id: "import:test"))
                let first = try await importer.run(file: file, by: feed)
                #expect(first.imported == 4 && first.rejected == 1 && first.duplicates == 0, "\(first)")
                let rejects = try String(contentsOf: file.appendingPathExtension("rejects"), encoding: .utf8)
                #expect(rejects.hasPrefix("line 3: ") && rejects.contains("ins is required"), "\(rejects)")

                let again = try await importer.run(file: file, by: feed)
                #expect(again.resumedAfter == 5 && again.imported == 4, "a finished import resumes past its end: \(again)")
                try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: file.path)
                let replay = try await importer.run(file: file, by: feed)
                #expect(replay.imported == 0 && replay.duplicates == 4 && replay.rejected == 1, "\(replay)")

                // The record is created after its claims arrived: they are there.
                let patientID = try await createPatient(client, tokens)
                let holder = try await tokens.bearer(.patient(.fixture()))
                let history = try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patientID)", method: .get, headers: holder)
                #expect(history.status == .ok && history.json["total"] as? Int == 2, "the 800-day-old claim is outside 24 months: \(history.text)")
                let recent = try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patientID)&service-date=ge\(Self.day(30))",
                                                      method: .get, headers: holder)
                #expect(recent.json["total"] as? Int == 1)

                let physician = try await tokens.bearer(.doctor("99700000022"))
                let physiotherapist = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS("99700000070"), profession: .physiotherapist))))
                #expect(try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patientID)", method: .get, headers: physician)
                    .json["total"] as? Int == 0)
                for rpps in ["99700000022", "99700000070"] {
                    _ = try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                                 body: AccessControlRoutesTests.professional(rpps))
                }
                #expect(try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patientID)", method: .get, headers: physician)
                    .json["total"] as? Int == 2)
                #expect(try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patientID)", method: .get, headers: physiotherapist)
                    .json["total"] as? Int == 0, "the matrix does not grant the care history to physiotherapists")
                #expect(try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patientID)", method: .get,
                                                 headers: try await tokens.bearer(.agent)).json["total"] as? Int == 0)
                let bad = try await client.execute(uri: "/fhir/ExplanationOfBenefit?patient=\(patientID)&service-date=soon", method: .get, headers: holder)
                #expect(bad.status == .badRequest && bad.expression == "service-date")

                #expect(try await store.purgeClaims(before: Claim.windowStart(at: Date())) == 1)
            }
        }
    }

    @Test("a CSV feed with a ';' header and quoted fields", arguments: TestEngine.available)
    func csvFeed(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            try await TemporaryDirectory.with { directory async throws in
                let file = directory.appendingPathComponent("claims.csv")
                let ins = INS.fixture()
                let rows = [
                    "claimId;ins;insSystem;serviceDate;code;codeSystem;label;prescriber;performer;charged;reimbursed",
                    "K1;\(ins.value);\(ins.system.uri);\(Self.day(3));C;https://www.ameli.fr/ngap;" + #""Consultation; généraliste (synthetic)";99700000011;"Dr ""Test""";26,50;18,55"#,
                    "K2;\(ins.value);\(ins.system.uri);\(Self.day(2));C;https://www.ameli.fr/ngap;too;few",
                ]
                try rows.joined(separator: "\r\n").write(to: file, atomically: true, encoding: .utf8)
                let summary = try await ClaimImporter(store: store, keyChecking: .relaxedForTestIdentities)
                    .run(file: file, by: Actor(role: .insurer(id: "import:test")))
                #expect(summary.imported == 1 && summary.rejected == 1, "\(summary)")
                let claim = try #require(try await store.claims(ins: ins, from: Claim.windowStart(at: Date())).first)
                #expect(claim.label == "Consultation; généraliste (synthetic)" && claim.performer == #"Dr "Test""# && claim.chargedCents == 2_650)
            }
        }
    }

    @Test("the feed over HTTP: 202 and a status URL, then the summary; only for the insurer", arguments: TestEngine.available)
    func bulkImport(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let insurer = try await tokens.bearer(.insurer)
            let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]
            let body = ByteBuffer(string: [Self.line("H1", daysAgo: 3), Self.line("H2", daysAgo: 4), "not json"].joined(separator: "\n"))
            let accepted = try await client.execute(uri: "/fhir/$import-claims", method: .post, headers: insurer + ndjson, body: body)
            #expect(accepted.status == .accepted, "\(accepted.text)")
            let status = try #require(accepted.headers[.contentLocation]).replacingOccurrences(of: "http://carnet.test", with: "")
            let report = try await client.execute(uri: status, method: .get, headers: insurer + [.prefer: "wait=30"])
            let values = (report.json["parameter"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) { result, parameter in
                result[parameter["name"] as? String ?? ""] = parameter["valueInteger"] as? Int
            }
            #expect(report.status == .ok && values["imported"] == 2 && values["rejected"] == 1, "\(report.text)")
            #expect(try await client.execute(uri: status, method: .get, headers: try await tokens.bearer(Actor(role: .insurer(id: "other")))).status
                == .notFound)

            let badHeader = try await client.execute(uri: "/fhir/$import-claims", method: .post, headers: insurer + [.contentType: "text/csv"],
                                                     body: ByteBuffer(string: "id;who\n1;2"))
            let badStatus = try #require(badHeader.headers[.contentLocation]).replacingOccurrences(of: "http://carnet.test", with: "")
            let refused = try await client.execute(uri: badStatus, method: .get, headers: insurer + [.prefer: "wait=30"])
            #expect(refused.status == .unprocessableContent && refused.diagnostics.contains("claimId"), "\(refused.text)")

            #expect(try await client.execute(uri: "/fhir/$import-claims", method: .post, headers: try await tokens.bearer(.doctor()) + ndjson,
                                             body: body).status == .forbidden)
            #expect(try await client.execute(uri: "/fhir/$import-claims", method: .post, headers: insurer + fhirJSON, body: body).status
                == .unsupportedMediaType)
        }
    }
}
