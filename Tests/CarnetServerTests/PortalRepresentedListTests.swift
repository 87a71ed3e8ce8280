import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A parent's home page lists the minors they represent, and switching between their own record and
/// a minor's is one click each way; a representative removed no longer sees the minor, nor opens it.
@Suite("Portal list of represented minors")
struct PortalRepresentedListTests {
    typealias Jar = PortalRoutesTests.Jar

    /// Creates a minor's record as an agent and names `parent` their legal representative; returns its id.
    static func minor(_ client: any TestClientProtocol, _ tokens: Tokens, _ ins: INS, family: String, born: String,
                      representedBy parent: INS) async throws -> String {
        let created = try await client.execute(uri: "/fhir/Patient", method: .post, headers: try await tokens.bearer(.agent) + fhirJSON,
                                               body: patientBody(ins, family: family, birthDate: born))
        let id = try #require(created.json["id"] as? String)
        try await change(client, tokens, id, parent, "add")
        return id
    }

    static func change(_ client: any TestClientProtocol, _ tokens: Tokens, _ record: String, _ representative: INS, _ action: String) async throws {
        let body = ByteBuffer.json("""
            {"resourceType": "Parameters", "parameter": [
              {"name": "patient", "valueIdentifier": {"system": "\(representative.system.uri)", "value": "\(representative.value)"}},
              {"name": "action", "valueCode": "\(action)"}]}
            """)
        let response = try await client.execute(uri: "/fhir/Patient/\(record)/$legal-representative", method: .post,
                                                headers: try await tokens.bearer(.agent) + fhirJSON, body: body)
        #expect(response.status == .ok, "\(response.text)")
    }

    @Test("the home lists each minor with birth date and a button; one click opens the minor's record, one click comes back")
    func listAndSwitch() async throws {
        try await withCarnetStore { client, tokens, store in
            let parent = INS.fixture(), stranger = INS.fixture(7)
            let parentRecord = try #require(RecordID(try await createPatient(client, tokens, parent)))
            let ines = try await Self.minor(client, tokens, .fixture(3), family: "BERNARD", born: "2016-05-01", representedBy: parent)
            let jules = try await Self.minor(client, tokens, .fixture(4), family: "PETIT", born: "2019-02-03", representedBy: parent)
            let strangerRecord = try #require(RecordID(try await createPatient(client, tokens, stranger)))

            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: parent, recordID: parentRecord)
            let home = try await jar.get(client, "/portal/patient")
            #expect(home.status == .ok)
            #expect(home.text.contains("Les mineurs que vous représentez"))
            #expect(home.text.contains("<strong>Anne BERNARD</strong>, née le 01/05/2016") && home.text.contains("<strong>Anne PETIT</strong>, née le 03/02/2019"),
                    "\(home.text)")
            #expect(home.text.contains("name=\"record\" value=\"\(ines)\"") && home.text.contains("Agir pour Anne BERNARD"))
            let csrf = PortalRoutesTests.csrf(in: home)

            let opened = try await jar.post(client, "/portal/patient/represent", ["_csrf": csrf, "record": ines])
            #expect(opened.status == .seeOther && opened.headers[.location] == "/portal/patient")
            let minorHome = try await jar.get(client, "/portal/patient")
            #expect(minorHome.text.contains("représentant légal de <strong>Anne BERNARD</strong>"), "the banner says for whom")
            #expect(minorHome.text.contains("name=\"record\" value=\"\(jules)\""), "the other minor is one click away too")
            #expect(!minorHome.text.contains("name=\"record\" value=\"\(ines)\""), "the open record is marked, not offered")
            let events = try await store.auditEvents(recordID: try #require(RecordID(ines)), limit: 50)
            #expect(events.contains { $0.action == .readIdentity && $0.actorID == parent.value && $0.detail?.contains("listed") == true },
                    "the list is an audited read of each minor's record")

            jar.cookies["carnet_lang"] = "en"
            #expect(try await jar.get(client, "/portal/patient").text.contains("The minors you represent"))
            jar.cookies["carnet_lang"] = "fr"

            let back = try await jar.post(client, "/portal/patient/represent/self", ["_csrf": csrf])
            #expect(back.status == .seeOther)
            #expect(!(try await jar.get(client, "/portal/patient").text.contains("représentant légal de")))

            let notTheirs = try await jar.post(client, "/portal/patient/represent", ["_csrf": csrf, "record": strangerRecord.description])
            #expect(notTheirs.status == .notFound, "a record this person does not represent does not open")
            let garbage = try await jar.post(client, "/portal/patient/represent", ["_csrf": csrf, "record": "not-an-id"])
            #expect(garbage.status == .notFound)

            try await Self.change(client, tokens, ines, parent, "remove")
            let after = try await jar.get(client, "/portal/patient")
            #expect(!after.text.contains("Anne BERNARD") && after.text.contains("Anne PETIT"), "a removed representative no longer sees the minor")
            #expect(try await jar.post(client, "/portal/patient/represent", ["_csrf": csrf, "record": ines]).status == .notFound)
        }
    }

    @Test("a person who represents nobody sees no such list")
    func nobody() async throws {
        try await withCarnetStore { client, tokens, store in
            let recordID = try #require(RecordID(try await createPatient(client, tokens)))
            let jar = Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let home = try await jar.get(client, "/portal/patient")
            #expect(home.status == .ok && !home.text.contains("id=\"represented\""))
        }
    }
}
