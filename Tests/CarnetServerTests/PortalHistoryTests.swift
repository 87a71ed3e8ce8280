import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The patient's history and home alerts through the real router: filters sent in form bodies and
/// decided by the database, a bad filter said beside its field, and alerts that hundreds of the
/// patient's own page views cannot push out of sight.
@Suite("Portal history")
struct PortalHistoryTests {
    typealias Jar = PortalRoutesTests.Jar

    @Test("history filters by professional, emergency and date, pages, and home alerts outlast the patient's own page views",
          arguments: TestEngine.available)
    func filtersAndAlerts(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            _ = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor("99700000011")), DocumentRoutesTests.documentBody())
            let emergency = try await tokens.bearer(.doctor("99700000012", mode: .breakTheGlass, reason: "coma au domicile"))
            let read = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patient)", method: .get, headers: emergency)
            #expect(read.status == .ok)
            // The patient's own page views, many more than any window of recent events would hold.
            for second in 0..<400 {
                try await store.appendAudit(AuditEvent(recordID: recordID, recordedAt: Date().addingTimeInterval(Double(second) / 1000), actor: .patient(.fixture()),
                                                       action: .readSummary, outcome: .success, rule: .holderActsOnOwnRecord))
            }
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)

            let home = try await jar.get(client, "/portal/patient")
            #expect(home.text.contains("coma au domicile"), "the emergency access is still an alert")
            #expect(home.text.contains("RPPS 99700000012") && home.text.contains("Nouveaux professionnels"))
            #expect(!home.text.contains("RPPS 99700000011 —"), "the author who only fed the record has not consulted it")

            let history = try await jar.get(client, "/portal/patient/history")
            #expect(history.text.contains("coma au domicile"), "by default, everyone but the patient: the emergency is on the first page")
            let csrf = PortalRoutesTests.csrf(in: history)
            let onePro = try await jar.post(client, "/portal/patient/history", ["_csrf": csrf, "who": "all", "rpps": "99700000012"])
            #expect(onePro.status == .ok && onePro.text.contains("coma au domicile") && !onePro.text.contains("RPPS 99700000011"))
            #expect(onePro.text.contains("value=\"99700000012\""), "the filter is shown again")
            let noEmergency = try await jar.post(client, "/portal/patient/history", ["_csrf": csrf, "who": "all", "rpps": "99700000011", "emergency": "yes"])
            #expect(noEmergency.text.contains("<p>0 "), "the author had no emergency access")
            let yours = try await jar.post(client, "/portal/patient/history", ["_csrf": csrf, "who": "patient", "page": "2"])
            #expect(yours.text.contains("Page 2 /") && !yours.text.contains("coma au domicile"))
            let future = try await jar.post(client, "/portal/patient/history", ["_csrf": csrf, "who": "all", "from": "2999-01-01"])
            #expect(future.text.contains("<p>0 "))
            let action = try await jar.post(client, "/portal/patient/history", ["_csrf": csrf, "who": "all", "action": Action.createDocument.rawValue])
            #expect(action.text.contains("<p>1 "), "one document added")

            let badRPPS = try await jar.post(client, "/portal/patient/history", ["_csrf": csrf, "rpps": "123", "from": "31/12/2026"])
            #expect(badRPPS.status == .badRequest)
            #expect(badRPPS.text.contains("id=\"history-rpps\" name=\"rpps\" inputmode=\"numeric\" autocomplete=\"off\" value=\"123\" aria-describedby=\"history-rpps-error\" aria-invalid=\"true\""))
            #expect(badRPPS.text.contains("11 chiffres") && badRPPS.text.contains("AAAA-MM-JJ"))
            #expect(try await jar.post(client, "/portal/patient/history", ["_csrf": "forged", "who": "all"]).status == .forbidden)
        }
    }
}
