import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 18, "CDA understood", through the router on both engines: a pushed CDA's header is checked
/// against its DocumentReference (another patient's INS, another type: 422 naming both values and the
/// field, nothing stored), and fills what the DocumentReference left out.
@Suite("CDA header routes")
struct CDAHeaderRoutesTests {
    /// A synthetic CI-SIS-shaped CDA (written for these tests) for `ins` (test OID), of LOINC `code`.
    static func cda(ins: INS = .fixture(), code: String = "11488-4") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3">
          <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
          <id root="1.2.250.1.999.18.\(Int.random(in: 1...9_999_999))"/>
          <code code="\(code)" displayName="CR de consultation" codeSystem="2.16.840.1.113883.6.1"/>
          <title>Consultation (synthétique)</title>
          <effectiveTime value="20260214103000+0100"/>
          <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
          <languageCode code="fr-FR"/>
          <setId root="1.2.250.1.999.18"/><versionNumber value="1"/>
          <recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="\(ins.value)"/></patientRole></recordTarget>
          <author><time value="20260214103000+0100"/><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="899700000011"/>
            <assignedPerson><name><given>Alice</given><family>LEMOINE</family></name></assignedPerson></assignedAuthor></author>
          <component><structuredBody><component><section><title>Conclusion</title><text><paragraph>Rien à signaler (synthétique).</paragraph></text></section></component></structuredBody></component>
        </ClinicalDocument>
        """
    }

    /// A DocumentReference carrying `cda`; `subject` replaces the INS subject when given.
    static func body(_ cda: String, type: String? = "11488-4", subject: String? = nil, bare: Bool = false) -> ByteBuffer {
        var text = String(buffer: DocumentRoutesTests.documentBody(type: type ?? "11488-4", content: cda, contentType: "application/xml"))
        if type == nil { text = text.replacingOccurrences(of: #" "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},"#, with: "") }
        if let subject {
            text = text.replacingOccurrences(of: "Patient?identifier=\(INS.fixture().system.uri)|\(INS.fixture().value)", with: subject)
        }
        if bare {
            text = text.replacingOccurrences(of: #" "date": "2026-03-10T09:30:00+01:00","#, with: "")
                .replacingOccurrences(of: #" "author": [{"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}, "display": "Dr Test"}],"#, with: "")
                .replacingOccurrences(of: #" "description": "Compte rendu (synthetic)","#, with: "")
        }
        return ByteBuffer(string: text)
    }

    @Test("a CDA for another patient is refused, naming the INS in the document and the one targeted; nothing is stored",
          arguments: TestEngine.available)
    func otherPatient(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let other = INS.fixture(7)
            let refused = try await DocumentRoutesTests.push(client, doctor, Self.body(Self.cda(ins: other)))
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.issue["code"] as? String == "business-rule" && refused.expression == "DocumentReference.subject")
            #expect(refused.diagnostics.contains(other.value) && refused.diagnostics.contains(INS.fixture().value), "\(refused.diagnostics)")
            // Named by record id, the record's INS is not said: only that it is another patient's.
            let byID = try await DocumentRoutesTests.push(client, doctor, Self.body(Self.cda(ins: other), subject: "Patient/\(patientID)"))
            #expect(byID.status == .unprocessableContent && byID.diagnostics.contains(other.value) && !byID.diagnostics.contains(INS.fixture().value),
                    "\(byID.diagnostics)")
            // In a transaction too, all or nothing.
            let otherCDA = Self.cda(ins: other)
            let bundle = TransactionRoutesTests.bundle([
                TransactionRoutesTests.document("urn:uuid:dddddddd-0000-0000-0000-000000000001", binary: "urn:uuid:dddddddd-0000-0000-0000-000000000002",
                                                ins: .fixture(), uniqueID: "urn:oid:1.2.250.1.999.18.41", content: TransactionRoutesTests.cda1),
                TransactionRoutesTests.binary("urn:uuid:dddddddd-0000-0000-0000-000000000002", TransactionRoutesTests.cda1),
                TransactionRoutesTests.document("urn:uuid:dddddddd-0000-0000-0000-000000000003", binary: "urn:uuid:dddddddd-0000-0000-0000-000000000004",
                                                ins: .fixture(), uniqueID: "urn:oid:1.2.250.1.999.18.42", content: otherCDA),
                TransactionRoutesTests.binary("urn:uuid:dddddddd-0000-0000-0000-000000000004", otherCDA),
            ])
            let transaction = try await client.execute(uri: "/fhir", method: .post, headers: doctor + fhirJSON, body: bundle)
            #expect(transaction.status == .unprocessableContent && transaction.diagnostics.contains(other.value), "\(transaction.text)")
            let search = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(search.json["total"] as? Int == 0, "no partial write")
            // The right patient's CDA goes in.
            #expect(try await DocumentRoutesTests.push(client, doctor, Self.body(Self.cda())).status == .created)
        }
    }

    @Test("a CDA whose type disagrees with the DocumentReference's is refused, naming both codes", arguments: TestEngine.available)
    func otherType(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let refused = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), Self.body(Self.cda(code: "11502-2")))
            #expect(refused.status == .unprocessableContent && refused.expression == "DocumentReference.type")
            #expect(refused.diagnostics.contains("11502-2") && refused.diagnostics.contains("11488-4"), "\(refused.diagnostics)")
        }
    }

    @Test("what the DocumentReference leaves out — type, date, author, title — is taken from the CDA header", arguments: TestEngine.available)
    func filled(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let pushed = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), Self.body(Self.cda(), type: nil, bare: true))
            #expect(pushed.status == .created, "\(pushed.text)")
            let coding = ((pushed.json["type"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
            #expect(coding?["system"] as? String == "http://loinc.org" && coding?["code"] as? String == "11488-4")
            #expect(pushed.json["date"] as? String == "2026-02-14T09:30:00.000Z", "20260214103000+0100, as an instant")
            let author = (pushed.json["author"] as? [[String: Any]])?.first
            #expect((author?["identifier"] as? [String: Any])?["value"] as? String == "899700000011" && author?["display"] as? String == "Alice LEMOINE")
            #expect(pushed.json["description"] as? String == "Consultation (synthétique)")
            // Without a CDA, a type is still required.
            let plain = String(buffer: DocumentRoutesTests.documentBody()).replacingOccurrences(
                of: #" "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},"#, with: "")
            let refused = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), ByteBuffer(string: plain))
            #expect(refused.status == .badRequest && refused.expression == "DocumentReference.type")
        }
    }
}
