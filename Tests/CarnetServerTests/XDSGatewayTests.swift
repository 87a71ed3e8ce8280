import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import CarnetServer

/// The XDS.b door's foundations through the real router: SOAP 1.2 envelopes and their action, faults
/// for what cannot be read (never a 500), the same authentication as the FHIR routes, MTOM/XOP.
@Suite("XDS.b gateway: SOAP, MTOM and refusals")
struct XDSGatewayTests {
    @Test("an unknown action is a SOAP 1.2 fault wsa:ActionNotSupported, on both endpoints")
    func unknownAction() async throws {
        try await withCarnet { client, tokens in
            let doctor = try await tokens.bearer(.doctor())
            for path in ["/xds/repository", "/xds/registry"] {
                let response = try await XDSMessages.post(client, path, doctor, XDSMessages.envelope(action: "urn:example:NoSuchAction", body: "<x:Ping xmlns:x=\"urn:x\"/>"))
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/soap+xml") == true)
                #expect(response.text.contains("wsa:ActionNotSupported") && response.text.contains("env:Sender"), "\(response.text)")
            }
            // ITI-41 is the repository's, not the registry's.
            let misplaced = try await XDSMessages.post(client, "/xds/registry", doctor, XDSMessages.provideAndRegister([XDSMessages.Document()]))
            #expect(misplaced.status == .badRequest && misplaced.text.contains("ActionNotSupported"))
        }
    }

    @Test("bad XML is refused before parsing, as for CDA: DTD, entities, deep nesting, huge attributes, SOAP 1.1, not XML", arguments: [
        (#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"/>"#, "document type"),
        (#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>"# + String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200) + "</soap:Body></soap:Envelope>", "deep"),
        (#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" a=""# + String(repeating: "x", count: 10_000) + #""/>"#, "attribute"),
        (#"<?xml version="1.0" encoding="UTF-16"?><soap:Envelope/>"#, "encoding"),
        (#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x/></soap:Body></soap:Envelope>"#, "SOAP 1.2"),
        ("this is not XML", "well-formed"),
        (#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><x/></soap:Body></soap:Envelope>"#, "action"),
    ])
    func badXML(_ body: String, _ said: String) async throws {
        try await withCarnet { client, tokens in
            let response = try await XDSMessages.post(client, "/xds/repository", try await tokens.bearer(.doctor()), body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/soap+xml") == true)
            #expect(response.text.contains("env:Fault") && response.text.contains(said), "\(response.text)")
        }
    }

    @Test("the same authentication as the FHIR routes: no token or a bad one is a 401 SOAP fault")
    func authentication() async throws {
        try await withCarnet { client, _ in
            let xml = XDSMessages.retrieve(["1.2.3"])
            let none = try await XDSMessages.post(client, "/xds/repository", [:], xml)
            #expect(none.status == .unauthorized)
            #expect(none.text.contains("wsse:FailedAuthentication"))
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"carnet\"")
            let forged = try await XDSMessages.post(client, "/xds/registry", [.authorization: "Bearer not.a.token"], xml)
            #expect(forged.status == .unauthorized && forged.text.contains("env:Fault"))
        }
    }

    @Test("another content type is a 415 fault; a body over the limit a 413 fault")
    func contentTypeAndSize() async throws {
        try await withCarnet { client, tokens in
            let doctor = try await tokens.bearer(.doctor())
            let json = try await client.execute(uri: "/xds/repository", method: .post, headers: doctor + [.contentType: "application/json"],
                                                body: ByteBuffer(string: "{}"))
            #expect(json.status == .unsupportedMediaType && json.text.contains("env:Fault"))
            let huge = try await client.execute(uri: "/xds/repository", method: .post, headers: doctor + XDSMessages.soapHeaders,
                                                body: ByteBuffer(string: String(repeating: "x", count: 70 * 1024)))
            #expect(huge.status == .contentTooLarge && huge.text.contains("env:Fault"))
        }
    }

    @Test("MTOM/XOP: the root part is the envelope, xop:Include names a binary part by Content-ID")
    func mtomParts() throws {
        let bytes = Data([0x25, 0x50, 0x44, 0x46, 0x2D, 0x00, 0xFF, 0x0D, 0x0A])
        let envelope = XDSMessages.envelope(action: "urn:a", body: #"<d:Doc xmlns:d="urn:d"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc1@test"/></d:Doc>"#)
        let (headers, body) = XDSMessages.mtom(envelope, parts: [("doc1", bytes)])
        let message = try MTOMMessage.read(Data(body.readableBytesView), contentType: headers[.contentType])
        #expect(message.isMTOM)
        #expect(message.attachments["doc1@test"] == bytes)
        let soap = try SOAPEnvelope.read(message, maximumText: 1 << 20)
        #expect(soap.action == "urn:a")
        #expect(soap.documentBytes(soap.request) == bytes)
        // A body without its closing boundary is refused, not guessed at.
        #expect(throws: SOAPFault.self) {
            try MTOMMessage.read(Data("--b\r\nContent-ID: <x>\r\n\r\nabc".utf8), contentType: "multipart/related; boundary=b")
        }
    }
}
