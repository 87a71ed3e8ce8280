import CarnetTestSupport
import Foundation
import Testing

/// The independent validator that checks every FHIR response of the HTTP tests must itself catch
/// invalid resources, or those checks would prove nothing.
@Suite("Independent FHIR validator")
struct FHIRValidatorTests {
    @Test("it rejects invalid resources and accepts valid ones",
          .enabled(if: FHIRValidator.shared.isEnabled || FHIRValidator.shared.isRequired))
    func catchesInvalidResources() async throws {
        let invalid = [#"{"resourceType":"Patient","foo":1}"#, #"{"resourceType":"OperationOutcome"}"#,
                       #"{"resourceType":"Patient","birthDate":"1995-02-30"}"#,
                       #"{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Patient","birthDate":"soon"}}]}"#]
        for text in invalid {
            #expect(try await FHIRValidator.shared.problem(in: Data(text.utf8)) != nil, "\(text)")
        }
        let valid = #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"x"}]}"#
        #expect(try await FHIRValidator.shared.problem(in: Data(valid.utf8)) == nil)
    }
}
