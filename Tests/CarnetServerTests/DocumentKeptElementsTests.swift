import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Nothing a sender sends is lost (issue 22): the elements MHD and PDSm map that Carnet does not search
/// on — contained author resources, the legal authenticator, `attachment.creation`,
/// `context.sourcePatientInfo`, `context.related` — are read back as sent, by id, search and history.
@Suite("Document elements kept as sent")
struct DocumentKeptElementsTests {
    static let contained = """
    [{"resourceType": "Practitioner", "id": "prac", "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}],
      "name": [{"family": "TEST", "given": ["Alice"], "prefix": ["Dr"]}],
      "qualification": [{"code": {"coding": [{"system": "urn:oid:1.2.250.1.213.1.1.4.5", "code": "10"}]}}]},
     {"resourceType": "Organization", "id": "org", "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.2", "value": "1750000000"}],
      "name": "Centre hospitalier (synthetic)"},
     {"resourceType": "PractitionerRole", "id": "role", "practitioner": {"reference": "#prac"}, "organization": {"reference": "#org"},
      "code": [{"coding": [{"system": "urn:oid:1.2.250.1.213.1.1.4.5", "code": "10"}]}]},
     {"resourceType": "Patient", "id": "source", "identifier": [{"system": "urn:oid:1.2.250.1.999.7", "value": "IPP-123"}],
      "name": [{"family": "MARTIN"}], "birthDate": "1985-07-12", "gender": "female"}]
    """

    /// A DocumentReference as PDSm's TD2 pushes it, with every element this suite checks.
    static func body(_ ins: INS = .fixture(), contained: String = Self.contained, authenticator: String = "#role") -> ByteBuffer {
        .json("""
        {"resourceType": "DocumentReference", "contained": \(contained),
         "masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.2.250.1.999.\(Int.random(in: 1...9_999_999))"},
         "status": "current",
         "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},
         "subject": {"reference": "Patient?identifier=\(ins.system.uri)|\(ins.value)"},
         "date": "2026-03-10T09:30:00+01:00",
         "author": [{"reference": "#role"}, {"reference": "#org"}],
         "authenticator": {"reference": "\(authenticator)"},
         "content": [{"attachment": {"contentType": "text/plain", "data": "\(Data("Synthetic report.".utf8).base64EncodedString())",
                                     "creation": "2026-03-09T18:00:00+01:00"}}],
         "context": {"sourcePatientInfo": {"reference": "#source"},
                     "related": [{"identifier": {"system": "urn:oid:1.2.250.1.999.8", "value": "VISIT-42"}}]}}
        """)
    }

