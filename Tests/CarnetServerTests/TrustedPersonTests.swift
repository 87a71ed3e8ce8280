import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The trusted person (*personne de confiance*) beside an emergency contact: both `RelatedPerson`,
/// told apart by their relationship code, in searches and in `$summary`.
@Suite("Structured summary: trusted person and emergency contact")
struct TrustedPersonTests {
    static let roleSystem = "https://carnet.example/fhir/CodeSystem/related-person-role"
    static let contactSystem = "http://terminology.hl7.org/CodeSystem/v2-0131"

    static func relationship(_ resource: [String: Any]) -> String? {
        let coding = ((resource["relationship"] as? [[String: Any]])?.first?["coding"] as? [[String: Any]])?.first
        return (coding?["system"] as? String).map { "\($0)|\(coding?["code"] as? String ?? "")" }
    }

    @Test("the patient records both; $summary lists each with its code in the contacts-and-wishes section", arguments: TestEngine.available)
    func toldApart(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let patient = try await createPatient(client, tokens)
            let holder = try await tokens.bearer(.patient(.fixture()))
            let contact = try await SummaryRoutesTests.post(client, holder, "RelatedPerson", SummaryRoutesTests.emergencyContact(patient))
            let trusted = try await SummaryRoutesTests.post(client, holder, "RelatedPerson", SummarySearchTests.trustedPerson(patient))
            #expect(contact.status == .created && trusted.status == .created, "\(contact.text) \(trusted.text)")
            let contactID = try #require(contact.json["id"] as? String)
            let trustedID = try #require(trusted.json["id"] as? String)

            let physician = try await tokens.bearer(.doctor("99700000022"))
            _ = try await client.execute(uri: "/fhir/Patient/\(patient)/$authorize", method: .post, headers: holder + fhirJSON,
                                         body: AccessControlRoutesTests.professional("99700000022"))
            for (who, headers) in [("the holder", holder), ("an authorised physician", physician)] {
                let summary = try await client.execute(uri: "/fhir/Patient/\(patient)/$summary", method: .get, headers: headers)
                #expect(summary.status == .ok, "\(who): \(summary.text.prefix(200))")
                let entries = (summary.json["entry"] as? [[String: Any]]) ?? []
                let people = entries.compactMap { $0["resource"] as? [String: Any] }.filter { $0["resourceType"] as? String == "RelatedPerson" }
                let byID = Dictionary(uniqueKeysWithValues: people.map { ($0["id"] as? String ?? "", Self.relationship($0)) })
                #expect(byID == [contactID: "\(Self.contactSystem)|C", trustedID: "\(Self.roleSystem)|personne-de-confiance"], "\(who): \(byID)")

                let composition = (entries.first?["resource"] as? [String: Any]) ?? [:]
                let wishes = (composition["section"] as? [[String: Any]])?.first {
                    (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "patient-wishes"
                }
                let references = ((wishes?["entry"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
                #expect(references.count == 2 && references.contains { $0.hasSuffix("RelatedPerson/\(contactID)") }
                        && references.contains { $0.hasSuffix("RelatedPerson/\(trustedID)") }, "\(who): \(references)")
                let narrative = ((wishes?["text"] as? [String: Any])?["div"] as? String) ?? ""
                #expect(narrative.contains("Emergency Contact") && narrative.contains("Personne de confiance"), "\(who): \(narrative)")
            }
            // The relationship search tells them apart too.
            let found = try await client.execute(uri: "/fhir/RelatedPerson?patient=\(patient)&relationship=\(Self.roleSystem)%7Cpersonne-de-confiance",
                                                 method: .get, headers: holder)
            let ids = ((found.json["entry"] as? [[String: Any]]) ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
            #expect(ids == [trustedID])
        }
    }
}
