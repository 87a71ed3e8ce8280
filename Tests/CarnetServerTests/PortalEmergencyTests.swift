import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// An emergency declared in the professional web access holds for the patient it was declared for,
/// and for no other (DOMAIN.md, Emergency access): after breaking the glass on A, the professional
/// who opens B is in normal mode, refused and audited as such. A regulator's Centre 15 access is
/// declared per patient in the same way, whatever mode their token carried.
@Suite("Portal emergencies")
struct PortalEmergencyTests {
    typealias Jar = PortalRoutesTests.Jar

    /// Signs a professional in to the web access with `actor`'s token.
    static func signIn(_ client: any TestClientProtocol, _ tokens: Tokens, _ actor: Actor) async throws -> Jar {
        let jar = Jar()
        let page = try await jar.get(client, "/portal/pro/sign-in")
        let bearer = String(try await tokens.bearer(actor)[.authorization]?.dropFirst("Bearer ".count) ?? "")
        let signedIn = try await jar.post(client, "/portal/pro/sign-in", ["_csrf": PortalRoutesTests.csrf(in: page), "token": bearer])
        #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/portal/pro")
        return jar
    }

    static func find(_ client: any TestClientProtocol, _ jar: Jar, _ ins: INS) async throws -> TestResponse {
        let page = try await jar.get(client, "/portal/pro")
        return try await jar.post(client, "/portal/pro/find", ["_csrf": PortalRoutesTests.csrf(in: page), "ins": ins.value])
    }

    static func open(_ client: any TestClientProtocol, _ jar: Jar, _ record: String, kind: String, reason: String? = nil,
                     ins: INS? = nil) async throws -> TestResponse {
        let page = try await jar.get(client, "/portal/pro")
        var fields = ["_csrf": PortalRoutesTests.csrf(in: page), "record": record, "kind": kind]
        fields["reason"] = reason
        fields["ins"] = ins?.value
        return try await jar.post(client, "/portal/pro/open", fields)
    }

    /// The record's audit events by professionals and regulators.
    static func professionalEvents(_ store: any RecordStore, _ record: String) async throws -> [AuditEvent] {
        try await store.auditEvents(recordID: try #require(RecordID(record)), limit: 1_000)
            .filter { $0.actorKind == .professional || $0.actorKind == .regulator }
    }

    @Test("an emergency declared on patient A does not carry over to patient B", arguments: TestEngine.available)
    func emergencyHoldsForOnePatient(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let a = try await createPatient(client, tokens, .fixture())
            let b = try await createPatient(client, tokens, .fixture(7))
            let author = try await tokens.bearer(.doctor("99700000011"))
            _ = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(.fixture()))
            let pushedB = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(.fixture(7)))
            let documentB = try #require(pushedB.json["id"] as? String)

            // The token says break-the-glass with a reason of its own: the web session starts normal anyway.
            let jar = try await Self.signIn(client, tokens, .doctor("99700000012", mode: .breakTheGlass, reason: "token reason"))
            #expect(try await Self.find(client, jar, .fixture()).text.contains("pas encore autorisé"))

            let noReason = try await Self.open(client, jar, a, kind: "emergency", ins: .fixture())
            #expect(noReason.status == .badRequest)
            #expect(noReason.text.contains("id=\"reason\"") && noReason.text.contains("aria-invalid=\"true\"")
                    && noReason.text.contains("Indiquez le motif"), "the missing reason is said beside its field, on the patient's page")
            #expect(try await jar.get(client, "/portal/pro/patient").status == .seeOther, "nothing opened without a reason")

            #expect(try await Self.open(client, jar, a, kind: "emergency", reason: "malaise sur la voie publique").status == .seeOther)
            let recordA = try await jar.get(client, "/portal/pro/patient")
            #expect(recordA.status == .ok && recordA.text.contains("malaise sur la voie publique") && recordA.text.contains("class=\"banner\""))
            #expect(try await jar.get(client, "/portal/pro/documents/\(documentB)").status == .notFound,
                    "another record's document is not read under A's emergency")

            // B opened straight after, without a declaration: normal mode, refused.
            #expect(try await Self.open(client, jar, b, kind: "open").status == .seeOther)
            let recordB = try await jar.get(client, "/portal/pro/patient")
            #expect(!recordB.text.contains("malaise") && !recordB.text.contains("class=\"banner\""))
            #expect(recordB.status != .ok || recordB.text.contains("<p>0 document"), "nothing of B is read: \(recordB.status)")
            // B found: normal mode again, a declaration is offered.
            let foundB = try await Self.find(client, jar, .fixture(7))
            #expect(foundB.text.contains("pas encore autorisé") && !foundB.text.contains("class=\"banner\""))
            #expect(try await jar.get(client, "/portal/pro/patient").status == .seeOther, "finding leaves the record opened before")

            let eventsB = try await Self.professionalEvents(store, b)
            #expect(!eventsB.isEmpty)
            #expect(eventsB.allSatisfy { $0.accessMode == .normal && $0.emergencyReason == nil }, "\(eventsB.map(\.accessMode))")
            #expect(!eventsB.contains { $0.action == .readDocument && $0.outcome == .success })
            let eventsA = try await Self.professionalEvents(store, a)
            #expect(eventsA.contains { $0.accessMode == .breakTheGlass && $0.emergencyReason == "malaise sur la voie publique" && $0.outcome == .success })
            #expect(!eventsA.contains { $0.emergencyReason == "token reason" })
        }
    }

    @Test("a Centre 15 regulator declares the call for each patient; the token's mode and reason are not kept")
    func regulatorDeclaresPerPatient() async throws {
        try await withCarnetStore { client, tokens, store in
            let a = try await createPatient(client, tokens, .fixture())
            let b = try await createPatient(client, tokens, .fixture(7))
            let jar = try await Self.signIn(client, tokens, .regulator())
            let foundA = try await Self.find(client, jar, .fixture())
            #expect(foundA.text.contains("Centre 15") && !foundA.text.contains("déclarer son consentement"))
            #expect(try await Self.open(client, jar, a, kind: "emergency", reason: "appel pour douleur thoracique").status == .seeOther)
            let recordA = try await jar.get(client, "/portal/pro/patient")
            #expect(recordA.status == .ok && recordA.text.contains("appel pour douleur thoracique"))

            #expect(try await Self.open(client, jar, b, kind: "open").status == .seeOther)
            let recordB = try await jar.get(client, "/portal/pro/patient")
            #expect(!recordB.text.contains("douleur") && !recordB.text.contains("class=\"banner\""))
            #expect(recordB.status != .ok || recordB.text.contains("<p>0 document"), "nothing of B is read: \(recordB.status)")

            let eventsA = try await Self.professionalEvents(store, a)
            #expect(eventsA.contains { $0.accessMode == .centre15 && $0.emergencyReason == "appel pour douleur thoracique" && $0.outcome == .success })
            #expect(!eventsA.contains { $0.emergencyReason == "SAMU call" }, "the token's reason is never used")
            let eventsB = try await Self.professionalEvents(store, b)
            #expect(!eventsB.contains { $0.accessMode != .normal })
        }
    }
}
