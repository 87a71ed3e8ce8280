import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The security review's findings on writing documents (issues 23 and 24): each test names the attack
/// it replays through the real router, on both engines, and what the attacker must no longer get.
@Suite("Security review: replacing, duplicates, masks, conditional patches")
struct SecurityReviewDocumentTests {
    static let jsonPatch = DocumentLifecycleTests.jsonPatch
    static let normalConfidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"

    /// An ITI-65 replacement of `target` (TD2.1: `relatesTo` replaces plus the superseding PATCH entry).
    static func replacement(of target: String, ins: INS = .fixture(), uniqueID: String = "urn:oid:1.2.250.1.999.\(Int.random(in: 1...9_999_999))") -> ByteBuffer {
        TransactionRoutesTests.bundle([
            TransactionRoutesTests.submissionSet(entries: ["urn:uuid:dddddddd-0000-0000-0000-000000000001"]),
            TransactionRoutesTests.document("urn:uuid:dddddddd-0000-0000-0000-000000000001", binary: "urn:uuid:dddddddd-0000-0000-0000-000000000002",
                                            ins: ins, uniqueID: uniqueID, content: TransactionRoutesTests.cda3, replaces: target),
            TransactionRoutesTests.supersession(target),
            TransactionRoutesTests.binary("urn:uuid:dddddddd-0000-0000-0000-000000000002", TransactionRoutesTests.cda3),
        ])
    }

