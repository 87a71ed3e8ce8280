import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The patient's own section edited from the portal: what is single by nature (blood group,
/// organ-donation stance, trusted person) is replaced — a new version of the same item — while
/// emergency contacts and allergies add up.
@Suite("Portal summary editing")
struct PortalSummaryEditingTests {
    @Test("a second blood group, organ-donation stance or trusted person replaces the first, as a new version")
    func singleItemsAreReplaced() async throws {
        try await withCarnetStore { client, tokens, store in
            let patient = try await createPatient(client, tokens)
            let recordID = try #require(RecordID(patient))
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let csrf = PortalRoutesTests.csrf(in: try await jar.get(client, "/portal/patient/summary"))
            func post(_ fields: [String: String]) async throws {
                let response = try await jar.post(client, "/portal/patient/summary", fields.merging(["_csrf": csrf]) { $1 })
                #expect(response.status == .seeOther, "\(fields) \(response.text.prefix(300))")
            }
            try await post(["form": "blood-group", "group": "A+"])
            try await post(["form": "blood-group", "group": "O-"])
            try await post(["form": "organ-donation", "stance": "permit"])
            try await post(["form": "organ-donation", "stance": "deny"])
            try await post(["form": "contact", "role": "trusted", "family": "DUPONT", "phone": "0600000001"])
            try await post(["form": "contact", "role": "trusted", "family": "LEROY", "phone": "0600000002"])
            try await post(["form": "contact", "role": "emergency", "family": "MOREAU", "phone": "0600000003"])
            try await post(["form": "contact", "role": "emergency", "family": "PETIT", "phone": "0600000004"])
            try await post(["form": "allergy", "substance": "pollen"])
            try await post(["form": "allergy", "substance": "arachide"])

            let entries = try await store.summaryEntries(recordID: recordID, kinds: Set(SummaryKind.allCases))
            func texts(_ kind: SummaryKind) -> [String] { entries.filter { $0.kind == kind }.map { String(decoding: $0.resource, as: UTF8.self) } }
            #expect(texts(.observation).count == 1 && texts(.observation).first?.contains("O-") == true)
            #expect(texts(.organDonation).count == 1 && texts(.organDonation).first?.contains("deny") == true)
            let related = texts(.relatedPerson)
            #expect(related.count == 3, "one trusted person, two emergency contacts")
            #expect(related.contains { $0.contains("LEROY") } && !related.contains { $0.contains("DUPONT") })
            #expect(texts(.allergy).count == 2)
            let group = try #require(entries.first { $0.kind == .observation })
            let versions = try await store.summaryEntryVersions(id: group.id)
            #expect(versions.map(\.version) == [1, 2], "the earlier answer stays in the item's history")

            let page = try await jar.get(client, "/portal/patient/summary")
            #expect(page.text.contains("O-") && !page.text.contains(">A+ "))
        }
    }
}
