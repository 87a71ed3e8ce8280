import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-57 with several changes in one request: applied all or nothing, each decided by the same
/// policy as alone, each audited; refusals (not the author, unknown entryUUID, another patient's
/// document) answered with their XDS error codes and leaving every document as it was.
@Suite("XDS.b Update Document Set (ITI-57), several changes")
struct XDSUpdateDocumentSetBatchTests {
    /// The document's audit events of `action` with the outcome `outcome` (`0` success, `4` refused).
    static func events(_ client: any TestClientProtocol, _ holder: HTTPFields, patientID: String, document: String, action: String,
                       outcome: String = "0") async throws -> Int {
        let history = try await client.execute(uri: "/fhir/AuditEvent?patient=\(patientID)&_count=500", method: .get, headers: holder)
        let events = (history.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
        return events.filter { event in
            (event["subtype"] as? [[String: Any]])?.first?["code"] as? String == action && event["outcome"] as? String == outcome
                && (event["entity"] as? [[String: Any]] ?? []).contains { ($0["what"] as? [String: Any])?["reference"] as? String == "DocumentReference/\(document)" }
        }.count
    }

    static func archived(_ client: any TestClientProtocol, _ headers: HTTPFields, _ id: String) async throws -> Bool {
        let read = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: headers)
        return (read.json["extension"] as? [[String: Any]])?.contains { $0["valueBoolean"] as? Bool == true } == true
    }

    static func version(_ client: any TestClientProtocol, _ headers: HTTPFields, _ id: String) async throws -> Int {
        let read = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: headers)
        return ((read.json["meta"] as? [String: Any])?["versionId"] as? String).flatMap { Int($0) } ?? -1
    }

    static func archive(_ id: String, _ index: Int) -> String {
        XDSMessages.statusChange("urn:uuid:\(id)", from: XDSMessages.approved, to: XDSMessages.deprecated)
            .replacingOccurrences(of: "id=\"upd01\"", with: "id=\"upd-status-\(index)\"")
    }

    @Test("an archive and a masking in one request are both applied and both audited", arguments: TestEngine.available)
    func severalChanges(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let first = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            let second = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            let version = try await Self.version(client, author, second)
            let both = try await XDSMessages.post(client, "/xds/registry", author, XDSMessages.updateDocumentSet(ins: .fixture(),
                Self.archive(first, 0) + XDSMessages.confidentialityUpdate("urn:uuid:\(second)", previousVersion: version,
                                                                           [("MASQUE_PS", "1.2.250.1.213.1.1.4.13"), ("N", "2.16.840.1.113883.5.25")])))
            #expect(both.xdsStatus == "Success", "\(both.text)")
            #expect(try await Self.archived(client, author, first))
            let masked = try await client.execute(uri: "/fhir/DocumentReference/\(second)", method: .get, headers: author)
            #expect((masked.json["securityLabel"] as? [[String: Any]] ?? []).contains { XDSAuthorRoleTests.coding([$0])?["code"] as? String == "MASQUE_PS" })
            #expect(try await Self.events(client, holder, patientID: patientID, document: first, action: "document.change") == 1)
            #expect(try await Self.events(client, holder, patientID: patientID, document: second, action: "document.mask") == 1)
        }
    }

    @Test("all or nothing: one refused change (not the author, unknown, another patient's) leaves the others unapplied", arguments: TestEngine.available)
    func allOrNothing(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let otherPatientID = try await createPatient(client, tokens, .fixture(2))
            _ = otherPatientID
            let author = try await tokens.bearer(.doctor())
            let colleague = try await tokens.bearer(.doctor("99700000022"))
            let holder = try await tokens.bearer(.patient(.fixture()))
            let granted = try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                                   body: AccessControlRoutesTests.professional("99700000022"))
            #expect(granted.status == .ok)
            let mine = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            let theirs = try #require(try await DocumentRoutesTests.push(client, colleague, DocumentRoutesTests.documentBody()).json["id"] as? String)
            let elsewhere = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(.fixture(2))).json["id"] as? String)
            func update(_ changes: String, by headers: HTTPFields? = nil) async throws -> TestResponse {
                let response = try await XDSMessages.post(client, "/xds/registry", headers ?? author, XDSMessages.updateDocumentSet(ins: .fixture(), changes))
                #expect(response.status == .ok && response.xdsStatus == "Failure", "\(response.text)")
                return response
            }

            // The colleague, authorised on the record, sees the author's document but did not write it.
            let notTheAuthor = try await update(Self.archive(theirs, 0) + Self.archive(mine, 1), by: colleague)
            #expect(notTheAuthor.xdsErrorCodes == ["XDSRegistryError"])
            #expect(notTheAuthor.text.contains("only the professional who submitted a document"), "\(notTheAuthor.text)")
            #expect(try await Self.events(client, holder, patientID: patientID, document: mine, action: "document.change", outcome: "4") == 1,
                    "the refusal is audited")
            #expect(try await Self.archived(client, colleague, theirs) == false, "the colleague's own change was not applied either")
            let unknown = try await update(Self.archive(mine, 0) + Self.archive(UUID().uuidString.lowercased(), 1))
            #expect(unknown.xdsErrorCodes == ["UnresolvedReferenceException"])
            let otherPatient = try await update(Self.archive(mine, 0) + Self.archive(elsewhere, 1))
            #expect(otherPatient.xdsErrorCodes == ["XDSPatientIdDoesNotMatch"])
            let twice = try await update(Self.archive(mine, 0) + Self.archive(mine, 1))
            #expect(twice.xdsErrorCodes == ["XDSMetadataUpdateError"])
            let unreadable = try await update(Self.archive(mine, 0) + XDSMessages.statusChange("urn:uuid:\(theirs)", from: XDSMessages.approved, to: "Nonsense"))
            #expect(unreadable.xdsErrorCodes == ["XDSMetadataUpdateError"])
            let version = try await Self.version(client, author, elsewhere)
            let labelsElsewhere = try await update(Self.archive(mine, 0) + XDSMessages.confidentialityUpdate(
                "urn:uuid:\(elsewhere)", previousVersion: version, [("N", "2.16.840.1.113883.5.25")], ins: .fixture(2)))
            #expect(labelsElsewhere.xdsErrorCodes == ["XDSPatientIdDoesNotMatch"], "the entry names another patient than the set")

            #expect(try await Self.archived(client, author, mine) == false, "no refused request archived anything")
            #expect(try await Self.archived(client, author, elsewhere) == false)
            #expect(try await Self.events(client, holder, patientID: patientID, document: mine, action: "document.change") == 0,
                    "no success is audited for a change that was not saved")
        }
    }
}
