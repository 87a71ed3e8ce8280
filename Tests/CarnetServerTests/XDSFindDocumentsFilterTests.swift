import CarnetCore
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-18 FindDocuments by `$XDSDocumentEntryAuthorPerson` (SQL LIKE patterns) and by service start
/// and stop times, through the real router.
@Suite("XDS.b FindDocuments: author person and service times")
struct XDSFindDocumentsFilterTests {
    @Test("author person with % and _ wildcards, several values OR'd; service start and stop times", arguments: TestEngine.available)
    func authorAndServiceTimes(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let ins = INS.fixture()
            let first = XDSMessages.Document()
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([first])).xdsStatus == "Success")
            let second = XDSMessages.provideAndRegister([XDSMessages.Document()])
                .replacingOccurrences(of: "899700000011^TEST^Alice", with: "899700000022^MARTIN^Paul")
                .replacingOccurrences(of: "<rim:Value>20260310080000</rim:Value>", with: "<rim:Value>20250101080000</rim:Value>")
                .replacingOccurrences(of: "<rim:Value>20260310090000</rim:Value>", with: "<rim:Value>20250101090000</rim:Value>")
            let pushed = try await XDSMessages.post(client, "/xds/repository", doctor, second)
            #expect(pushed.xdsStatus == "Success", "\(pushed.text)")
            // Pushed over MHD without a service period: no service-time query finds it.
            #expect(try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody()).status == .created)
            let all = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let resources = XDSProvideAndRetrieveTests.resources(all)
            func id(_ start: String?) -> String {
                let found = resources.first { (($0["context"] as? [String: Any])?["period"] as? [String: Any])?["start"] as? String == start }
                return "urn:uuid:\(found?["id"] as? String ?? "")"
            }
            let alice = id("2026-03-10T08:00:00.000Z"), paul = id("2025-01-01T08:00:00.000Z"), mhd = id(nil)

            func find(_ parameters: [(String, String)]) async throws -> Set<String> {
                let answer = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.findDocuments(ins, parameters, returnType: "ObjectRef"))
                #expect(answer.xdsStatus == "Success", "\(answer.text)")
                return Set(answer.xdsObjectIDs("ObjectRef"))
            }
            #expect(try await find([("$XDSDocumentEntryAuthorPerson", "'%^MARTIN^%'")]) == [paul])
            #expect(try await find([("$XDSDocumentEntryAuthorPerson", "('%^TEST^Alice^%','nobody%')")]) == [alice], "several values OR'd")
            #expect(try await find([("$XDSDocumentEntryAuthorPerson", "'89970000001_^%'")]) == [alice, mhd], "_ is one character")
            #expect(try await find([("$XDSDocumentEntryAuthorPerson", "'%^martin^%'")]).isEmpty, "matched as LIKE is: case sensitive")
            #expect(try await find([("$XDSDocumentEntryAuthorPerson", "'%Cabinet%'")]).isEmpty, "institutions are not author persons")
            #expect(try await find([("$XDSDocumentEntryServiceStartTimeFrom", "20260101")]) == [alice])
            #expect(try await find([("$XDSDocumentEntryServiceStartTimeTo", "20260101")]) == [paul])
            #expect(try await find([("$XDSDocumentEntryServiceStartTimeFrom", "19000101")]) == [alice, paul], "no start time, no match")
            #expect(try await find([("$XDSDocumentEntryServiceStopTimeFrom", "20250101090000"),
                                    ("$XDSDocumentEntryServiceStopTimeTo", "20250101090001")]) == [paul], "From inclusive, To exclusive")
            #expect(try await find([("$XDSDocumentEntryServiceStopTimeTo", "20250101090000")]).isEmpty)
            #expect(try await find([("$XDSDocumentEntryAuthorPerson", "'%^TEST^%'"), ("$XDSDocumentEntryServiceStartTimeTo", "20260101")]).isEmpty,
                    "parameters are AND'd")

            let badDate = try await XDSMessages.post(client, "/xds/registry", doctor,
                                                     XDSMessages.findDocuments(ins, [("$XDSDocumentEntryServiceStopTimeFrom", "'2026-01-01'")]))
            #expect(badDate.xdsStatus == "Failure" && badDate.xdsErrorCodes == ["XDSRegistryError"])
            let long = try await XDSMessages.post(client, "/xds/registry", doctor,
                                                  XDSMessages.findDocuments(ins, [("$XDSDocumentEntryAuthorPerson", "'\(String(repeating: "%", count: 300))'")]))
            #expect(long.xdsStatus == "Failure" && long.xdsErrorCodes == ["XDSRegistryError"])
        }
    }

    @Test("a quoted value's doubled quote is one quote: a name with an apostrophe can be asked for")
    func doubledQuote() throws {
        #expect(try XDSQueryParameters.list("('%^D''Alembert^%','b')") == ["%^D'Alembert^%", "b"])
        #expect(try XDSQueryParameters.list("'it''s'") == ["it's"])
        #expect(try XDSQueryParameters.list("('a','b')") == ["a", "b"])
        #expect(throws: XDSFailure.self) { try XDSQueryParameters.list("'unclosed''") }
    }

    @Test("LIKE as SQL defines it")
    func like() {
        func like(_ value: String, _ pattern: String) -> Bool { XDSEntryFilter.like(Array(value), Array(pattern)) }
        #expect(like("abc", "abc") && like("abc", "a%") && like("abc", "%c") && like("abc", "%") && like("", "%") && like("abc", "a_c"))
        #expect(like("abc", "%%b%") && like("a", "a%%"))
        #expect(!like("abc", "ab") && !like("abc", "a_") && !like("", "_") && !like("abc", "%d%") && !like("ab", "abc"))
    }
}
