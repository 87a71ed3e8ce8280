import CarnetCore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The matrix's rows for the structured summary (each of its seven types), `$summary`,
/// `$everything`, the care history and the insurer's feed. A clinical item is recorded by the
/// author (who keeps reading it), a patient-section item by the holder; no consent is given, so a
/// physician has no basis and only emergency modes read beside the holder and the author.
extension RouteActorMatrixTests {
    typealias Fixtures = SummaryRoutesTests

    /// Who reads an item of the patient's own section (`EXPPAT_1`): not its "author", who did not record it.
    static let wishesReaders: Set<Who> = [.holder, .breakingGlass, .regulator]
    /// Who feeds clinical items: the patient (self-reported) and professionals in normal mode, no authorisation needed.
    static let feeders: Set<Who> = [.holder, .author, .physician]

    static let summaryTypes: [(type: String, body: String, byHolder: Bool)] = [
        ("AllergyIntolerance", Fixtures.allergy("{patient}"), false),
        ("Condition", Fixtures.condition("{patient}"), false),
        ("MedicationStatement", Fixtures.treatment("{patient}"), false),
        ("Immunization", SummarySearchTests.vaccination("{patient}"), false),
        ("Observation", Fixtures.bloodGroup("{patient}"), false),
        ("RelatedPerson", Fixtures.emergencyContact("{patient}"), true),
        ("Consent", Fixtures.organDonation("{patient}"), true),
    ]

    static var summaryRoutes: [Route] {
        summaryTypes.flatMap { item -> [Route] in
            let (type, body, byHolder) = item
            let readers = byHolder ? wishesReaders : RouteActorMatrixTests.readers
            // The patient side changes what it recorded; a professional changes a clinical item they read
            // in normal mode (here the author); only the first recorder deletes.
            let changers: Set<Who> = byHolder ? [.holder] : [.author]
            let search = type == "Consent" ? "/fhir/Consent?patient={patient}&scope=treatment" : "/fhir/\(type)?patient={patient}"
            return [
                Route(method: .post, path: "/fhir/\(type)", body: body, allowed: byHolder ? [.holder] : feeders, success: .created),
                Route(method: .get, path: search, allowed: readers, isSearch: true, item: item),
                Route(method: .get, path: "/fhir/\(type)/{item}", allowed: readers, item: item),
                Route(method: .get, path: "/fhir/\(type)/{item}/_history", allowed: readers, item: item),
                Route(method: .get, path: "/fhir/\(type)/{item}/_history/1", allowed: readers, item: item),
                Route(method: .put, path: "/fhir/\(type)/{item}", body: SummaryLifecycleTests.withID(body, "{item}"), allowed: changers, item: item),
                Route(method: .delete, path: "/fhir/\(type)/{item}", allowed: changers, success: .noContent, item: item),
            ]
        }
    }

    static var operationRoutes: [Route] {
        let condition = summaryTypes[1]
        return [
            // The items after the Composition and the Patient.
            Route(method: .get, path: "/fhir/Patient/{patient}/$summary", allowed: readers, item: condition,
                  found: { max(((($0.json["entry"] as? [Any]) ?? []).count) - 2, 0) }),
            // Everything but the Patient (identity readers see it anyway).
            Route(method: .get, path: "/fhir/Patient/{patient}/$everything", allowed: readers, item: condition,
                  found: { max(($0.json["total"] as? Int ?? 0) - 1, 0) }),
            // The care history: the patient side and an emergency mode; the author has no basis on it.
            Route(method: .get, path: "/fhir/ExplanationOfBenefit?patient={patient}", allowed: [.holder, .breakingGlass, .regulator], isSearch: true),
            Route(method: .get, path: "/fhir/ExplanationOfBenefit/{claim}", allowed: [.holder, .breakingGlass, .regulator]),
            Route(method: .post, path: "/fhir/$import-claims", body: "{claims}", contentType: "application/x-ndjson", allowed: [.insurer], success: .accepted),
            Route(method: .get, path: "/fhir/$import-claims/{job}", allowed: [.insurer]),
        ]
    }

    @Test("the structured summary's routes, $summary, $everything, the care history and the feed, for each actor",
          arguments: TestEngine.available)
    func summaryMatrix(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            try await Self.check(Self.summaryRoutes + Self.operationRoutes, client, tokens, store, seed: 300)
        }
    }
}
