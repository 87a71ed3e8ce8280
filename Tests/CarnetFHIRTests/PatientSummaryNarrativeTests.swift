import CarnetCore
import CarnetFHIR
import CarnetTestSupport
import Foundation
import Testing

/// The `$summary` sections' narrative is XHTML built from what professionals typed: every `&`, `<`,
/// `>` and `"` must arrive as an entity, and everything else as it was (issue 20 rewrote the escape).
@Suite("Patient summary narrative")
struct PatientSummaryNarrativeTests {
    @Test("a code's display is escaped in the section's div, accents and other characters kept")
    func narrativeEscapes() throws {
        let record = HealthRecord(ins: .fixture(11), identity: .fixture(), createdAt: testInstant)
        let display = #"Allergie <script>alert("x")</script> & pénicilline 'β-lactamines' > 1 🩺"#
        let item = SummaryEntry(recordID: record.id, kind: .allergy, status: "active", code: Code(system: "http://snomed.info/sct", code: "91936005", display: display),
                                date: nil, authorID: "99700000011", recordedByPatient: false, recordedAt: testInstant,
                                resource: Data(#"{"resourceType":"AllergyIntolerance"}"#.utf8))
        let bundle = try PatientSummaryDocument.bundle(patient: PatientResource(record), recordID: record.id, items: [item], directiveDocuments: [],
                                                       builtAt: testInstant, baseURL: "https://carnet.example/fhir")
        let composition = bundle["entry"]?.array?.first?["resource"]
        let allergies = composition?["section"]?.array?.first { $0["title"]?.string == "Allergies et intolérances" }
        let div = allergies?["text"]?["div"]?.string
        #expect(div == #"<div xmlns="http://www.w3.org/1999/xhtml"><ul><li>Allergie &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; pénicilline 'β-lactamines' &gt; 1 🩺 (active)</li></ul></div>"#)
    }
}
