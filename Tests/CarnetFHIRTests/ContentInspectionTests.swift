import CarnetFHIR
import Foundation
import Testing

@Suite("Content inspection")
struct ContentInspectionTests {
    static let cda = #"<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>synthetic</title></ClinicalDocument>"#

    @Test("bytes that are what they claim are accepted", arguments: [
        (Data("%PDF-1.7\n".utf8), "application/pdf", nil),
        (Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]), "image/png", nil),
        (Data([0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg", nil),
        (Data("Compte rendu synthétique".utf8), "text/plain", nil),
        (Data([0x43, 0xE9]), "text/plain", "ISO-8859-1"),
        (Data(#"{"resourceType":"Bundle","type":"document"}"#.utf8), "application/fhir+json", nil),
        (Data(cda.utf8), "application/xml", nil),
        (Data(cda.utf8), "text/xml", nil),
    ] as [(Data, String, String?)])
    func accepted(_ data: Data, _ mediaType: String, _ charset: String?) {
        #expect(ContentInspection.problem(with: data, mediaType: mediaType, charset: charset) == nil)
    }

    @Test("23.13: a document type declaration is refused however it hides: UTF-16, another declared encoding, far down, any case",
          arguments: ["UTF-16", "UTF-7", "far", "lower", "entity"])
    func doctypeAnywhere(_ variant: String) {
        let doctype = #"<!DOCTYPE ClinicalDocument [<!ENTITY x "synthetic">]>"#
        let body = #"<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>"#
        let data: Data = switch variant {
        case "UTF-16": (#"<?xml version="1.0" encoding="UTF-16"?>"# + doctype + body).data(using: .utf16LittleEndian)!
        case "UTF-7": Data((#"<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE ClinicalDocument+AD4-"# + body).utf8)
        case "far": Data(("<?xml version=\"1.0\"?><!--" + String(repeating: "x", count: 70_000) + "-->" + doctype + body).utf8)
        case "lower": Data(("<!doctype ClinicalDocument>" + body).utf8)
        default: Data(("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&lt;</title></ClinicalDocument><!-- <!Entity -->").utf8)
        }
        let problem = ContentInspection.problem(with: data, mediaType: "application/xml")
        #expect(problem != nil, "\(variant) accepted")
        #expect(problem?.contains("UTF-8") == true || problem?.contains("document type") == true, "\(problem ?? "")")
    }

    @Test("bytes that are not what they claim are refused with the reason", arguments: [
        (Data("hello".utf8), "application/pdf", "PDF"),
        (Data("%PDF".utf8), "image/png", "PNG"),
        (Data("GIF89a".utf8), "image/jpeg", "JPEG"),
        (Data([0x43, 0xE9, 0xFF]), "text/plain", "UTF-8"),
        (Data("[1, 2]".utf8), "application/fhir+json", "JSON object"),
        (Data(#"{"a": 1}"#.utf8), "application/json", "resourceType"),
        (Data("<ClinicalDocument xmlns=\"urn:hl7-org:v3\">".utf8), "application/xml", "well-formed"),
        (Data("<html><body/></html>".utf8), "text/xml", "ClinicalDocument"),
        (Data("<ClinicalDocument/>".utf8), "text/xml", "urn:hl7-org:v3"),
    ])
    func refused(_ data: Data, _ mediaType: String, _ reason: String) {
        let problem = ContentInspection.problem(with: data, mediaType: mediaType)
        #expect(problem?.contains(reason) == true, "\(problem ?? "accepted")")
    }

    @Test("XML that is not valid UTF-8 is refused before parsing (Foundation's parser traps on such element names)")
    func invalidUTF8XML() {
        var bytes = Array(#"<ClinicalDocument xmlns="urn:hl7-org:v3"><s"#.utf8)
        bytes += [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80]
        bytes += Array("ection/></ClinicalDocument>".utf8)
        let problem = ContentInspection.problem(with: Data(bytes), mediaType: "text/xml")
        #expect(problem?.contains("UTF-8") == true)
    }

    @Test("XML never resolves entities: external entities and billion laughs are refused before parsing")
    func entities() {
        let external = """
            <?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&secret;</title></ClinicalDocument>
            """
        var laughs = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#
        for level in 1...9 { laughs += "<!ENTITY lol\(level) \"\(String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10))\">" }
        laughs += #"]><ClinicalDocument xmlns="urn:hl7-org:v3">&lol9;</ClinicalDocument>"#
        for text in [external, laughs, "<!doctype ClinicalDocument><ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>"] {
            let problem = ContentInspection.problem(with: Data(text.utf8), mediaType: "application/xml")
            #expect(problem?.contains("document type") == true, "\(problem ?? "accepted")")
        }
    }

    @Test("deeply nested XML and JSON are refused, not a crash")
    func deepNesting() {
        let depth = 100_000
        let xml = #"<ClinicalDocument xmlns="urn:hl7-org:v3">"# + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</ClinicalDocument>"
        #expect(ContentInspection.problem(with: Data(xml.utf8), mediaType: "application/xml") != nil)
        let json = #"{"resourceType":"Basic","x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(ContentInspection.problem(with: Data(json.utf8), mediaType: "application/fhir+json") != nil)
    }
}
