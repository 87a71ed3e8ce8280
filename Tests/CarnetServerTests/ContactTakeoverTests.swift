import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 23.3 (High): a professional who created a record chose its contact, so the portal's one-time
/// sign-in codes went to that professional — a takeover of the holder's account. The contact now comes
/// from the holder (or an agent after checking identity) only, and a change is told to the previous address.
@Suite("Contact takeover")
struct ContactTakeoverTests {
    static func body(_ ins: INS, email: String) -> ByteBuffer {
        .json("""
        {"resourceType":"Patient","identifier":[{"use":"official","system":"\(ins.system.uri)","value":"\(ins.value)"}],
         "name":[{"use":"official","family":"MARTIN","given":["Anne"]}],"gender":"female","birthDate":"1985-07-12",
         "telecom":[{"system":"email","value":"\(email)"}]}
        """)
    }

    static func email(_ parameters: String) -> ByteBuffer {
        .json(#"{"resourceType": "Parameters", "parameter": [{"name": "email", "valueString": "\#(parameters)"}]}"#)
    }

    @Test("a professional's creation request never sets the contact sign-in codes go to; the holder sets it, the previous address is told",
          arguments: TestEngine.available)
    func professionalCannotChooseTheContact(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let ins = INS.fixture()
            let doctor = try await tokens.bearer(.doctor())
            // The attack: create the record with the professional's own address as its contact.
            let created = try await client.execute(uri: "/fhir/Patient", method: .post, headers: doctor + fhirJSON,
                                                   body: Self.body(ins, email: "attaquant@example.org"))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let recordID = try #require(RecordID(id))
            #expect(try await store.record(id: recordID)?.identity.email == nil, "the professional's telecom is not the record's contact")
            let holder = try await tokens.bearer(.patient(ins))
            #expect(try await client.execute(uri: "/fhir/Patient/\(id)", method: .get, headers: holder).json["telecom"] == nil)

            // A professional cannot set it afterwards either.
            let byDoctor = try await client.execute(uri: "/fhir/Patient/\(id)/$contact", method: .post, headers: doctor + fhirJSON,
                                                    body: Self.email("attaquant@example.org"))
            #expect(byDoctor.status == .forbidden, "\(byDoctor.text)")
            #expect(try await store.record(id: recordID)?.identity.email == nil)

            // The holder sets it (audited); a change later is told to the previous address, not the new one.
            let set = try await client.execute(uri: "/fhir/Patient/\(id)/$contact", method: .post, headers: holder + fhirJSON,
                                               body: Self.email("anne@example.org"))
            #expect(set.status == .ok && set.text.contains("anne@example.org"), "\(set.text)")
            #expect(try await store.notifications(recordID: recordID).allSatisfy { $0.notification.kind != .contactChanged }, "no previous address to tell")
            let changed = try await client.execute(uri: "/fhir/Patient/\(id)/$contact", method: .post, headers: try await tokens.bearer(.agent) + fhirJSON,
                                                   body: Self.email("anne.martin@example.org"))
            #expect(changed.status == .ok, "\(changed.text)")
            let told = try await store.notifications(recordID: recordID).filter { $0.notification.kind == .contactChanged }
            #expect(told.count == 1 && told.first?.notification.recipient == "anne@example.org")
            #expect(try await store.record(id: recordID)?.identity.email == "anne.martin@example.org")
            let events = try await store.auditEvents(recordID: recordID, limit: 100).filter { $0.action == .changeContact }
            #expect(events.contains { $0.outcome == .denied && $0.actorKind == .professional })
            #expect(events.filter { $0.outcome == .success }.count >= 2)

            let bad = try await client.execute(uri: "/fhir/Patient/\(id)/$contact", method: .post, headers: holder + fhirJSON, body: Self.email("pas une adresse"))
            #expect(bad.status == .badRequest && bad.expression == "Parameters.parameter.valueString")
        }
    }

    @Test("the holder's own creation request and an agent's set the contact", arguments: TestEngine.available)
    func holderAndAgentSetIt(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            for (seed, actor) in [(11, Actor.patient(.fixture(11))), (12, Actor.agent)] {
                let created = try await client.execute(uri: "/fhir/Patient", method: .post, headers: try await tokens.bearer(actor) + fhirJSON,
                                                       body: Self.body(.fixture(seed), email: "titulaire\(seed)@example.org"))
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.json["id"] as? String)
                let recordID = try #require(RecordID(id))
                #expect(try await store.record(id: recordID)?.identity.email == "titulaire\(seed)@example.org")
            }
        }
    }

    @Test("the holder sets the contact from the portal's record page: a bad address is said in place, a change tells the previous address",
          arguments: TestEngine.available)
    func portal(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let id = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(id))
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let page = try await jar.get(client, "/portal/patient/record")
            #expect(page.text.contains("Adresse de contact"))
            let csrf = PortalRoutesTests.csrf(in: page)
            let bad = try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "contact", "email": "anne"])
            #expect(bad.status == .badRequest && bad.text.contains("<div id=\"email-error\"><p class=\"error\" role=\"alert\">Cette adresse"), "\(bad.text.prefix(300))")
            for address in ["anne@example.org", "anne.martin@example.org"] {
                let saved = try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "contact", "email": address])
                #expect(saved.status == .seeOther, "\(saved.text.prefix(300))")
            }
            #expect(try await store.record(id: recordID)?.identity.email == "anne.martin@example.org")
            #expect(try await store.notifications(recordID: recordID).filter { $0.notification.kind == .contactChanged }
                .map(\.notification.recipient) == ["anne@example.org"])
        }
    }
}