    static func sent() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body().readableBytesView)) as? [String: Any])
    }

    /// Checks that `resource` holds every kept element as `sent` has it.
    static func expectKept(_ resource: [String: Any], _ sent: [String: Any], _ sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((resource["contained"] as? NSArray) == (sent["contained"] as? NSArray), "\(resource["contained"] ?? "none")", sourceLocation: sourceLocation)
        #expect((resource["authenticator"] as? NSDictionary) == (sent["authenticator"] as? NSDictionary), sourceLocation: sourceLocation)
        let authors = (resource["author"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }
        #expect(authors == ["#role", "#org"], sourceLocation: sourceLocation)
        let attachment = ((resource["content"] as? [[String: Any]])?.first?["attachment"]) as? [String: Any]
        #expect(attachment?["creation"] as? String == "2026-03-09T18:00:00+01:00", sourceLocation: sourceLocation)
        let context = resource["context"] as? [String: Any], sentContext = sent["context"] as? [String: Any]
        #expect((context?["sourcePatientInfo"] as? NSDictionary) == (sentContext?["sourcePatientInfo"] as? NSDictionary), sourceLocation: sourceLocation)
        #expect((context?["related"] as? NSArray) == (sentContext?["related"] as? NSArray), sourceLocation: sourceLocation)
    }

    @Test("a pushed DocumentReference reads back with what was sent: by id, by search, in its history", arguments: TestEngine.available)
    func keptOnRead(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let sent = try Self.sent()
            let created = try await DocumentRoutesTests.push(client, doctor, Self.body())
            #expect(created.status == .created, "\(created.text)")
            Self.expectKept(created.json, sent)
            let id = try #require(created.json["id"] as? String)
            Self.expectKept(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: doctor).json, sent)
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let found = try #require((search.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
            Self.expectKept(found, sent)
            // The author is still found by the identifier of its contained resource.
            let byAuthor = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&author.identifier=899700000011",
                                                    method: .get, headers: doctor)
            #expect(byAuthor.json["total"] as? Int == 1)
            let masked = try await client.execute(uri: "/fhir/DocumentReference/\(id)/$mask", method: .post, headers: doctor)
            #expect(masked.status == .ok, "\(masked.text)")
            // Both versions, the pushed one and the masked one, hold what was sent.
            let history = try await client.execute(uri: "/fhir/DocumentReference/\(id)/_history", method: .get, headers: doctor)
            let versions = history.json["entry"] as? [[String: Any]] ?? []
            #expect(versions.count == 2, "\(history.text)")
            for entry in versions {
                Self.expectKept(try #require(entry["resource"] as? [String: Any]), sent)
            }
        }
    }

    @Test("a contained author in an ITI-65 bundle comes back whole, not as {}", arguments: TestEngine.available)
    func containedInTransaction(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let response = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: TransactionRoutesTests.twoDocuments())
            #expect(response.status == .ok, "\(response.text)")
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            for entry in search.json["entry"] as? [[String: Any]] ?? [] {
                let resource = try #require(entry["resource"] as? [String: Any])
                let contained = try #require((resource["contained"] as? [[String: Any]])?.first)
                #expect(contained["resourceType"] as? String == "Practitioner")
                #expect(((contained["name"] as? [[String: Any]])?.first?["family"]) as? String == "TEST")
                #expect(((resource["author"] as? [[String: Any]])?.first?["reference"]) as? String == "#author")
            }
        }
    }

    @Test("kept elements that would not be valid R4 are refused, naming the element", arguments: [
        (#"[{"resourceType": "Organization", "name": "x"}]"#, "#role", "DocumentReference.contained[0].id"),
        (#"[{"resourceType": "Organization", "id": "role"}, {"resourceType": "Organization", "id": "lost"}]"#, "#role",
         "DocumentReference.contained[1]"),
        (#"[{"resourceType": "Organization", "id": "role", "contained": [{"resourceType": "Organization", "id": "x"}]}]"#, "#role",
         "DocumentReference.contained[0].contained"),
        (#"[{"resourceType": "Organization", "id": "role"}]"#, "#nobody", "DocumentReference"),
    ])
    func refused(_ contained: String, _ authenticator: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            let body = String(buffer: Self.body(contained: contained, authenticator: authenticator))
                .replacingOccurrences(of: ##""author": [{"reference": "#role"}, {"reference": "#org"}]"##, with: ##""author": [{"reference": "#role"}]"##)
                .replacingOccurrences(of: ##""sourcePatientInfo": {"reference": "#source"},"##, with: "")
            let response = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), .json(body))
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.expression == expression, "\(response.diagnostics)")
        }
    }

    /// Extensions as senders put them on a DocumentReference: a reference to a contained resource, one
    /// by identifier, one nested under another, and a plain value.
    static let extensions = """
    [{"url": "https://example.org/fhir/StructureDefinition/author-organization", "valueReference": {"reference": "#org"}},
     {"url": "https://example.org/fhir/StructureDefinition/ordering-practitioner",
      "valueReference": {"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}, "display": "Dr TEST (synthetic)"}},
     {"url": "https://example.org/fhir/StructureDefinition/origin", "extension": [
        {"url": "system", "valueReference": {"reference": "Device/sender-1", "display": "LPS (synthetic)"}},
        {"url": "note", "valueString": "kept as sent"}]}]
    """

    static func withExtensions(_ extensions: String) -> ByteBuffer {
        .json(String(buffer: body()).replacingOccurrences(of: #""masterIdentifier""#, with: #""extension": \#(extensions), "masterIdentifier""#))
    }

    @Test("extensions on a pushed DocumentReference come back whole, valueReference included: by id, search and history", arguments: TestEngine.available)
    func extensionsKept(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(Self.extensions.utf8)) as? NSArray)
            let created = try await DocumentRoutesTests.push(client, doctor, Self.withExtensions(Self.extensions))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["extension"] as? NSArray == sent, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: doctor).json["extension"] as? NSArray == sent)
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(((search.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])?["extension"] as? NSArray == sent)
            // Archived, the document says so beside what was sent, once.
            let archived = try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .patch, headers: doctor + DocumentLifecycleTests.jsonPatch,
                                                    body: DocumentLifecycleTests.archive(true))
            #expect(archived.status == .ok, "\(archived.text)")
            let urls = (archived.json["extension"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
            #expect(urls.count == 4 && urls.filter { $0.hasSuffix("pdsm-ext-is-archived") }.count == 1, "\(urls)")
            let history = try await client.execute(uri: "/fhir/DocumentReference/\(id)/_history", method: .get, headers: doctor)
            let first = ((history.json["entry"] as? [[String: Any]])?.last?["resource"] as? [String: Any])?["extension"] as? NSArray
            #expect(first == sent)
        }
    }

    @Test("an extension that would not be valid R4 (a value and nested extensions, two values, neither, empty or null) is refused, naming it", arguments: [
        #"[{"url": "https://example.org/x", "valueString": "a", "extension": [{"url": "y", "valueString": "b"}]}]"#,
        ##"[{"url": "https://example.org/x", "valueString": "a", "valueReference": {"reference": "#org"}}]"##,
        #"[{"url": "https://example.org/x"}]"#,
        #"[{"url": "https://example.org/x", "valueString": ""}]"#,
        #"[{"url": "https://example.org/x", "valueReference": null}]"#,
    ])
    func invalidExtension(_ extensions: String) async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            let response = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), Self.withExtensions(extensions))
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.expression?.hasPrefix("DocumentReference.extension[0]") == true, "\(response.diagnostics)")
        }
    }

    /// What a sender writes beside the elements Carnet reads: a narrative, languages, the document's own
    /// status, and coded elements with a second coding or a text (its `context` in ``describedContext``).
    static let described = """
    "language": "fr-FR", "docStatus": "final",
    "text": {"status": "generated", "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Compte rendu (synthetic)</div>"},
    "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4", "display": "Consult note"},
                        {"system": "urn:oid:1.2.250.1.213.1.1.4.12", "code": "11488-4"}], "text": "Compte rendu de consultation"},
    "category": [{"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument", "code": "10"}]},
                 {"text": "second category"}],
    """

    /// The document's encounter and coded context elements with more than Carnet reads.
    static let describedContext = """
    {"encounter": [{"identifier": {"system": "urn:oid:1.2.250.1.999.8", "value": "VISIT-7"}}],
     "facilityType": {"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite", "code": "SA07"}],
                      "text": "Cabinet (synthetic)"},
     "practiceSetting": {"coding": [{"system": "https://mos.esante.gouv.fr/NOS/TRE_A00-ProducteurDocNonPS/FHIR/TRE-A00-ProducteurDocNonPS", "code": "ETABLISSEMENT"}]},
     "event": [{"coding": [{"system": "http://snomed.info/sct", "code": "71388002"}], "text": "Procedure"}],
     "period": {"start": "2026-03-01", "end": "2026-03-09T18:00:00+01:00"}}
    """

    static func describedBody() -> ByteBuffer {
        .json(String(buffer: DocumentRoutesTests.documentBody(extra: described))
            .replacingOccurrences(of: #""type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},"#, with: "")
            .replacingOccurrences(of: #""category": [{"coding": [{"system": "urn:oid:1.2.250.1.213.1.1.4.1", "code": "10"}]}],"#, with: "")
            .replacingOccurrences(of: #""context": {"practiceSetting": {"coding": [{"code": "GENE"}]}}"#, with: #""context": \#(describedContext)"#))
    }

    @Test("the narrative, language, docStatus, encounter, a period's dates and coded elements with more than one coding come back as sent, also after a change",
          arguments: TestEngine.available)
    func describedKept(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let sent = try #require(try JSONSerialization.jsonObject(with: Data("{\(Self.described) \"context\": \(Self.describedContext)}".utf8)) as? [String: Any])
            let created = try await DocumentRoutesTests.push(client, doctor, Self.describedBody())
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let masked = try await client.execute(uri: "/fhir/DocumentReference/\(id)/$mask", method: .post, headers: doctor)
            #expect(masked.status == .ok, "\(masked.text)")
            for resource in [created.json, try await client.execute(uri: "/fhir/DocumentReference/\(id)", method: .get, headers: doctor).json] {
                for key in ["language", "docStatus", "text", "type", "category"] {
                    #expect((resource[key] as? NSObject) == (sent[key] as? NSObject), "\(key): \(resource[key] ?? "none")")
                }
                let context = resource["context"] as? [String: Any] ?? [:], sentContext = sent["context"] as? [String: Any] ?? [:]
                for key in ["encounter", "facilityType", "practiceSetting", "event", "period"] {
                    #expect((context[key] as? NSObject) == (sentContext[key] as? NSObject), "context.\(key): \(context[key] ?? "none")")
                }
            }
            // Still found by the coding Carnet reads, and by the period as the instants it spans.
            let byPeriod = try await client.execute(uri: "/fhir/DocumentReference?patient.identifier=\(INS.fixture().system.uri)%7C\(INS.fixture().value)&period=ge2026-03-01",
                                                    method: .get, headers: doctor)
            #expect(byPeriod.json["total"] as? Int == 1, "\(byPeriod.text)")
            let byType = try await client.execute(uri: "/fhir/DocumentReference?patient.identifier=\(INS.fixture().system.uri)%7C\(INS.fixture().value)&type=11488-4",
                                                  method: .get, headers: doctor)
            #expect(byType.json["total"] as? Int == 1, "\(byType.text)")
        }
    }

    @Test("a docStatus outside its codes or a narrative without status and div is refused, naming it", arguments: [
        (#""docStatus": "done","#, "DocumentReference.docStatus"),
        (#""text": {"status": "generated"},"#, "DocumentReference.text"),
        (#""text": {"status": "generated", "div": ""},"#, "DocumentReference.text.div"),
    ])
    func describedRefused(_ element: String, _ expression: String) async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            let body = String(buffer: DocumentRoutesTests.documentBody()).replacingOccurrences(of: #""status": "current","#, with: #""status": "current", \#(element)"#)
            let response = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), .json(body))
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.expression == expression, "\(response.diagnostics)")
        }
    }
}
