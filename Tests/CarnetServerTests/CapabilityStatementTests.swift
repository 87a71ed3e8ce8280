import CarnetCore
import CarnetFHIR
@testable import CarnetServer
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The CapabilityStatement declares exactly what is served (issue 22): client libraries read it to
/// decide what to send (fhirclient parses it strictly, fhirpy and conformance tools choose searches
/// from it), so an interaction or a search parameter it names must work, and one it leaves out must not.
@Suite("CapabilityStatement declares exactly what is served")
struct CapabilityStatementTests {
    static let interactions: [(code: String, method: String, path: String)] = [
        ("read", "get", "/fhir/{T}/{id}"), ("vread", "get", "/fhir/{T}/{id}/_history/{version}"),
        ("history-instance", "get", "/fhir/{T}/{id}/_history"), ("history-type", "get", "/fhir/{T}/_history"),
        ("search-type", "get", "/fhir/{T}"), ("create", "post", "/fhir/{T}"), ("update", "put", "/fhir/{T}/{id}"),
        ("patch", "patch", "/fhir/{T}/{id}"), ("delete", "delete", "/fhir/{T}/{id}"),
    ]

    static func statement() throws -> [String: Any] {
        let data = try FHIRJSON.encode(CapabilityStatement.carnet(baseURL: "http://localhost/fhir", version: "0", date: "2026-01-01"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func resources() throws -> [[String: Any]] {
        try #require(((try statement()["rest"] as? [[String: Any]])?.first?["resource"]) as? [[String: Any]])
    }

    /// An OpenAPI path with its captures made alike, to compare templates.
    static func shape(_ path: String) -> String {
        path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "{}", options: .regularExpression)
    }

    @Test("each type declares an interaction exactly when the router serves it (the routes are OpenAPIDescription's, itself checked against the router)")
    func interactionsMatchRoutes() throws {
        let routes = Set(OpenAPIDescription.operations.map { "\($0.method) \(Self.shape($0.path))" })
        var declaredTypes: Set<String> = []
        for resource in try Self.resources() {
            let type = try #require(resource["type"] as? String)
            declaredTypes.insert(type)
            let declared = Set((resource["interaction"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
            for interaction in Self.interactions {
                let served = routes.contains("\(interaction.method) \(Self.shape(interaction.path.replacingOccurrences(of: "{T}", with: type)))")
                #expect(declared.contains(interaction.code) == served, "\(type) \(interaction.code): declared \(declared.contains(interaction.code)), served \(served)")
            }
        }
        // Every FHIR resource route belongs to a declared type.
        for operation in OpenAPIDescription.operations where operation.path.hasPrefix("/fhir/") {
            let first = String(operation.path.dropFirst("/fhir/".count).split(separator: "/")[0])
            guard !first.hasPrefix("$"), first != "metadata" else { continue }
            #expect(declaredTypes.contains(first), "\(operation.method) \(operation.path) serves an undeclared type")
        }
        let system = ((try Self.statement()["rest"] as? [[String: Any]])?.first?["interaction"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        #expect(system == ["transaction"] && routes.contains("post /fhir"))
    }

    @Test("the flags say what the REST rules do: conditional create where If-None-Exist is read, versioned updates, nothing conditional beyond")
    func flags() throws {
        let statement = try Self.statement()
        #expect(statement["patchFormat"] as? [String] == ["application/json-patch+json", "application/fhir+json"])
        #expect(statement["format"] as? [String] == ["application/fhir+json", "json"])
        let byType = Dictionary(uniqueKeysWithValues: try Self.resources().map { ($0["type"] as? String ?? "", $0) })
        for type in SummaryResource.resourceTypes {
            let resource = try #require(byType[type])
            #expect(resource["conditionalCreate"] as? Bool == true, "\(type)")
            #expect(resource["conditionalUpdate"] as? Bool == false && resource["updateCreate"] as? Bool == false, "\(type)")
            #expect(resource["conditionalDelete"] as? String == "not-supported" && resource["conditionalRead"] as? String == "not-supported")
            #expect(resource["versioning"] as? String == "versioned-update" && resource["readHistory"] as? Bool == true)
        }
        #expect(byType["DocumentReference"]?["conditionalCreate"] as? Bool == true)
        #expect(byType["DocumentReference"]?["versioning"] as? String == "versioned")
        #expect(byType["Patient"]?["conditionalCreate"] as? Bool == false)
        #expect(byType["Patient"]?["versioning"] as? String == "versioned" && byType["Patient"]?["readHistory"] as? Bool == false)
        #expect(byType["Binary"]?["versioning"] as? String == "no-version")
        #expect(byType["List"]?["versioning"] == nil, "a type that is never read says nothing of versions")
    }

    @Test("every declared search parameter is accepted and an undeclared one refused, on every searchable type", arguments: TestEngine.available)
    func searchParameters(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let ins = INS.fixture()
            let patient = try await createPatient(client, tokens, ins)
            let holder = try await tokens.bearer(.patient(ins))
            let document = try await DocumentRoutesTests.push(client, try await tokens.bearer(.doctor()), DocumentRoutesTests.documentBody())
            let documentID = try #require(document.json["id"] as? String)
            let values = ["patient": patient, "subject": patient, "entity": patient, "date": "ge2000-01-01", "period": "ge2000-01-01",
                          "service-date": "ge2000-01-01", "created": "ge2000-01-01", "_count": "5", "_offset": "0", "_sort": "-date",
                          "_summary": "count", "_total": "accurate", "active": "true", "_id": documentID, "status": "current",
                          "patient.identifier": "\(ins.system.uri)|\(ins.value)", "subject.identifier": "\(ins.system.uri)|\(ins.value)",
                          "identifier": "\(ins.system.uri)|\(ins.value)", "code": "submissionset", "scope": "adr", "category": "acd",
                          "new-since-last-access": "true", "_content": "compte rendu", "_text": "compte"]
            for resource in try Self.resources() {
                let type = try #require(resource["type"] as? String)
                let declared = (resource["searchParam"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                guard (resource["interaction"] as? [[String: Any]] ?? []).contains(where: { $0["code"] as? String == "search-type" }) else {
                    #expect(declared.isEmpty, "\(type) declares search parameters without a search")
                    continue
                }
                let scope = type == "Patient" ? "_id=\(patient)" : "patient=\(patient)"
                for name in declared {
                    var value = values[name] ?? "x"
                    if type != "List" && name == "code" { value = "x" }
                    if type == "Patient" && name == "_id" { value = patient }
                    if type != "DocumentReference" && type != "Patient" && name == "_id" { value = UUID().uuidString.lowercased() }
                    if ["AllergyIntolerance", "Condition"].contains(type) && name == "status" { value = "active" }
                    let standalone = ["patient", "subject", "entity", "patient.identifier", "subject.identifier"].contains(name)
                        || (name == "_id" && ["Patient", "DocumentReference"].contains(type))
                    let query = standalone
                        || (type == "Patient" && name == "identifier") ? "\(name)=\(value)" : "\(scope)&\(name)=\(value)"
                    let uri = "/fhir/\(type)?\(query.replacingOccurrences(of: "|", with: "%7C"))"
                    let response = try await client.execute(uri: uri, method: .get, headers: holder)
                    #expect(response.status == .ok, "\(uri) is declared: \(response.text)")
                }
                let undeclared = try await client.execute(uri: "/fhir/\(type)?\(scope)&undeclared-parameter=x", method: .get, headers: holder)
                #expect(undeclared.status == .badRequest && undeclared.expression == "undeclared-parameter", "\(type): \(undeclared.text)")
            }
        }
    }
}
