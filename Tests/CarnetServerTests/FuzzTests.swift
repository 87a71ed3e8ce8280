import CarnetCore
import CarnetFHIR
@testable import CarnetPortal
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A small deterministic generator, so that a failing input can be reproduced from its seed.
private struct Mutator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// `data` with one of: a byte flipped, bytes cut, invalid UTF-8 inserted, a slice repeated,
    /// brackets piled up, a huge number, a NUL — the shapes hostile or broken clients send.
    mutating func mutate(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        let at = below(max(bytes.count, 1))
        switch below(8) {
        case 0: if !bytes.isEmpty { bytes[at] ^= UInt8(truncatingIfNeeded: 1 << below(8)) }
        case 1: bytes = Array(bytes.prefix(at))
        case 2: bytes.insert(contentsOf: [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80], at: at)
        case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 64)], at: at)
        case 4: bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "["), count: 5_000 + below(50_000)), at: at)
        case 5: bytes.insert(contentsOf: Array("1e99999999".utf8) + Array(repeating: UInt8(ascii: "9"), count: 400), at: at)
        case 6: bytes.insert(0, at: at)
        default: bytes.insert(contentsOf: Array(#"{"a":"#.utf8), at: at)
        }
        return Data(bytes)
    }
}

@Suite("Fuzzing")
struct FuzzTests {
    @Test("the INS parser answers every string with an INS or an error, and what it accepts reads back the same")
    func insParser() {
        var mutator = Mutator(state: 1)
        let alphabet = Array("0123456789AB2ab -é\u{0}") + ["\u{1F600}"]
        for _ in 0..<20_000 {
            let text = String((0..<mutator.below(20)).map { _ in alphabet[mutator.below(alphabet.count)] })
            for checking in [INS.KeyChecking.strict, .relaxedForTestIdentities] {
                if let ins = try? INS(text, system: .nir, keyChecking: checking) {
                    #expect(ins.value.count == 15 && (try? INS(ins.value, system: .nir, keyChecking: checking)) == ins, "\(text)")
                }
            }
        }
    }

    @Test("mutated CDA documents are accepted or refused with a reason, never a crash or a hang")
    func cdaInspection() {
        var mutator = Mutator(state: 2)
        let cda = Data(#"<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>synthétique</title><component><section><text>Rien de réel</text></section></component></ClinicalDocument>"#.utf8)
        var refused = 0
        for _ in 0..<2_000 {
            if ContentInspection.problem(with: mutator.mutate(cda), mediaType: "application/hl7-v3+xml") != nil { refused += 1 }
        }
        #expect(refused > 0)
    }

    @Test("18: mutated CDA documents give a header or none, and sections of escaped narrative or none — never a crash, a hang or markup from the document")
    func cdaHeaderAndSections() throws {
        var mutator = Mutator(state: 18)
        let documents = [Data(CDAHeaderRoutesTests.cda().utf8), PortalCDATests.structured]
        var headers = 0, rendered = 0
        for index in 0..<3_000 {
            let data = mutator.mutate(documents[index % documents.count])
            if CDAHeaderReader.header(of: data) != nil { headers += 1 }
            if let html = CDABodyHTML.render(data)?.description {
                rendered += 1
                #expect(!html.contains("<script") && !html.contains("href") && !html.contains("onclick"), "\(html.prefix(300))")
            }
        }
        #expect(headers > 0 && rendered > 0, "most mutations leave a readable document")
    }

    @Test("a CDA document whose element names are not UTF-8 is a 400 naming the content, and the server lives on")
    func invalidUTF8Document() async throws {
        try await withCarnet { client, tokens in
            _ = try await createPatient(client, tokens)
            var xml = Array(#"<ClinicalDocument xmlns="urn:hl7-org:v3"><s"#.utf8) + [0xC3, 0x28, 0xFF, 0xFE] + Array("ection/></ClinicalDocument>".utf8)
            xml = Array(Data(xml).base64EncodedString().utf8)
            var body = String(decoding: DocumentRoutesTests.documentBody(content: "Synthetic report: nothing real.", contentType: "text/xml").readableBytesView,
                              as: UTF8.self)
            body = body.replacingOccurrences(of: Data("Synthetic report: nothing real.".utf8).base64EncodedString(), with: String(decoding: xml, as: UTF8.self))
            let response = try await client.execute(uri: "/fhir/DocumentReference", method: .post, headers: try await tokens.bearer(.doctor()) + fhirJSON,
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.diagnostics.contains("UTF-8"))
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
        }
    }

    @Test("mutated DocumentReference pushes get a 2xx or a 4xx OperationOutcome, never a 5xx", arguments: TestEngine.available)
    func documentPushes(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            _ = try await createPatient(client, tokens)
            let doctor = try await tokens.bearer(.doctor()) + fhirJSON
            let valid = Data(DocumentRoutesTests.documentBody().readableBytesView)
            var mutator = Mutator(state: 3)
            for round in 0..<150 {
                let body = mutator.mutate(valid)
                let response = try await client.execute(uri: "/fhir/DocumentReference", method: .post, headers: doctor, body: ByteBuffer(bytes: body))
                #expect(response.status.code < 500, "round \(round): \(response.status)")
                if response.status.code >= 400 {
                    #expect(response.json["resourceType"] as? String == "OperationOutcome", "round \(round)")
                }
            }
        }
    }
}
