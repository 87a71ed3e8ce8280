import CarnetCore
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 23.16: an insurer-feed import job was readable by an insurer agent whose staff id is the
/// feed's id (jobs were keyed by the id alone). A job is followed only by the actor who started it.
@Suite("Import job owner")
struct ImportJobOwnerTests {
    @Test("an agent named like the feed, another feed, a professional: each gets 404 for the feed's job; the feed reads it",
          arguments: TestEngine.available)
    func onlyTheStarterReadsTheJob(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let insurer = try await tokens.bearer(.insurer)
            let body = ByteBuffer(string: #"{"claimId": "J1", "ins": "\#(INS.fixture().value)", "serviceDate": "2026-01-02", "code": "YYYY010", "label": "Consultation (synthetic)"}"#)
            let accepted = try await client.execute(uri: "/fhir/$import-claims", method: .post,
                                                    headers: insurer + [.contentType: "application/x-ndjson"], body: body)
            #expect(accepted.status == .accepted, "\(accepted.text)")
            let status = try #require(accepted.headers[.contentLocation]).replacingOccurrences(of: "http://carnet.test", with: "")
            // The attack: an agent whose staff id is the feed's id.
            let namesake = Actor(role: .agent(id: "assurance-maladie"))
            for outsider in [namesake, Actor(role: .insurer(id: "other")), .doctor()] {
                let response = try await client.execute(uri: status, method: .get, headers: try await tokens.bearer(outsider))
                #expect(response.status == .notFound, "\(outsider.kind): \(response.status)")
            }
            let report = try await client.execute(uri: status, method: .get, headers: insurer + [.prefer: "wait=30"])
            #expect(report.status == .ok, "\(report.text)")
        }
    }
}
