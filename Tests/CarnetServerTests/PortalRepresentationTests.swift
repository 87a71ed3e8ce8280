import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A minor's legal representative in the patient portal: signed in as themselves, they open the
/// minor's record by its INS (someone who does not represent the minor finds nothing), act on it
/// as the representative the audit names, add and remove representatives, and go back to their own.
@Suite("Portal legal representatives")
struct PortalRepresentationTests {
    @Test("a representative opens the minor's record, adds and removes a representative; a stranger finds nothing")
    func representativeActsForMinor() async throws {
        try await withCarnetStore { client, tokens, store in
            let parent = INS.fixture(), minor = INS.fixture(3), other = INS.fixture(5)
            let parentRecord = try #require(RecordID(try await createPatient(client, tokens, parent)))
            let minorRecord = try await createPatient(client, tokens, minor, birthDate: "2016-05-01")
            try await PortalRepresentedListTests.change(client, tokens, minorRecord, parent, "add")

            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: parent, recordID: parentRecord)
            let access = try await jar.get(client, "/portal/patient/access")
            #expect(access.text.contains("Agir pour un mineur") && !access.text.contains("/portal/patient/representatives"))
            let csrf = PortalRoutesTests.csrf(in: access)
            _ = try await createPatient(client, tokens, .fixture(4), birthDate: "2015-01-01")
            let stranger = try await jar.post(client, "/portal/patient/represent", ["_csrf": csrf, "ins": INS.fixture(4).value])
            #expect(stranger.status == .badRequest && stranger.text.contains("id=\"represent-ins-error\"><p class=\"error\""),
                    "another minor's record, which this parent does not represent, is not found")
            #expect(try await jar.get(client, "/portal/patient/access").text.contains("Agir pour un mineur"), "still on their own record")

            let opened = try await jar.post(client, "/portal/patient/represent", ["_csrf": csrf, "ins": minor.value])
            #expect(opened.status == .seeOther, "\(opened.text.prefix(300))")
            let home = try await jar.get(client, "/portal/patient")
            #expect(home.status == .ok && home.text.contains("représentant légal de") && home.text.contains("class=\"banner\""))
            let minorAccess = try await jar.get(client, "/portal/patient/access")
            #expect(minorAccess.text.contains("INS \(parent.value)") && minorAccess.text.contains("/portal/patient/representatives"))
            let bad = try await jar.post(client, "/portal/patient/representatives", ["_csrf": csrf, "action": "add", "ins": "12"])
            #expect(bad.status == .badRequest && bad.text.contains("value=\"12\"") && bad.text.contains("id=\"representative-ins-error\"><p class=\"error\""))
            #expect(try await jar.post(client, "/portal/patient/representatives", ["_csrf": csrf, "action": "add", "ins": other.value]).status == .seeOther)
            #expect(try await jar.get(client, "/portal/patient/access").text.contains("INS \(other.value)"))
            #expect(try await jar.post(client, "/portal/patient/representatives", ["_csrf": csrf, "action": "remove", "ins": other.value]).status == .seeOther)
            #expect(!(try await jar.get(client, "/portal/patient/access").text.contains("INS \(other.value)")))
            let notOne = try await jar.post(client, "/portal/patient/representatives", ["_csrf": csrf, "action": "remove", "ins": other.value])
            #expect(notOne.status == .conflict && notOne.text.contains("n&#39;est pas représentant légal"), "said in French")

            let events = try await store.auditEvents(recordID: try #require(RecordID(minorRecord)), limit: 200)
            #expect(events.contains { $0.action == .manageLegalRepresentatives && $0.actorID == parent.value && $0.outcome == .success },
                    "the representative is who the audit names")

            #expect(try await jar.post(client, "/portal/patient/represent/self", ["_csrf": csrf]).status == .seeOther)
            let own = try await jar.get(client, "/portal/patient")
            #expect(!own.text.contains("représentant légal de"))
            #expect(try await jar.get(client, "/portal/patient/access").text.contains("Agir pour un mineur"))
        }
    }
}
