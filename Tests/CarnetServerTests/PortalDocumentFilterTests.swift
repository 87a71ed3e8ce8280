import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The patient's document list filtered by author through the real router: decided in the database
/// (case and accents ignored), so the count is of every match, not of one page.
@Suite("Portal document author filter")
struct PortalDocumentFilterTests {
    @Test("by the author's name in any case, by their RPPS, or by the patient's own INS; the count says how many")
    func authorFilter() async throws {
        try await withCarnetStore { client, tokens, store in
            let recordID = try #require(RecordID(try await createPatient(client, tokens)))
            let doctor = try await tokens.bearer(.doctor())
            for _ in 0..<2 {
                #expect(try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody()).status == .created)
            }
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let page = try await jar.get(client, "/portal/patient/documents")
            let csrf = PortalRoutesTests.csrf(in: page)
            let fields = [("type", "DOCPAT03"), ("title", "Mon bilan (synthétique)"), ("date", "2026-10-01"), ("text", "Texte (synthétique)")]
            #expect(try await PortalProblemMessagesTests.upload(client, jar, to: "/portal/patient/documents", csrf: csrf, fields: fields).status == .seeOther)

            func filtered(_ author: String) async throws -> String {
                let response = try await jar.post(client, "/portal/patient/documents/filter", ["_csrf": csrf, "author": author])
                #expect(response.status == .ok)
                return response.text
            }
            #expect(try await jar.get(client, "/portal/patient/documents").text.contains("<p>3 document(s)</p>"))
            #expect(try await filtered("dr TEST").contains("<p>2 document(s)</p>"), "case ignored")
            #expect(try await filtered("899700000011").contains("<p>2 document(s)</p>"), "by national id")
            let own = try await filtered(INS.fixture().value)
            #expect(own.contains("<p>1 document(s)</p>") && own.contains("Mon bilan (synthétique)"), "the patient's own, by their INS")
            #expect(try await filtered("Dürand").contains("<p>0 document(s)</p>"))
        }
    }
}
