import CarnetCore
import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Public routes: metadata, health, metrics, and the 404 for everything unknown.
@Suite("Operations and discovery routes")
struct OperationsRoutesTests {
    @Test("the CapabilityStatement lists what is implemented, without authentication")
    func metadata() async throws {
        try await withCarnet { client, _ in
            let response = try await client.execute(uri: "/fhir/metadata", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["resourceType"] as? String == "CapabilityStatement")
            #expect(response.json["fhirVersion"] as? String == "4.0.1")
            let rest = try #require((response.json["rest"] as? [[String: Any]])?.first)
            let patient = try #require((rest["resource"] as? [[String: Any]])?.first { $0["type"] as? String == "Patient" })
            let interactions = (patient["interaction"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(interactions == ["read", "search-type", "create"])
            let operations = (patient["operation"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(operations == ["close", "reopen", "summary", "everything", "authorize", "revoke", "block", "unblock", "treating-physician", "emergency-access",
                                   "hide-documents", "feeding", "notification-preferences", "legal-representative", "contact"])
            let types = (rest["resource"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
            #expect(types == ["Patient", "DocumentReference", "List", "AllergyIntolerance", "Condition", "Consent", "Immunization", "MedicationStatement",
                              "Observation", "RelatedPerson", "AuditEvent", "ExplanationOfBenefit", "Binary"])
            let observation = try #require((rest["resource"] as? [[String: Any]])?.first { $0["type"] as? String == "Observation" })
            #expect((observation["interaction"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
                == ["read", "vread", "history-instance", "search-type", "create", "update", "delete"])
            let documents = try #require((rest["resource"] as? [[String: Any]])?.first { $0["type"] as? String == "DocumentReference" })
            #expect((documents["interaction"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
                == ["read", "vread", "history-instance", "search-type", "create", "patch", "delete"])
        }
    }

    @Test("health reports the database")
    func health() async throws {
        try await withCarnet { client, _ in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["database"] as? String == "ok")
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok && ready.json["database"] as? String == "ok")
            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok && live.json["status"] as? String == "ok" && live.json["database"] == nil)
        }
    }

    @Test("metrics count requests by route pattern, never by identifier")
    func metrics() async throws {
        try await withCarnet { client, tokens in
            let id = try await createPatient(client, tokens)
            _ = try await client.execute(uri: "/fhir/Patient/\(id)", method: .get, headers: try await tokens.bearer(.doctor()))
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains(#"carnet_http_requests_total{method="GET",route="/fhir/Patient/{id}",status="200"} 1"#))
            #expect(response.text.contains("carnet_http_request_duration_seconds_bucket"))
            #expect(!response.text.contains(id))
        }
    }

    @Test("metrics sample the database and the notification outbox at each scrape")
    func operationsGauges() async throws {
        // No delivery pass during the test (the dispatcher waits an interval before each): what is queued stays.
        try await withCarnet(configure: { $0.notificationInterval = .seconds(3_600) }) { client, tokens in
            let id = try await createPatient(client, tokens)
            func gauge(_ name: String) async throws -> String? {
                let text = try await client.execute(uri: "/metrics", method: .get).text
                return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
            }
            #expect(try await gauge("carnet_database_up") == "1.0")
            #expect(try await gauge("carnet_database_ping_seconds").flatMap(Double.init).map { $0 >= 0 && $0 < 5 } == true)
            #expect(try await gauge("carnet_notification_outbox_backlog") == "0.0")
            // An emergency access is notified even when it found nothing (no first-access notice then:
            // nothing was consulted, issue 16.2).
            let emergency = try await tokens.bearer(.doctor(mode: .breakTheGlass, reason: "unconscious on arrival"))
            #expect(try await client.execute(uri: "/fhir/DocumentReference?patient=\(id)", method: .get, headers: emergency).status == .ok)
            #expect(try await gauge("carnet_notification_outbox_backlog") == "1.0")
        }
    }

    @Test("unknown routes are 404 OperationOutcomes; a known FHIR path asked with another method a 405", arguments: [
        ("/nowhere", HTTPRequest.Method.get, HTTPResponse.Status.notFound), ("/fhir/Practitioner", .get, .notFound),
        ("/fhir/Patient", .delete, .methodNotAllowed), ("/fhir/metadata", .post, .methodNotAllowed),
    ])
    func unknownRoutes(_ uri: String, _ method: HTTPRequest.Method, _ status: HTTPResponse.Status) async throws {
        try await withCarnet { client, tokens in
            let response = try await client.execute(uri: uri, method: method, headers: try await tokens.bearer(.doctor()))
            #expect(response.status == status)
            #expect(response.json["resourceType"] as? String == "OperationOutcome")
        }
    }
}