    func status(_ client: any TestClientProtocol, _ id: String, _ headers: HTTPFields) async throws -> String? {
        try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: headers).json["status"] as? String
    }

    /// The diagnostics with the document id taken out, to compare two answers about two ids.
    func words(_ response: TestResponse, without id: String) -> String {
        response.text.replacingOccurrences(of: id, with: "<id>")
    }

    @Test("23.1, 24.2, 24.3: superseding a masked document with an ITI-65 PATCH entry, unauthorised, answers as a random id and changes nothing",
          arguments: TestEngine.available)
    func supersedingMaskedDocument(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let stranger = try await tokens.bearer(.doctor("99700000033"))
            let pushed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody())
            let id = try #require(pushed.json["id"] as? String)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)/$mask", method: .post, headers: holder + fhirJSON).status == .ok)

            let hidden = try await client.execute(uri: "/fhir", method: .post, headers: stranger + fhirJSON, body: Self.replacement(of: id))
            let randomID = UUID().uuidString.lowercased()
            let random = try await client.execute(uri: "/fhir", method: .post, headers: stranger + fhirJSON, body: Self.replacement(of: randomID))
            #expect(hidden.status == .unprocessableContent, "\(hidden.text)")
            #expect(hidden.status == random.status && words(hidden, without: id) == words(random, without: randomID))
            #expect(try await status(client, id, author) == "current")
            let documents = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: holder)
            #expect(documents.json["total"] as? Int == 1, "nothing of the refused bundle was stored")
        }
    }

    @Test("15, 24.2: an authorised physician who reads another author's document may not replace it: 403 with the rule",
          arguments: TestEngine.available)
    func replacingAnotherAuthorsDocument(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let colleague = try await tokens.bearer(.doctor("99700000022"))
            #expect(try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: holder + fhirJSON,
                                             body: AccessControlRoutesTests.professional("99700000022")).status == .ok)
            let id = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            #expect(try await status(client, id, colleague) == "current", "the colleague reads it")

            let refused = try await client.execute(uri: "/fhir", method: .post, headers: colleague + fhirJSON, body: Self.replacement(of: id))
            #expect(refused.status == .forbidden && refused.text.contains("only the author"), "\(refused.text)")
            let direct = try await DocumentRoutesTests.push(client, colleague, DocumentRoutesTests.documentBody(
                extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#(id)"}}],"#))
            #expect(direct.status == .forbidden, "\(direct.text)")
            #expect(try await status(client, id, author) == "current")

            let own = try await client.execute(uri: "/fhir", method: .post, headers: author + fhirJSON, body: Self.replacement(of: id))
            #expect(own.status == .ok, "the author still replaces their own: \(own.text)")
            #expect(try await status(client, id, author) == "superseded")
        }
    }

    @Test("24.2: the patient cannot replace a document hidden from them, nor a professional's: hidden answers as a random id",
          arguments: TestEngine.available)
    func patientReplacing(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let invisible = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(
                labels: #"{"coding": [{"system": "\#(AccessControlRoutesTests.visibility)", "code": "INVISIBLE_PATIENT"}]}"#)).json["id"] as? String)
            let visible = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)

            let hidden = try await DocumentRoutesTests.push(client, holder, DocumentRoutesTests.documentBody(
                extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#(invisible)"}}],"#))
            let randomID = UUID().uuidString.lowercased()
            let random = try await DocumentRoutesTests.push(client, holder, DocumentRoutesTests.documentBody(
                extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#(randomID)"}}],"#))
            #expect(hidden.status == .unprocessableContent && hidden.status == random.status, "\(hidden.text)")
            #expect(words(hidden, without: invisible) == words(random, without: randomID))
            let notTheirs = try await DocumentRoutesTests.push(client, holder, DocumentRoutesTests.documentBody(
                extra: #""relatesTo": [{"code": "replaces", "target": {"reference": "DocumentReference/\#(visible)"}}],"#))
            #expect(notTheirs.status == .forbidden, "\(notTheirs.text)")
            #expect(try await status(client, invisible, author) == "current")
            #expect(try await status(client, visible, author) == "current")
        }
    }

    @Test("24.3: a reused unique id of a masked document is refused without naming it; a retry is answered as stored; a visible one is named",
          arguments: TestEngine.available)
    func duplicateUniqueIDs(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let stranger = try await tokens.bearer(.doctor("99700000033"))
            let body = DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.515151")
            let first = try await DocumentRoutesTests.push(client, author, body)
            let id = try #require(first.json["id"] as? String)
            #expect(first.status == .created)

            let retry = try await DocumentRoutesTests.push(client, author, body)
            #expect(retry.status == .ok && retry.json["id"] as? String == id, "a retry gets what it stored: \(retry.text)")
            let changed = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.515151",
                                                                                                             content: "Another synthetic text."))
            #expect(changed.status == .conflict && changed.text.contains("already has a document"), "\(changed.text)")

            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)/$mask", method: .post, headers: holder + fhirJSON).status == .ok)
            let probe = try await DocumentRoutesTests.push(client, stranger, body)
            #expect(probe.status == .conflict, "\(probe.text)")
            #expect(!probe.text.contains(id) && !probe.text.contains("already has") && !probe.text.contains("masked"), "\(probe.text)")
            let documents = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: holder)
            #expect(documents.json["total"] as? Int == 1)
        }
    }

    @Test("23.6: a SubmissionSet unique id used by masked documents only answers as an unused one; the submitter's own reuse is refused",
          arguments: TestEngine.available)
    func submissionSetOracle(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let stranger = try await tokens.bearer(.doctor("99700000033"))
            let pushed = try await client.execute(uri: "/fhir", method: .post, headers: author + fhirJSON,
                                                  body: TransactionRoutesTests.twoDocuments(setID: "urn:oid:1.2.250.1.999.616161"))
            #expect(pushed.status == .ok, "\(pushed.text)")
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: holder)
            for id in DocumentRoutesTests.ids(search) {
                #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)/$mask", method: .post, headers: holder + fhirJSON).status == .ok)
            }
            func push(_ headers: HTTPFields, set: String) async throws -> TestResponse {
                try await client.execute(uri: "/fhir", method: .post, headers: headers + fhirJSON, body: TransactionRoutesTests.bundle([
                    TransactionRoutesTests.submissionSet(uniqueID: set, entries: ["urn:uuid:eeeeeeee-0000-0000-0000-000000000001"]),
                    TransactionRoutesTests.document("urn:uuid:eeeeeeee-0000-0000-0000-000000000001", binary: "urn:uuid:eeeeeeee-0000-0000-0000-000000000002",
                                                    ins: .fixture(), uniqueID: "urn:oid:1.2.250.1.999.\(Int.random(in: 1...9_999_999))",
                                                    content: TransactionRoutesTests.cda1),
                    TransactionRoutesTests.binary("urn:uuid:eeeeeeee-0000-0000-0000-000000000002", TransactionRoutesTests.cda1),
                ]))
            }
            let probe = try await push(stranger, set: "urn:oid:1.2.250.1.999.616161")
            let fresh = try await push(stranger, set: "urn:oid:1.2.250.1.999.626262")
            #expect(probe.status == .ok && fresh.status == .ok, "a used id answers as an unused one: \(probe.text)")
            let statuses = { (response: TestResponse) in
                (response.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["response"] as? [String: Any])?["status"] as? String }
            }
            #expect(statuses(probe) == statuses(fresh))
            let own = try await push(author, set: "urn:oid:1.2.250.1.999.616161")
            #expect(own.status == .conflict && !own.text.contains("List/"), "the submitter's own reuse is refused: \(own.text)")
        }
    }

    @Test("23.6, 24.4: pushing to another person's record answers as pushing to a record that does not exist",
          arguments: TestEngine.available)
    func pushingToAnotherRecord(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let other = try await tokens.bearer(.patient(.fixture(7)))
            let existing = try await DocumentRoutesTests.push(client, other, DocumentRoutesTests.documentBody(.fixture()))
            let missing = try await DocumentRoutesTests.push(client, other, DocumentRoutesTests.documentBody(.fixture(8)))
            #expect(existing.status == .notFound && existing.status == missing.status, "\(existing.text)")
            #expect(existing.text == missing.text)
            let existingBundle = try await client.execute(uri: "/fhir", method: .post, headers: other + fhirJSON, body: TransactionRoutesTests.twoDocuments(.fixture()))
            let missingBundle = try await client.execute(uri: "/fhir", method: .post, headers: other + fhirJSON, body: TransactionRoutesTests.twoDocuments(.fixture(8)))
            #expect(existingBundle.status == .notFound && existingBundle.text == missingBundle.text, "\(existingBundle.text)")
        }
    }

    @Test("23.5: the author cannot lift the patient's mask with a TD3.3a JSON Patch; the patient can, and the author's own mask stays theirs",
          arguments: TestEngine.available)
    func authorLiftingPatientsMask(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let id = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).json["id"] as? String)
            let uri = "/fhir/DocumentReference/\(id)"
            #expect(try await client.execute(uri: uri, method: .patch, headers: holder + Self.jsonPatch,
                                             body: AccessControlRoutesTests.relabel("MASQUE_PS")).status == .ok)
            let lifted = try await client.execute(uri: uri, method: .patch, headers: author + Self.jsonPatch,
                                                  body: AccessControlRoutesTests.relabel("N", system: Self.normalConfidentiality))
            #expect(lifted.status == .forbidden && lifted.text.contains("patient masked"), "\(lifted.text)")
            let unmaskOperation = try await client.execute(uri: "\(uri)/$unmask", method: .post, headers: author + fhirJSON)
            #expect(unmaskOperation.status == .forbidden)
            let stillMasked = try await client.execute(uri: uri, method: .get, headers: author)
            #expect(stillMasked.text.contains("MASQUE_PS"))

            #expect(try await client.execute(uri: uri, method: .patch, headers: holder + Self.jsonPatch,
                                             body: AccessControlRoutesTests.relabel("N", system: Self.normalConfidentiality)).status == .ok)
            #expect(try await client.execute(uri: "\(uri)/$mask", method: .post, headers: author + fhirJSON).status == .ok)
            let ownLifted = try await client.execute(uri: uri, method: .patch, headers: author + Self.jsonPatch,
                                                     body: AccessControlRoutesTests.relabel("N", system: Self.normalConfidentiality))
            #expect(ownLifted.status == .ok, "the author lifts a mask they set: \(ownLifted.text)")
        }
    }

    @Test("23.14: a unique id planted in other records neither hides nor shadows the holder's document in a conditional patch",
          arguments: TestEngine.available)
    func plantedUniqueIDs(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let planter = try await tokens.bearer(.doctor("99700000033"))
            for seed in 20..<32 {
                _ = try await createPatient(client, tokens, .fixture(seed))
                let planted = try await DocumentRoutesTests.push(client, planter, DocumentRoutesTests.documentBody(.fixture(seed), uniqueID: "1.2.250.1.999.717171"))
                #expect(planted.status == .created, "\(planted.text)")
            }
            _ = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let holder = try await tokens.bearer(.patient(.fixture()))
            let id = try #require(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.717171"))
                .json["id"] as? String)
            let byUniqueID = "/fhir/DocumentReference?identifier=urn:ietf:rfc:3986%7Curn:oid:1.2.250.1.999.717171"
            let masked = try await client.execute(uri: byUniqueID, method: .patch, headers: holder + Self.jsonPatch,
                                                  body: AccessControlRoutesTests.relabel("MASQUE_PS"))
            #expect(masked.status == .ok && masked.json["id"] as? String == id, "\(masked.text)")
            let unscoped = try await client.execute(uri: byUniqueID, method: .patch, headers: author + Self.jsonPatch,
                                                    body: AccessControlRoutesTests.relabel("MASQUE_PS"))
            #expect(unscoped.status == .ok && unscoped.json["id"] as? String == id, "the author's only visible one: \(unscoped.text)")
            let ins = INS.fixture()
            let scoped = try await client.execute(uri: "\(byUniqueID)&patient.identifier=\(ins.system.uri)%7C\(ins.value)", method: .patch,
                                                  headers: author + Self.jsonPatch, body: AccessControlRoutesTests.relabel("MASQUE_PS"))
            #expect(scoped.status == .ok && scoped.json["id"] as? String == id, "\(scoped.text)")
        }
    }

    @Test("23.13: CDA content with a document type declaration is refused on every path, however it is spelled or encoded (also ContentInspectionTests)",
          arguments: TestEngine.available)
    func doctypeOnEveryPath(_ engine: TestEngine) async throws {
        let doctype = #"<!DOCTYPE ClinicalDocument [<!ENTITY x "synthetic">]>"#
        let cda = #"<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>"#
        let utf16 = (#"<?xml version="1.0" encoding="UTF-16"?>"# + doctype + cda).data(using: .utf16LittleEndian)!
        let utf7 = Data((#"<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE ClinicalDocument+AD4-"# + cda).utf8)
        let lowerCase = Data(("<!doctype ClinicalDocument>" + cda).utf8)
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let author = try await tokens.bearer(.doctor())
            for content in [utf16, utf7, lowerCase] {
                let body = DocumentRoutesTests.documentBody(content: "", contentType: "application/xml")
                let text = String(buffer: body).replacingOccurrences(of: #""data": """#, with: #""data": "\#(content.base64EncodedString())""#)
                let single = try await DocumentRoutesTests.push(client, author, .json(text))
                #expect(single.status == .badRequest && single.expression == "DocumentReference.content[0].attachment.data", "\(single.text)")
                // The declared size and hash are the content's own: only the content's kind can be refused.
                let document = TransactionRoutesTests.document("urn:uuid:ffffffff-0000-0000-0000-000000000001", binary: "urn:uuid:ffffffff-0000-0000-0000-000000000002",
                                                               ins: .fixture(), uniqueID: nil, content: "")
                    .replacingOccurrences(of: #""size": 0, "hash": "\#(sha1Base64(Data()))""#,
                                          with: #""size": \#(content.count), "hash": "\#(sha1Base64(content))""#)
                #expect(document.contains(sha1Base64(content)))
                let bundle = TransactionRoutesTests.bundle([
                    document,
                    #"{"fullUrl": "urn:uuid:ffffffff-0000-0000-0000-000000000002", "resource": {"resourceType": "Binary", "contentType": "application/xml", "data": "\#(content.base64EncodedString())"}, "request": {"method": "POST", "url": "Binary"}}"#,
                ])
                let transaction = try await client.execute(uri: "/fhir", method: .post, headers: author + fhirJSON, body: bundle)
                #expect(transaction.status == .badRequest && (transaction.text.contains("document type") || transaction.text.contains("UTF-8")),
                        "\(transaction.text)")
            }
            let documents = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: author)
            #expect(documents.json["total"] as? Int == 0)
        }
    }
}
