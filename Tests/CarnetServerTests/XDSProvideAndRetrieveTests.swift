import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ITI-41 and ITI-43 through the real router, onto the same service as MHD: what is pushed over
/// XDS.b is found over FHIR with the same metadata, and what is pushed over MHD is retrieved over XDS.b.
@Suite("XDS.b Provide and Register (ITI-41), Retrieve (ITI-43)")
struct XDSProvideAndRetrieveTests {
    static func resources(_ bundle: TestResponse) -> [[String: Any]] {
        (bundle.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
    }

    static func coding(_ value: Any?) -> [String: Any]? {
        ((value as? [String: Any])?["coding"] as? [[String: Any]])?.first
    }

    @Test("pushed over XDS.b (inline), found over MHD with the same metadata, its submission set listed", arguments: TestEngine.available)
    func pushOverXDSFindOverMHD(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            var document = XDSMessages.Document()
            document.confidentiality.append(("MASQUE_PS", "1.2.250.1.213.1.1.4.13"))
            let pushed = try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([document], setUniqueID: "1.2.250.1.999.4.1"))
            #expect(pushed.status == .ok)
            #expect(pushed.xdsStatus == "Success", "\(pushed.text)")
            #expect(pushed.text.contains("urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse"))
            #expect(pushed.text.contains("urn:uuid:0d3c0c2e-4a4e-4cde-9c1d-3c1b7d9e0001"), "RelatesTo the request's MessageID")

            let found = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let resource = try #require(Self.resources(found).first)
            #expect((resource["masterIdentifier"] as? [String: Any])?["value"] as? String == document.uniqueID)
            #expect(Self.coding(resource["type"])?["system"] as? String == "http://loinc.org")
            #expect(Self.coding(resource["type"])?["code"] as? String == "11488-4")
            #expect(Self.coding((resource["category"] as? [Any])?.first)?["code"] as? String == "10")
            #expect(Self.coding((resource["category"] as? [Any])?.first)?["system"] as? String == "urn:oid:1.2.250.1.213.1.1.4.1")
            let context = try #require(resource["context"] as? [String: Any])
            #expect(Self.coding(context["facilityType"])?["code"] as? String == "SA07")
            #expect(Self.coding(context["practiceSetting"])?["code"] as? String == "ETABLISSEMENT")
            #expect((context["period"] as? [String: Any])?["start"] as? String == "2026-03-10T08:00:00.000Z")
            let labels = (resource["securityLabel"] as? [Any] ?? []).compactMap { Self.coding($0)?["code"] as? String }
            #expect(Set(labels) == ["MASQUE_PS", "N"])
            let authors = (resource["author"] as? [[String: Any]] ?? []).compactMap { ($0["identifier"] as? [String: Any])?["value"] as? String }
            #expect(authors == ["899700000011", "399999999"], "the person and the institution")
            #expect(resource["description"] as? String == document.title)
            #expect(resource["date"] as? String == "2026-03-10T08:30:00.000Z")
            let attachment = try #require(((resource["content"] as? [[String: Any]])?.first?["attachment"]) as? [String: Any])
            #expect(attachment["hash"] as? String == sha1Base64(Data(document.content.utf8)))
            #expect(attachment["language"] as? String == "fr-FR")

            let sets = try await client.execute(uri: "/fhir/List?patient=\(patientID)&code=submissionset", method: .get, headers: doctor)
            let set = try #require(Self.resources(sets).first)
            #expect((set["identifier"] as? [[String: Any]] ?? []).contains { $0["value"] as? String == "1.2.250.1.999.4.1" })
            #expect((set["entry"] as? [Any])?.count == 1)
        }
    }

    @Test("pushed over XDS.b as MTOM/XOP, retrieved over ITI-43 (MTOM and inline) and over MHD, the same bytes")
    func mtomPushAndRetrieve() async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            var document = XDSMessages.Document()
            document.mimeType = "application/pdf"
            document.content = "%PDF-1.4 synthetic \(UUID())"
            let (headers, body) = XDSMessages.mtom(XDSMessages.provideAndRegister([document], mtom: true),
                                                   parts: [(document.id, Data(document.content.utf8))])
            let pushed = try await client.execute(uri: "/xds/repository", method: .post, headers: doctor + headers, body: body)
            #expect(pushed.xdsStatus == "Success", "\(pushed.text)")

            let (mtomHeaders, mtomBody) = XDSMessages.mtom(XDSMessages.retrieve([document.uniqueID]), parts: [])
            let viaMTOM = try await client.execute(uri: "/xds/repository", method: .post, headers: doctor + mtomHeaders, body: mtomBody)
            #expect(viaMTOM.headers[.contentType]?.hasPrefix("multipart/related") == true)
            #expect(viaMTOM.text.contains("xop:Include"))
            #expect(viaMTOM.text.contains(document.content), "the bytes travel as a binary part")
            #expect(viaMTOM.xdsStatus == "Success")

            let inline = try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.retrieve([document.uniqueID]))
            #expect(inline.text.contains("<xdsb:Document>\(Data(document.content.utf8).base64EncodedString())</xdsb:Document>"))
            #expect(inline.text.contains("<xdsb:mimeType>application/pdf</xdsb:mimeType>"))
        }
    }

    @Test("pushed over MHD, retrieved over ITI-43; an unknown id beside it is a PartialSuccess")
    func pushOverMHDRetrieveOverXDS() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let report = "Compte rendu poussé par MHD (synthétique)."
            let pushed = try await DocumentRoutesTests.push(client, doctor, DocumentRoutesTests.documentBody(uniqueID: "1.2.250.1.999.5.1", content: report))
            #expect(pushed.status == .created)
            let holder = try await tokens.bearer(.patient(.fixture()))
            func history() async throws -> Int {
                try await client.execute(uri: "/fhir/AuditEvent?patient=\(patientID)&_summary=count", method: .get, headers: holder).json["total"] as? Int ?? -1
            }
            let before = try await history()
            let retrieved = try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.retrieve(["urn:oid:1.2.250.1.999.5.1"]))
            #expect(retrieved.xdsStatus == "Success", "\(retrieved.text)")
            #expect(try await history() > before, "the retrieval is in the patient's access history, as ITI-68's is")
            #expect(retrieved.text.contains(Data(report.utf8).base64EncodedString()))
            let partial = try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.retrieve(["urn:oid:1.2.250.1.999.5.1", "1.2.250.1.999.404"]))
            #expect(partial.xdsStatus == "PartialSuccess")
            #expect(partial.xdsErrorCodes == ["XDSDocumentUniqueIdError"])
            let elsewhere = try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.retrieve(["urn:oid:1.2.250.1.999.5.1"], repository: "1.2.3"))
            #expect(elsewhere.xdsStatus == "Failure" && elsewhere.xdsErrorCodes == ["XDSUnknownRepositoryId"])
        }
    }

    @Test("refusals are RegistryResponses with XDS error codes, and nothing is stored")
    func refusals() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            func push(_ xml: String) async throws -> TestResponse {
                let response = try await XDSMessages.post(client, "/xds/repository", doctor, xml)
                #expect(response.status == .ok, "a refusal is an answer, not an HTTP error")
                #expect(response.xdsStatus == "Failure", "\(response.text)")
                return response
            }
            let other = INS.fixture(2)
            let mismatch = try await push(XDSMessages.provideAndRegister([XDSMessages.Document()], setPatient: other))
            #expect(mismatch.xdsErrorCodes == ["XDSPatientIdDoesNotMatch"])
            var unknown = XDSMessages.Document()
            unknown.ins = other
            #expect(try await push(XDSMessages.provideAndRegister([unknown])).xdsErrorCodes == ["XDSUnknownPatientId"])
            let badDate = XDSMessages.provideAndRegister([XDSMessages.Document()]).replacingOccurrences(of: "<rim:Value>20260310083000</rim:Value>", with: "<rim:Value>2026-03-10</rim:Value>")
            #expect(try await push(badDate).xdsErrorCodes == ["XDSRepositoryMetadataError"])
            let badHash = XDSMessages.provideAndRegister([XDSMessages.Document()])
                .replacingOccurrences(of: #"<rim:Slot name="hash"><rim:ValueList><rim:Value>"#, with: #"<rim:Slot name="hash"><rim:ValueList><rim:Value>00"#)
            let hashRefusal = try await push(badHash)
            #expect(hashRefusal.xdsErrorCodes == ["XDSRepositoryMetadataError"] && hashRefusal.text.contains("SHA-1"))
            let noContent = XDSMessages.provideAndRegister([XDSMessages.Document()]).replacingOccurrences(of: "<xdsb:Document id=\"Document01\">", with: "<xdsb:Document id=\"Other\">")
            #expect(try await push(noContent).xdsErrorCodes == ["XDSMissingDocument"])
            var notPDF = XDSMessages.Document()
            notPDF.mimeType = "application/pdf"
            #expect(try await push(XDSMessages.provideAndRegister([notPDF])).xdsErrorCodes == ["XDSRepositoryMetadataError"])
            var both = XDSMessages.Document()
            both.confidentiality = [("MASQUE_PS", "1.2.250.1.213.1.1.4.13"), ("INVISIBLE_PATIENT", "1.2.250.1.213.1.1.4.13")]
            #expect(try await push(XDSMessages.provideAndRegister([both])).xdsErrorCodes == ["XDSRepositoryMetadataError"])
            var replacing = XDSMessages.Document()
            replacing.replaces = UUID().uuidString.lowercased()
            #expect(try await push(XDSMessages.provideAndRegister([replacing])).xdsErrorCodes == ["UnresolvedReferenceException"])

            var otherPatientsCDA = XDSMessages.Document()
            otherPatientsCDA.mimeType = "text/xml"
            otherPatientsCDA.content = """
                <?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3">\
                <code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/>\
                <recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="\(other.value)"/></patientRole></recordTarget>\
                <title>synthetic</title></ClinicalDocument>
                """
            let cdaRefusal = try await push(XDSMessages.provideAndRegister([otherPatientsCDA]))
            #expect(cdaRefusal.xdsErrorCodes == ["XDSPatientIdDoesNotMatch"], "the CDA names another patient than the metadata")

            let nothing = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(nothing.json["total"] as? Int == 0, "no refusal stored anything")

            // A unique id already taken: the second push is refused whole (all or nothing).
            let first = XDSMessages.Document()
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([first])).xdsStatus == "Success")
            var again = XDSMessages.Document()
            again.uniqueID = first.uniqueID
            var fresh = XDSMessages.Document()
            fresh.id = "Document02"
            #expect(try await push(XDSMessages.provideAndRegister([fresh, again].enumerated().map { index, document in
                var named = document
                named.id = "Document0\(index + 1)"
                return named
            })).xdsErrorCodes == ["XDSDocumentUniqueIdError"])
            let one = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            #expect(one.json["total"] as? Int == 1)
        }
    }

    @Test("a replacement by RPLC association supersedes the document it names, as MHD's relatesTo does")
    func replacement() async throws {
        try await withCarnet { client, tokens in
            let patientID = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor())
            let original = XDSMessages.Document()
            #expect(try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([original])).xdsStatus == "Success")
            let found = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let originalID = try #require(Self.resources(found).first?["id"] as? String)
            var replacement = XDSMessages.Document()
            replacement.replaces = originalID
            let replaced = try await XDSMessages.post(client, "/xds/repository", doctor, XDSMessages.provideAndRegister([replacement]))
            #expect(replaced.xdsStatus == "Success", "\(replaced.text)")
            let old = try await client.execute(uri: "/fhir/DocumentReference/\(originalID)", method: .get, headers: doctor)
            #expect(old.json["status"] as? String == "superseded")
            let current = try await client.execute(uri: "/fhir/DocumentReference?patient=\(patientID)", method: .get, headers: doctor)
            let relatesTo = (Self.resources(current).first?["relatesTo"] as? [[String: Any]])?.first
            #expect(relatesTo?["code"] as? String == "replaces")
            #expect((relatesTo?["target"] as? [String: Any])?["reference"] as? String == "DocumentReference/\(originalID)")
        }
    }
}
