import CarnetCore
import CarnetTestSupport
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// XDS.b requests written for Carnet from IHE ITI TF-2 and TF-3 (ebRIM 3.0, SOAP 1.2, WS-Addressing,
/// MTOM/XOP), with the DMP's metadata: small functions, one per message shape, never copied samples.
enum XDSMessages {
    static let soap = "http://www.w3.org/2003/05/soap-envelope"
    static let rim = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
    static let soapHeaders: HTTPFields = [.contentType: "application/soap+xml; charset=UTF-8"]
    static let repositoryUniqueID = "1.2.250.1.999.21.1"

    static func envelope(action: String, body: String, messageID: String = "urn:uuid:0d3c0c2e-4a4e-4cde-9c1d-3c1b7d9e0001") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soap:Envelope xmlns:soap="\(soap)" xmlns:wsa="http://www.w3.org/2005/08/addressing">
          <soap:Header>
            <wsa:Action soap:mustUnderstand="1">\(action)</wsa:Action>
            <wsa:MessageID>\(messageID)</wsa:MessageID>
            <wsa:To>http://carnet.test/xds</wsa:To>
          </soap:Header>
          <soap:Body>\(body)</soap:Body>
        </soap:Envelope>
        """
    }

    static func slot(_ name: String, _ values: String...) -> String {
        "<rim:Slot name=\"\(name)\"><rim:ValueList>\(values.map { "<rim:Value>\($0)</rim:Value>" }.joined())</rim:ValueList></rim:Slot>"
    }

    static func classification(_ scheme: String, object: String, code: String, codingScheme: String, display: String, id: String) -> String {
        """
        <rim:Classification classificationScheme="\(scheme)" classifiedObject="\(object)" nodeRepresentation="\(code)" id="\(id)">
          \(slot("codingScheme", codingScheme))<rim:Name><rim:LocalizedString value="\(display)"/></rim:Name>
        </rim:Classification>
        """
    }

    static func cx(_ ins: INS) -> String { "\(ins.value)^^^&amp;\(ins.system.uri.replacingOccurrences(of: "urn:oid:", with: ""))&amp;ISO" }

    /// One document of a submission, with the DMP's metadata.
    struct Document {
        var id = "Document01"
        var uniqueID = "1.2.250.1.999.3.\(Int.random(in: 1...9_999_999))"
        var mimeType = "text/plain"
        var content = "Compte rendu synthétique \(Int.random(in: 1...9_999_999)): rien de réel."
        var typeCode = "11488-4"
        var confidentiality: [(code: String, scheme: String)] = [("N", "2.16.840.1.113883.5.25")]
        var replaces: String?
        var ins: INS = .fixture()
        var title = "Compte rendu de consultation (synthétique)"
    }

    static func extrinsicObject(_ document: Document) -> String {
        let id = document.id
        let data = Data(document.content.utf8)
        let sha1 = Insecure.SHA1.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return """
        <rim:ExtrinsicObject id="\(id)" mimeType="\(document.mimeType)" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
          \(slot("creationTime", "20260310083000"))
          \(slot("languageCode", "fr-FR"))
          \(slot("serviceStartTime", "20260310080000"))
          \(slot("serviceStopTime", "20260310090000"))
          \(slot("sourcePatientId", cx(document.ins)))
          \(slot("hash", sha1))
          \(slot("size", String(data.count)))
          <rim:Name><rim:LocalizedString value="\(document.title)"/></rim:Name>
          <rim:Description><rim:LocalizedString value="Synthétique"/></rim:Description>
          <rim:Classification classificationScheme="urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d" classifiedObject="\(id)" nodeRepresentation="" id="\(id)-author">
            \(slot("authorPerson", "899700000011^TEST^Alice^^^^^^&amp;1.2.250.1.71.4.2.1&amp;ISO^D^^^IDNPS"))
            \(slot("authorInstitution", "Cabinet synthétique^^^^^&amp;1.2.250.1.71.4.2.2&amp;ISO^IDNST^^^399999999"))
            \(slot("authorRole", "10^Médecin^1.2.250.1.213.1.1.4.6"))
            \(slot("authorSpecialty", "SM54^Médecine générale (SM)^1.2.250.1.213.2.28"))
          </rim:Classification>
          \(classification("urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a", object: id, code: "10", codingScheme: "1.2.250.1.213.1.1.4.1", display: "Compte rendu", id: "\(id)-class"))
          \(document.confidentiality.enumerated().map { index, label in
              classification("urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f", object: id, code: label.code, codingScheme: label.scheme, display: label.code, id: "\(id)-conf\(index)")
          }.joined())
          \(classification("urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d", object: id, code: "urn:ihe:iti:xds:2017:mimeTypeSufficient", codingScheme: "1.3.6.1.4.1.19376.1.2.3", display: "mimeType Sufficient", id: "\(id)-format"))
          \(classification("urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1", object: id, code: "SA07", codingScheme: "1.2.250.1.71.4.2.4", display: "Cabinet individuel", id: "\(id)-facility"))
          \(classification("urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead", object: id, code: "ETABLISSEMENT", codingScheme: "1.2.250.1.213.1.1.4.9", display: "Etablissement de santé", id: "\(id)-setting"))
          \(classification("urn:uuid:f0306f51-975f-434e-a61c-c59651d33983", object: id, code: document.typeCode, codingScheme: "2.16.840.1.113883.6.1", display: "Consultation note", id: "\(id)-type"))
          <rim:ExternalIdentifier identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" value="\(cx(document.ins))" id="\(id)-pid" registryObject="\(id)">
            <rim:Name><rim:LocalizedString value="XDSDocumentEntry.patientId"/></rim:Name>
          </rim:ExternalIdentifier>
          <rim:ExternalIdentifier identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab" value="\(document.uniqueID)" id="\(id)-uid" registryObject="\(id)">
            <rim:Name><rim:LocalizedString value="XDSDocumentEntry.uniqueId"/></rim:Name>
          </rim:ExternalIdentifier>
        </rim:ExtrinsicObject>
        """
    }

    static func submissionSet(ins: INS, uniqueID: String) -> String {
        """
        <rim:RegistryPackage id="SubmissionSet01">
          \(slot("submissionTime", "20260310084500"))
          <rim:Name><rim:LocalizedString value="Envoi synthétique"/></rim:Name>
          <rim:Classification classificationScheme="urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d" classifiedObject="SubmissionSet01" nodeRepresentation="" id="ss-author">
            \(slot("authorPerson", "899700000011^TEST^Alice^^^^^^&amp;1.2.250.1.71.4.2.1&amp;ISO^D^^^IDNPS"))
          </rim:Classification>
          \(classification("urn:uuid:aa543740-bdda-424e-8c96-df4873be8500", object: "SubmissionSet01", code: "04", codingScheme: "1.2.250.1.213.1.1.4.12", display: "Hospitalisation", id: "ss-content"))
          <rim:ExternalIdentifier identificationScheme="urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8" value="\(uniqueID)" id="ss-uid" registryObject="SubmissionSet01">
            <rim:Name><rim:LocalizedString value="XDSSubmissionSet.uniqueId"/></rim:Name>
          </rim:ExternalIdentifier>
          <rim:ExternalIdentifier identificationScheme="urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832" value="1.2.250.1.999.7" id="ss-source" registryObject="SubmissionSet01">
            <rim:Name><rim:LocalizedString value="XDSSubmissionSet.sourceId"/></rim:Name>
          </rim:ExternalIdentifier>
          <rim:ExternalIdentifier identificationScheme="urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446" value="\(cx(ins))" id="ss-pid" registryObject="SubmissionSet01">
            <rim:Name><rim:LocalizedString value="XDSSubmissionSet.patientId"/></rim:Name>
          </rim:ExternalIdentifier>
        </rim:RegistryPackage>
        <rim:Classification classifiedObject="SubmissionSet01" classificationNode="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd" id="ss-node"/>
        """
    }

    /// ITI-41: the request body, documents inline in base64 unless `mtom` (then `xop:Include`s naming parts `<id>@test`).
    static func provideAndRegister(_ documents: [Document], setUniqueID: String = "1.2.250.1.999.4.\(Int.random(in: 1...9_999_999))",
                                   setPatient: INS? = nil, mtom: Bool = false) -> String {
        let associations = documents.map { document in
            """
            <rim:Association associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="SubmissionSet01" targetObject="\(document.id)" id="as-\(document.id)">
              \(slot("SubmissionSetStatus", "Original"))
            </rim:Association>
            """ + (document.replaces.map {
                "<rim:Association associationType=\"urn:ihe:iti:2007:AssociationType:RPLC\" sourceObject=\"\(document.id)\" targetObject=\"urn:uuid:\($0)\" id=\"rplc-\(document.id)\"/>"
            } ?? "")
        }.joined()
        let contents = documents.map { document in
            let payload = mtom ? "<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:\(document.id)@test\"/>"
                : Data(document.content.utf8).base64EncodedString()
            return "<xdsb:Document id=\"\(document.id)\">\(payload)</xdsb:Document>"
        }.joined()
        return envelope(action: "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b", body: """
            <xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="urn:ihe:iti:xds-b:2007">
              <lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0">
                <rim:RegistryObjectList xmlns:rim="\(rim)">
                  \(submissionSet(ins: setPatient ?? documents.first?.ins ?? .fixture(), uniqueID: setUniqueID))
                  \(documents.map(extrinsicObject).joined())
                  \(associations)
                </rim:RegistryObjectList>
              </lcm:SubmitObjectsRequest>
              \(contents)
            </xdsb:ProvideAndRegisterDocumentSetRequest>
            """)
    }

    /// An MTOM/XOP message: the envelope as the root part, each document as a binary part `<id>@test`.
    static func mtom(_ envelope: String, parts: [(id: String, data: Data)]) -> (HTTPFields, ByteBuffer) {
        let boundary = "MIMEBoundary_test_0001"
        var buffer = ByteBuffer()
        buffer.writeString("--\(boundary)\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n"
            + "Content-Transfer-Encoding: binary\r\nContent-ID: <root.message@test>\r\n\r\n\(envelope)")
        for part in parts {
            buffer.writeString("\r\n--\(boundary)\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
                + "Content-ID: <\(part.id)@test>\r\n\r\n")
            buffer.writeBytes(part.data)
        }
        buffer.writeString("\r\n--\(boundary)--\r\n")
        let type = "multipart/related; type=\"application/xop+xml\"; boundary=\"\(boundary)\"; start=\"<root.message@test>\"; start-info=\"application/soap+xml\""
        return ([.contentType: type], buffer)
    }

    /// ITI-43: the documents named by unique id in Carnet's repository.
    static func retrieve(_ uniqueIDs: [String], repository: String = repositoryUniqueID) -> String {
        envelope(action: "urn:ihe:iti:2007:RetrieveDocumentSet", body: """
            <xdsb:RetrieveDocumentSetRequest xmlns:xdsb="urn:ihe:iti:xds-b:2007">
            \(uniqueIDs.map { "<xdsb:DocumentRequest><xdsb:RepositoryUniqueId>\(repository)</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>\($0)</xdsb:DocumentUniqueId></xdsb:DocumentRequest>" }.joined())
            </xdsb:RetrieveDocumentSetRequest>
            """)
    }

    static let findDocuments = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
    static let findSubmissionSets = "urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9"
    static let getDocuments = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
    static let getAssociations = "urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155"
    static let approved = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
    static let deprecated = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated"

    /// ITI-18: a stored query with its parameters, each value written as ITI TF-2a writes them (`'x'`, `('a','b')`).
    static func storedQuery(_ id: String, _ parameters: [(String, String)], returnType: String = "LeafClass") -> String {
        envelope(action: "urn:ihe:iti:2007:RegistryStoredQuery", body: """
            <query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rim="\(rim)">
              <query:ResponseOption returnComposedObjects="true" returnType="\(returnType)"/>
              <rim:AdhocQuery id="\(id)">
                \(parameters.map { slot($0.0, $0.1) }.joined())
              </rim:AdhocQuery>
            </query:AdhocQueryRequest>
            """)
    }

    static func findDocuments(_ ins: INS, _ more: [(String, String)] = [], returnType: String = "LeafClass") -> String {
        storedQuery(findDocuments, [("$XDSDocumentEntryPatientId", "'\(cx(ins))'"), ("$XDSDocumentEntryStatus", "('\(approved)')")] + more,
                    returnType: returnType)
    }

    /// ITI-57: a submission set and one change (`change`: an association or an updated DocumentEntry).
    static func updateDocumentSet(ins: INS, _ change: String) -> String {
        envelope(action: "urn:ihe:iti:2010:UpdateDocumentSet", body: """
            <lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0">
              <rim:RegistryObjectList xmlns:rim="\(rim)">
                \(submissionSet(ins: ins, uniqueID: "1.2.250.1.999.9.\(Int.random(in: 1...9_999_999))"))
                \(change)
              </rim:RegistryObjectList>
            </lcm:SubmitObjectsRequest>
            """)
    }

    static func statusChange(_ entryUUID: String, from: String, to: String) -> String {
        """
        <rim:Association associationType="urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus" sourceObject="SubmissionSet01" targetObject="\(entryUUID)" id="upd01">
          \(slot("OriginalStatus", from))\(slot("NewStatus", to))
        </rim:Association>
        """
    }

    /// A DocumentEntry update carrying new confidentiality codes (the rest of its metadata as pushed).
    static func confidentialityUpdate(_ entryUUID: String, previousVersion: Int, _ labels: [(code: String, scheme: String)], ins: INS = .fixture()) -> String {
        var document = Document()
        document.id = "urn:uuid:\(UUID().uuidString.lowercased())"
        document.confidentiality = labels
        document.ins = ins
        let object = extrinsicObject(document).replacingOccurrences(of: "<rim:ExtrinsicObject id=\"\(document.id)\"",
                                                                    with: "<rim:ExtrinsicObject id=\"\(document.id)\" lid=\"\(entryUUID)\"")
        return object + """
            <rim:Association associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="SubmissionSet01" targetObject="\(document.id)" id="upd02">
              \(slot("SubmissionSetStatus", "Original"))\(slot("PreviousVersion", String(previousVersion)))
            </rim:Association>
            """
    }

    static func post(_ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields, _ xml: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers + soapHeaders, body: ByteBuffer(string: xml))
    }
}

extension TestResponse {
    /// The ids of the objects of a query's answer, of the element `element` (ExtrinsicObject, RegistryPackage, ObjectRef, Association).
    func xdsObjectIDs(_ element: String) -> [String] {
        text.components(separatedBy: "<rim:\(element) ").dropFirst().compactMap { tail in
            tail.range(of: "id=\"").map { String(tail[$0.upperBound...].prefix { $0 != "\"" }) }
        }
    }

    /// The `errorCode`s of a RegistryResponse's errors, in order.
    var xdsErrorCodes: [String] {
        text.components(separatedBy: "errorCode=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    var xdsStatus: String? {
        guard let range = text.range(of: "status=\"urn:") else { return nil }
        let rest = text[range.upperBound...]
        return String(rest.prefix { $0 != "\"" }.split(separator: ":").last ?? "")
    }
}
