import CarnetFHIR
import Foundation
import Testing

@Suite("FHIR JSON errors")
struct FHIRJSONTests {
    static func error(_ text: String) -> FHIRInputError? {
        do {
            _ = try FHIRJSON.decode(PatientResource.self, from: Data(text.utf8), resourceName: "Patient")
            return nil
        } catch {
            return error
        }
    }

    @Test("malformed JSON says where it stops parsing", arguments: [
        ("{\"resourceType\": \"Patient\",,}", "malformed JSON at line 1, column 28"),
        ("{\n  \"resourceType\": \"Patient\",\n  \"gender\": fem\n}", "malformed JSON at line 3, column 14"),
        ("{\"resourceType\": \"Patient\"", "unexpected end of JSON"),
        ("", "the request body is empty"),
    ])
    func syntaxErrors(_ text: String, _ message: String) {
        let error = Self.error(text)
        #expect(error?.code == "structure")
        #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test("a missing resourceType is required")
    func missingResourceType() {
        let error = Self.error("{}")
        #expect(error?.expression == "Patient.resourceType" && error?.code == "required")
    }

    @Test("JSON that is not an object is refused")
    func notAnObject() {
        #expect(Self.error("[1, 2]")?.code == "invalid" || Self.error("[1, 2]")?.code == "structure")
        #expect(Self.error("42") != nil)
    }

    @Test("an OperationOutcome carries the message and the expression")
    func outcome() throws {
        let outcome = FHIRInputError("is required", at: "Patient.gender", code: "required").operationOutcome
        let json = String(decoding: try FHIRJSON.encode(outcome), as: UTF8.self)
        #expect(json == #"{"issue":[{"code":"required","diagnostics":"Patient.gender: is required","expression":["Patient.gender"],"severity":"error"}],"resourceType":"OperationOutcome"}"#)
    }
}
