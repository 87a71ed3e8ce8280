import CarnetCore
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// FHIR R4's REST rules as clients written to the specification expect them (issue 22, part): a
/// create ignores a body `id`, an update needs its own, `Location` names the version, a known path
/// asked with another method is a 405, and a format Carnet does not speak is a 406.
@Suite("FHIR REST behaviours")
struct FHIRRestBehaviourTests {
    typealias Fixtures = SummaryRoutesTests

    @Test("create ignores an id in the body; update needs the URL's; Location names the version", arguments: TestEngine.available)
    func ids(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let created = try await Fixtures.post(client, holder, "AllergyIntolerance",
                                                  SummaryLifecycleTests.withID(Fixtures.allergy(patient), "chosen-by-client"))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(id != "chosen-by-client")
            #expect(created.headers[.location]?.hasSuffix("/AllergyIntolerance/\(id)/_history/1") == true)
            let withoutID = try await SummaryLifecycleTests.put(client, holder, "AllergyIntolerance/\(id)", Fixtures.allergy(patient))
            #expect(withoutID.status == .badRequest && withoutID.expression == "AllergyIntolerance.id", "\(withoutID.text)")
            let otherID = try await SummaryLifecycleTests.put(client, holder, "AllergyIntolerance/\(id)",
                                                              SummaryLifecycleTests.withID(Fixtures.allergy(patient), "another"))
            #expect(otherID.status == .badRequest && otherID.expression == "AllergyIntolerance.id", "\(otherID.text)")
            let updated = try await SummaryLifecycleTests.put(client, holder, "AllergyIntolerance/\(id)",
                                                              SummaryLifecycleTests.withID(Fixtures.allergy(patient), id))
            #expect(updated.status == .ok, "\(updated.text)")
        }
    }

    @Test("a known path with a method it does not serve is a 405 naming the methods it does")
    func methodNotAllowed() async throws {
        try await withCarnet { client, tokens in
            let patient = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let deleted = try await client.execute(uri: "/fhir/Patient/\(patient)", method: .delete, headers: doctor)
            #expect(deleted.status == .methodNotAllowed && deleted.headers[.allow] == "GET", "\(deleted.text)")
            let put = try await client.execute(uri: "/fhir/DocumentReference/\(UUID().uuidString.lowercased())", method: .put, headers: doctor + fhirJSON,
                                               body: ByteBuffer(string: "{}"))
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "DELETE, GET, PATCH", "\(put.text)")
            #expect(put.json["resourceType"] as? String == "OperationOutcome")
            let unknown = try await client.execute(uri: "/fhir/Observatoire/1", method: .get, headers: doctor)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("XML or another FHIR version is a 406 with an OperationOutcome; JSON, R4 and Binary's own types are served")
    func formats() async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let ins = INS.fixture()
            let search = "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)"
            for (uri, accept) in [(search + "&_format=xml", nil), (search, "application/fhir+xml"),
                                  (search, "application/fhir+json; fhirVersion=3.0"), ("/fhir/metadata?_format=application/fhir+xml", nil)] as [(String, String?)] {
                var headers = doctor
                if let accept { headers[.accept] = accept }
                let refused = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(refused.status == .notAcceptable && refused.json["resourceType"] as? String == "OperationOutcome", "\(uri) \(accept ?? "")")
            }
            for accept in ["application/fhir+json; fhirVersion=4.0", "application/json", "*/*", "application/fhir+xml, application/fhir+json;q=0.5"] {
                var headers = doctor
                headers[.accept] = accept
                #expect(try await client.execute(uri: search, method: .get, headers: headers).status == .ok, "\(accept)")
            }
            #expect(try await client.execute(uri: search + "&_format=json", method: .get, headers: doctor).status == .ok)
            let pushed = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(content: TransactionRoutesTests.cda1,
                                                                                                             contentType: "application/xml"))
            let id = try #require(pushed.json["id"] as? String)
            var xml = doctor
            xml[.accept] = "application/xml"
            #expect(try await client.execute(uri: "/fhir/Binary/\(id)", method: .get, headers: xml).status == .ok, "ITI-68 in the document's own type")
        }
    }

    @Test("_summary=count gives the total alone under the same decisions; _total is accepted; lenient handling drops unknown parameters and says so",
          arguments: TestEngine.available)
    func searchControls(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let physician = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + fhirJSON,
                                             body: AccessControlRoutesTests.professional("99700000022")).status == .ok)
            let masked = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            _ = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody())
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(masked)/$mask", method: .post, headers: holder + fhirJSON).status == .ok)

            let search = "/fhir/DocumentReference?patient=\(patient)"
            let counted = try await client.execute(uri: search + "&_summary=count&_total=accurate", method: .get, headers: physician)
            #expect(counted.status == .ok && counted.json["total"] as? Int == 1 && counted.json["entry"] == nil, "\(counted.text)")
            #expect(!counted.text.contains(masked))
            #expect(try await client.execute(uri: search + "&_summary=count", method: .get, headers: holder).json["total"] as? Int == 2)
            let items = try await client.execute(uri: "/fhir/AllergyIntolerance?patient=\(patient)&_summary=count", method: .get, headers: holder)
            #expect(items.status == .ok && items.json["total"] as? Int == 0, "\(items.text)")
            let text = try await client.execute(uri: search + "&_summary=text", method: .get, headers: holder)
            #expect(text.status == .badRequest && text.expression == "_summary", "\(text.text)")

            let strict = try await client.execute(uri: search + "&colour=blue", method: .get, headers: holder)
            #expect(strict.status == .badRequest && strict.expression == "colour")
            let lenient = try await client.execute(uri: search + "&colour=blue", method: .get, headers: holder + [.prefer: "handling=lenient"])
            #expect(lenient.status == .ok && lenient.json["total"] as? Int == 2, "\(lenient.text)")
            let outcome = (lenient.json["entry"] as? [[String: Any]] ?? []).first { ($0["search"] as? [String: Any])?["mode"] as? String == "outcome" }
            #expect((outcome?["resource"] as? [String: Any])?["resourceType"] as? String == "OperationOutcome")
            #expect(lenient.text.contains("colour"))
        }
    }

    @Test("15, 22: a PATCH by a reader who is not the author is a 403 naming the rule; If-Match refuses a stale version (412)",
          arguments: TestEngine.available)
    func patchAnswers(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let colleague = try await tokens.bearer(.doctor("99700000022"))
            let stranger = try await tokens.bearer(.doctor("99700000033"))
            #expect(try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + fhirJSON,
                                             body: AccessControlRoutesTests.professional("99700000022")).status == .ok)
            let id = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            let archive = DocumentLifecycleTests.archive(true)
            let uri = "/fhir/DocumentReference/\(id)"
            let reader = try await client.execute(uri: uri, method: .patch, headers: colleague + DocumentLifecycleTests.jsonPatch, body: archive)
            #expect(reader.status == .forbidden && reader.text.contains("only the professional who submitted"), "\(reader.text)")
            let unknown = try await client.execute(uri: uri, method: .patch, headers: stranger + DocumentLifecycleTests.jsonPatch, body: archive)
            #expect(unknown.status == .notFound, "who may not see it learns nothing: \(unknown.text)")
            var stale = author + DocumentLifecycleTests.jsonPatch
            stale[.ifMatch] = "W/\"7\""
            let refused = try await client.execute(uri: uri, method: .patch, headers: stale, body: archive)
            #expect(refused.status == .preconditionFailed && refused.expression == "If-Match", "\(refused.text)")
            var current = author + DocumentLifecycleTests.jsonPatch
            current[.ifMatch] = "W/\"1\""
            let archived = try await client.execute(uri: uri, method: .patch, headers: current, body: archive)
            #expect(archived.status == .ok && archived.headers[.eTag] == "W/\"2\"", "\(archived.text)")
        }
    }

    @Test("Prefer: return=minimal answers the headers alone, return=OperationOutcome an outcome; reads carry ETag and Last-Modified",
          arguments: TestEngine.available)
    func preferAndVersionHeaders(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let prefer = HTTPField.Name.prefer
            let minimal = try await client.execute(uri: "/fhir/DocumentReference", method: .post, headers: author + fhirJSON + [prefer: "return=minimal"],
                                                   body: DocumentRoutesTests.documentBody())
            #expect(minimal.status == .created && minimal.body.readableBytes == 0 && minimal.headers[.location] != nil && minimal.headers[.eTag] == "W/\"1\"")
            let id = try #require(minimal.headers[.location]?.split(separator: "/").dropLast(2).last.map(String.init))
            let outcome = try await client.execute(uri: "/fhir/AllergyIntolerance", method: .post,
                                                   headers: holder + fhirJSON + [prefer: "return=OperationOutcome"], body: ByteBuffer(string: SummaryRoutesTests.allergy(patient)))
            #expect(outcome.status == .created && outcome.json["resourceType"] as? String == "OperationOutcome", "\(outcome.text)")
            let represented = try await client.execute(uri: "/fhir/DocumentReference", method: .post,
                                                       headers: author + fhirJSON + [prefer: "return=representation"], body: DocumentRoutesTests.documentBody())
            #expect(represented.json["resourceType"] as? String == "DocumentReference")

            let read = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: author)
            #expect(read.headers[.eTag] == "W/\"1\"" && read.headers[.lastModified]?.hasSuffix(" GMT") == true, "\(read.headers)")
            let record = try await client.execute(uri: "/fhir/Patient/\(patient)", method: .get, headers: holder)
            #expect(record.headers[.eTag] != nil && record.headers[.lastModified] != nil)
        }
    }

    @Test("HTTP dates are IMF-fixdates")
    func httpDates() {
        #expect(FHIRResponse.httpDate(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test("Patient: _id with several values matches any the reader may know; _count is accepted", arguments: TestEngine.available)
    func patientIDs(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let first = try await createPatient(client, tokens)
            let second = try await createPatient(client, tokens, .fixture(2))
            let agent = try await tokens.bearer(.agent)
            let both = try await client.execute(uri: "/fhir/Patient?_id=\(first),\(second),\(UUID().uuidString.lowercased())&_count=10",
                                                method: .get, headers: agent)
            #expect(both.status == .ok && Set(DocumentRoutesTests.ids(both)) == [first, second] && both.json["total"] as? Int == 2, "\(both.text)")
            let holder = try await tokens.bearer(.patient(.fixture()))
            let own = try await client.execute(uri: "/fhir/Patient?_id=\(first),\(second)", method: .get, headers: holder)
            #expect(DocumentRoutesTests.ids(own) == [first], "another person's record is absent, as an unknown id")
            let badCount = try await client.execute(uri: "/fhir/Patient?_id=\(first)&_count=-1", method: .get, headers: holder)
            #expect(badCount.status == .badRequest && badCount.expression == "_count")
        }
    }

    @Test("POST [type]/_search with a form body searches as GET does, with the same decisions", arguments: TestEngine.available)
    func searchByPost(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let stranger = try await tokens.bearer(.doctor("99700000033"))
            _ = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody())
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let found = try await client.execute(uri: "/fhir/DocumentReference/_search", method: .post, headers: author + form,
                                                 body: ByteBuffer(string: "patient=\(patient)&status=current"))
            #expect(found.status == .ok && found.json["total"] as? Int == 1, "\(found.text)")
            let counted = try await client.execute(uri: "/fhir/DocumentReference/_search?_summary=count", method: .post, headers: author + form,
                                                   body: ByteBuffer(string: "patient=\(patient)"))
            #expect(counted.json["total"] as? Int == 1 && counted.json["entry"] == nil, "\(counted.text)")
            let hidden = try await client.execute(uri: "/fhir/DocumentReference/_search", method: .post, headers: stranger + form,
                                                  body: ByteBuffer(string: "patient=\(patient)"))
            #expect(hidden.json["total"] as? Int == 0, "no authorisation: nothing found, as by GET")
            let ins = INS.fixture()
            let byINS = try await client.execute(uri: "/fhir/Patient/_search", method: .post, headers: author + form,
                                                 body: ByteBuffer(string: "identifier=\(ins.system.uri)%7C\(ins.value)"))
            #expect(DocumentRoutesTests.ids(byINS) == [patient], "\(byINS.text)")
            let items = try await client.execute(uri: "/fhir/AllergyIntolerance/_search", method: .post, headers: author + form,
                                                 body: ByteBuffer(string: "patient=\(patient)"))
            #expect(items.status == .ok && items.json["resourceType"] as? String == "Bundle", "\(items.text)")
            let json = try await client.execute(uri: "/fhir/DocumentReference/_search", method: .post, headers: author + fhirJSON,
                                                body: ByteBuffer(string: "{}"))
            #expect(json.status == .unsupportedMediaType)
            let unknown = try await client.execute(uri: "/fhir/DocumentReference/_search", method: .post, headers: author + form,
                                                   body: ByteBuffer(string: "patient=\(patient)&colour=blue"))
            #expect(unknown.status == .badRequest && unknown.expression == "colour")
        }
    }

    @Test("conditional create (If-None-Exist): a match is answered as it stands, none creates, several are a 412", arguments: TestEngine.available)
    func conditionalCreate(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let author = try await tokens.bearer(.doctor())
            let ifNoneExist = HTTPField.Name.ifNoneExist
            let criteria = "code=http://snomed.info/sct%7C91936005"
            let first = try await client.execute(uri: "/fhir/AllergyIntolerance", method: .post, headers: holder + fhirJSON + [ifNoneExist: criteria],
                                                 body: ByteBuffer(string: Fixtures.allergy(patient)))
            #expect(first.status == .created, "\(first.text)")
            let again = try await client.execute(uri: "/fhir/AllergyIntolerance", method: .post, headers: holder + fhirJSON + [ifNoneExist: criteria],
                                                 body: ByteBuffer(string: Fixtures.allergy(patient)))
            #expect(again.status == .ok && again.json["id"] as? String == first.json["id"] as? String, "\(again.text)")
            _ = try await Fixtures.post(client, holder, "AllergyIntolerance", Fixtures.allergy(patient))
            let several = try await client.execute(uri: "/fhir/AllergyIntolerance", method: .post, headers: holder + fhirJSON + [ifNoneExist: criteria],
                                                   body: ByteBuffer(string: Fixtures.allergy(patient)))
            #expect(several.status == .preconditionFailed && several.expression == "If-None-Exist", "\(several.text)")
            let items = try await client.execute(uri: "/fhir/AllergyIntolerance?patient=\(patient)", method: .get, headers: holder)
            #expect(items.json["total"] as? Int == 2, "no silent duplicate")

            let body = DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.818181")
            let byIdentifier = "identifier=urn:ietf:rfc:3986%7Curn:oid:1.2.250.1.999.818181"
            let created = try await client.execute(uri: "/fhir/DocumentReference", method: .post, headers: author + fhirJSON + [ifNoneExist: byIdentifier], body: body)
            #expect(created.status == .created, "\(created.text)")
            let other = DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.818181", content: "Another synthetic text.")
            let matched = try await client.execute(uri: "/fhir/DocumentReference", method: .post, headers: author + fhirJSON + [ifNoneExist: byIdentifier], body: other)
            #expect(matched.status == .ok && matched.json["id"] as? String == created.json["id"] as? String, "\(matched.text)")
            let unsupported = try await client.execute(uri: "/fhir/DocumentReference", method: .post, headers: author + fhirJSON + [ifNoneExist: "type=11488-4"], body: other)
            #expect(unsupported.status == .badRequest && unsupported.expression == "If-None-Exist")
        }
    }
}
