import CarnetCore
import CarnetService
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `_content` and `_text` on DocumentReference through the real router (issue 18): words inside text,
/// CDA narrative and PDF content, and the metadata, in French (case, accents, endings folded), decided
/// in the database before paging, so totals and pages are exact.
@Suite("Search inside the documents")
struct DocumentContentSearchTests {
    /// A level-3 CDA whose narrative says `words`.
    static func cda(_ words: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>CR synthétique</title>"#
            + #"<component><structuredBody><component><section><title>Conclusion</title><text><paragraph>"#
            + words + "</paragraph></text></section></component></structuredBody></component></ClinicalDocument>"
    }

    static func push(_ client: any TestClientProtocol, _ headers: HTTPFields, content: Data, contentType: String,
                     title: String = "Compte rendu (synthetic)") async throws -> String {
        let body = DocumentRoutesTests.documentBody(content: "", contentType: contentType).replacingTitle(with: title)
        let text = String(buffer: body).replacingOccurrences(of: #""data": """#, with: #""data": "\#(content.base64EncodedString())""#)
        let pushed = try await DocumentRoutesTests.push(client, headers, ByteBuffer(string: text))
        #expect(pushed.status == .created, "\(pushed.text)")
        return try #require(pushed.json["id"] as? String)
    }

    static func search(_ client: any TestClientProtocol, _ headers: HTTPFields, _ patientID: String, _ parameters: String) async throws -> TestResponse {
        try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)&\(parameters)", method: .get, headers: headers)
    }

    @Test("words of text, CDA narrative, PDF text and metadata find their document, folded in French", arguments: TestEngine.available)
    func findsByWords(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let text = try await Self.push(client, doctor, content: Data("Échocardiographie : fuite mitrale minime.".utf8), contentType: "text/plain")
            let cda = try await Self.push(client, doctor, content: Data(Self.cda("Insuffisance aortique s&#233;v&#232;re").utf8),
                                          contentType: "application/xml")
            let pdf = try await Self.push(client, doctor, content: TestPDF.make("Coloscopie sans polype"), contentType: "application/pdf")
            let titled = try await Self.push(client, doctor, content: Data("Rien de particulier.".utf8), contentType: "text/plain",
                                             title: "Bilan lipidique")
            func found(_ parameters: String) async throws -> [String] {
                let answer = try await Self.search(client, doctor, patientID, parameters)
                #expect(answer.status == .ok, "\(parameters): \(answer.text)")
                #expect(answer.json["total"] as? Int == DocumentRoutesTests.ids(answer).count, "\(parameters): the total counts the matches")
                return DocumentRoutesTests.ids(answer)
            }
            #expect(try await found("_content=FUITES%20MITRALES") == [text], "case, accents and plural folded")
            #expect(try await found("_content=echocardiographie") == [text])
            #expect(try await found("_text=s%C3%A9v%C3%A8re%20aortique") == [cda], "CDA narrative, references decoded")
            #expect(try await found("_content=lipidiques") == [titled], "metadata: the title")
            #expect(try await found("_content=fuite%20aortique").isEmpty, "every word must be found")
            #expect(Set(try await found("_content=synthetic")) == [text, cda, pdf], "metadata: the title the others share")
            if PDFTextExtractor.defaultExecutable() != nil {
                #expect(try await found("_content=polypes") == [pdf], "PDF text, extracted by pdftotext")
            }
            #expect(try await found("_content=mitrale&type=11502-2").isEmpty, "with the other criteria")
            let counted = try await Self.search(client, doctor, patientID, "_content=mitrale&_summary=count")
            #expect(counted.json["total"] as? Int == 1)
        }
    }

    @Test("totals and pages are exact; a deleted document's words find it no more", arguments: TestEngine.available)
    func pagingAndDeletion(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            var ids: [String] = []
            for index in 0..<3 {
                ids.append(try await Self.push(client, doctor, content: Data("Suivi numéro \(index) : tension artérielle stable.".utf8),
                                               contentType: "text/plain"))
            }
            _ = try await Self.push(client, doctor, content: Data("Autre chose.".utf8), contentType: "text/plain")
            let first = try await Self.search(client, doctor, patientID, "_content=tension&_count=2")
            #expect(first.json["total"] as? Int == 3 && DocumentRoutesTests.ids(first).count == 2)
            let next = try #require((first.json["link"] as? [[String: Any]])?.first { $0["relation"] as? String == "next" }?["url"] as? String)
            let second = try await client.execute(uri: next.replacingOccurrences(of: "http://carnet.test", with: ""), method: .get, headers: doctor)
            #expect(second.json["total"] as? Int == 3 && DocumentRoutesTests.ids(second).count == 1)
            #expect(Set(DocumentRoutesTests.ids(first) + DocumentRoutesTests.ids(second)) == Set(ids))

            let deleted = try await client.execute(uri: "/fhir/DocumentReference/\(ids[0])", method: .delete, headers: doctor)
            #expect(deleted.status == .noContent)
            let after = try await Self.search(client, doctor, patientID, "_content=tension&status=current,superseded,entered-in-error")
            #expect(after.json["total"] as? Int == 2 && !DocumentRoutesTests.ids(after).contains(ids[0]))
        }
    }

    @Test("words that cannot be searched, a search naming no patient, a bad flag: 400 naming the parameter", arguments: TestEngine.available)
    func badInput(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let stopWords = try await Self.search(client, doctor, patientID, "_content=le%20de%20la")
            #expect(stopWords.status == .badRequest && stopWords.expression == "_content", "\(stopWords.text)")
            let long = try await Self.search(client, doctor, patientID, "_text=\(String(repeating: "a", count: 501))")
            #expect(long.status == .badRequest && long.expression == "_text")
            let noPatient = try await client.execute(uri: "/fhir/DocumentReference?_id=\(UUID().uuidString.lowercased())&_content=mitrale",
                                                     method: .get, headers: doctor)
            #expect(noPatient.status == .badRequest && noPatient.expression == "_content")
            let flag = try await Self.search(client, doctor, patientID, "new-since-last-access=maybe")
            #expect(flag.status == .badRequest && flag.expression == "new-since-last-access")
        }
    }
}
