import CarnetCore
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A rough timing of the portal's form reading, run by hand (`CARNET_PORTAL_TIMING=1`) before and after a
/// change to how forms or uploads are read: uploads that land, uploads refused in place (read,
/// checked, the form rendered again, nothing written) and filter forms, through the real router.
@Suite("Portal upload timing", .enabled(if: ProcessInfo.processInfo.environment["CARNET_PORTAL_TIMING"] == "1"))
struct PortalUploadTimingTests {
    @Test("time uploads and form posts")
    func timing() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/documents"))
            let boundary = "----carnet-test-boundary"
            func body(_ type: String, _ file: String) -> ByteBuffer {
                var body = ""
                for (name, value) in [("_csrf", csrf), ("type", "DOCPAT03"), ("title", "Compte rendu"), ("date", "2026-10-01")] {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\nContent-Type: \(type)\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
                return ByteBuffer(string: body)
            }
            let text = String(repeating: "Texte synthétique. ", count: 1_500)  // about 30 KB, under the test limit of 32 KiB
            func time(_ label: String, _ count: Int, _ request: () async throws -> TestResponse, expect status: HTTPResponse.Status) async throws {
                let start = ContinuousClock.now
                for _ in 0..<count { #expect(try await request().status == status) }
                let elapsed = ContinuousClock.now - start
                let perRequest = elapsed / count
                print("TIMING \(label): \(count) in \(elapsed), \(perRequest) each")
            }
            let headers = jar.header + [.contentType: "multipart/form-data; boundary=\(boundary)"]
            try await time("refused 30 KB upload", 300, {
                try await client.execute(uri: "/portal/patient/documents", method: .post, headers: headers, body: body("application/pdf", text))
            }, expect: .badRequest)
            try await time("landed 30 KB upload", 100, {
                try await client.execute(uri: "/portal/patient/documents", method: .post, headers: headers, body: body("text/plain", text))
            }, expect: .seeOther)
            try await time("record form refused in place", 300, {
                try await jar.post(client, "/portal/patient/record", ["_csrf": csrf, "action": "close", "reason": "essai"])
            }, expect: .badRequest)
        }
    }
}
