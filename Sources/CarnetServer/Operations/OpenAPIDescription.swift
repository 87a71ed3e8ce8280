import CarnetFHIR
import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.0 description of every HTTP route Carnet serves, at `GET /openapi.json`.
///
/// Why a table in code rather than a hand-kept file: a test compares it with the router's own list of
/// routes, so a route added without its description, or described after it is gone, fails the suite —
/// the description cannot drift. It is also what schemathesis fuzzes (`scripts/contract-test`).
enum OpenAPIDescription {
    /// How an operation is authenticated.
    enum Security { case none, bearer, portalSession }

    /// What an operation takes as its body.
    enum Body { case fhir, form, multipart, ndjsonOrCSV, jsonPatch, soap }

    /// What an operation answers when it succeeds.
    enum Answer { case fhir, html, text, json, content, prometheus, css, javascript, png, manifest, redirect, soap }

    struct Operation {
        let method: String
        /// In OpenAPI form: `/fhir/Patient/{id}`.
        let path: String
        let summary: String
        let tag: String
        var security: Security = .bearer
        var query: [String] = []
        var body: Body?
        var answer: Answer = .fhir
    }

    /// Each search's parameters are the CapabilityStatement's (each parser's list), never a copy.
    private static func query(_ type: String) -> [String] { CapabilityStatement.searchParameterNames(of: type) }

    static let operations: [Operation] = operationsForFHIR + operationsForSummary + searchesByPost + operationsForPortals + operationsForOperations
        + operationsForXDS

    /// `POST [type]/_search`: every search of a resource type, its parameters in a form-encoded body.
    private static var searchesByPost: [Operation] {
        (operationsForFHIR + operationsForSummary).filter { $0.method == "get" && !$0.path.contains("{") && !$0.query.isEmpty }.map { search in
            Operation(method: "post", path: "\(search.path)/_search", summary: "\(search.summary) (parameters in a form)", tag: search.tag, body: .form)
        }
    }

    /// The XDS.b door (README, "XDS.b gateway"): SOAP 1.2, plain or MTOM/XOP, the transaction named by the WS-Addressing action.
    private static let operationsForXDS: [Operation] = [
        Operation(method: "post", path: "/xds/repository", summary: "IHE XDS.b repository: ITI-41 Provide and Register Document Set-b, ITI-43 Retrieve Document Set (SOAP 1.2, MTOM/XOP or inline)",
                  tag: "XDS.b", body: .soap, answer: .soap),
        Operation(method: "post", path: "/xds/registry", summary: "IHE XDS.b registry: ITI-18 Registry Stored Query, ITI-57 Update Document Set (SOAP 1.2)",
                  tag: "XDS.b", body: .soap, answer: .soap),
    ]

    private static let operationsForOperations: [Operation] = [
        Operation(method: "get", path: "/health", summary: "Ready: the process and its database answer", tag: "Operations", security: .none, answer: .json),
        Operation(method: "get", path: "/health/live", summary: "Live: the process answers", tag: "Operations", security: .none, answer: .json),
        Operation(method: "get", path: "/health/ready", summary: "Ready: the process and its database answer", tag: "Operations", security: .none, answer: .json),
        Operation(method: "get", path: "/metrics", summary: "Prometheus metrics (no identifiers)", tag: "Operations", security: .none, answer: .prometheus),
        Operation(method: "get", path: "/openapi.json", summary: "This description", tag: "Operations", security: .none, answer: .json),
        Operation(method: "get", path: "/fhir/metadata", summary: "The CapabilityStatement", tag: "Operations", security: .none),
        Operation(method: "get", path: "/", summary: "A browser (Accept: text/html) is sent to the portal; any other client gets a 404 OperationOutcome",
                  tag: "Operations", security: .none, answer: .redirect),
    ]

    private static let operationsForFHIR: [Operation] = [
        Operation(method: "get", path: "/fhir/Patient", summary: "Find a record by INS (TD0.2)", tag: "Records", query: query("Patient")),
        Operation(method: "post", path: "/fhir/Patient", summary: "Create a record (TD0.1)", tag: "Records", body: .fhir),
        Operation(method: "get", path: "/fhir/Patient/{id}", summary: "Read a record's Patient", tag: "Records"),
        Operation(method: "post", path: "/fhir/Patient/{id}/$close", summary: "Close the record", tag: "Records", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$reopen", summary: "Reopen the record", tag: "Records", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$contact", summary: "Set the contact sign-in codes go to (holder, agent)", tag: "Records", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$authorize", summary: "Authorise a professional", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$revoke", summary: "Revoke a professional's authorisation", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$block", summary: "Block a professional", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$unblock", summary: "Unblock a professional", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$treating-physician", summary: "Name the treating physician", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$emergency-access", summary: "Allow or oppose break-the-glass and Centre 15", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$legal-representative", summary: "Add or remove a minor's legal representative", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$feeding", summary: "Oppose or allow feeding by professionals", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$hide-documents", summary: "Hide documents from the patient (professional)", tag: "Access", body: .fhir),
        Operation(method: "post", path: "/fhir/Patient/{id}/$notification-preferences", summary: "Set how the patient is notified", tag: "Access", body: .fhir),
        Operation(method: "get", path: "/fhir/Patient/{id}/$summary", summary: "IPS-style patient summary document; entries new since the reader's last access carry the extension https://carnet.example/fhir/StructureDefinition/new-since-last-access", tag: "Summary"),
        Operation(method: "get", path: "/fhir/Patient/{id}/$everything", summary: "Everything the reader may see, paged; entries new since the reader's last access carry the extension https://carnet.example/fhir/StructureDefinition/new-since-last-access", tag: "Summary", query: ["_count", "_offset"]),
        Operation(method: "get", path: "/fhir/DocumentReference", summary: "Search document references (ITI-67); the same content from several submissions is one entry listing the others (extension duplicate-submission); _content/_text search inside the documents; entries new since the reader's last access carry the extension https://carnet.example/fhir/StructureDefinition/new-since-last-access", tag: "Documents", query: query("DocumentReference")),
        Operation(method: "post", path: "/fhir/DocumentReference", summary: "Add one document with inline content: 201, or 200 with the stored document for an exact re-push; a CDA contradicting its metadata is a 422", tag: "Documents", body: .fhir),
        Operation(method: "patch", path: "/fhir/DocumentReference", summary: "Change a document's metadata by unique id (TD3.3)", tag: "Documents", query: ["identifier"], body: .jsonPatch),
        Operation(method: "get", path: "/fhir/DocumentReference/{id}", summary: "Read a document reference", tag: "Documents"),
        Operation(method: "patch", path: "/fhir/DocumentReference/{id}", summary: "Change a document's status or labels (JSON Patch)", tag: "Documents", body: .jsonPatch),
        Operation(method: "delete", path: "/fhir/DocumentReference/{id}", summary: "Delete a document (author or holder)", tag: "Documents"),
        Operation(method: "get", path: "/fhir/DocumentReference/{id}/_history", summary: "Every metadata version", tag: "Documents"),
        Operation(method: "get", path: "/fhir/DocumentReference/{id}/_history/{version}", summary: "One metadata version", tag: "Documents"),
        Operation(method: "post", path: "/fhir/DocumentReference/{id}/$mask", summary: "Mask a document from professionals", tag: "Documents", body: .fhir),
        Operation(method: "post", path: "/fhir/DocumentReference/{id}/$unmask", summary: "Unmask a document", tag: "Documents", body: .fhir),
        Operation(method: "post", path: "/fhir/DocumentReference/{id}/$show-to-patient", summary: "Make a document visible to the patient", tag: "Documents", body: .fhir),
        Operation(method: "get", path: "/fhir/Binary/{id}", summary: "A document's content (ITI-68), or a Binary resource", tag: "Documents", answer: .content),
        Operation(method: "get", path: "/fhir/List", summary: "Search submission sets (ITI-66)", tag: "Documents", query: query("List")),
        Operation(method: "post", path: "/fhir", summary: "Transaction Bundle: a submission set (ITI-65); entries 200 OK with the stored locations when the whole submission is an exact re-push", tag: "Documents", body: .fhir),
        Operation(method: "get", path: "/fhir/AuditEvent", summary: "The record's access history (holder)", tag: "Access", query: query("AuditEvent")),
        Operation(method: "get", path: "/fhir/ExplanationOfBenefit", summary: "Care history within 24 months", tag: "Care history", query: query("ExplanationOfBenefit")),
        Operation(method: "get", path: "/fhir/ExplanationOfBenefit/{id}", summary: "One claim of the care history", tag: "Care history"),
        Operation(method: "post", path: "/fhir/$import-claims", summary: "Bulk claims feed (insurer), asynchronous", tag: "Care history", body: .ndjsonOrCSV),
        Operation(method: "get", path: "/fhir/$import-claims/{job}", summary: "Status of a claims import", tag: "Care history"),
    ]

    private static var operationsForSummary: [Operation] {
        SummaryResource.resourceTypes.flatMap { type in
            [
                Operation(method: "get", path: "/fhir/\(type)", summary: "Search \(type) by patient", tag: "Summary",
                          query: query(type)),
                Operation(method: "post", path: "/fhir/\(type)", summary: "Record a \(type)", tag: "Summary", body: .fhir),
                Operation(method: "get", path: "/fhir/\(type)/{id}", summary: "Read a \(type)", tag: "Summary"),
                Operation(method: "put", path: "/fhir/\(type)/{id}", summary: "Update a \(type) (If-Match)", tag: "Summary", body: .fhir),
                Operation(method: "delete", path: "/fhir/\(type)/{id}", summary: "Delete a \(type)", tag: "Summary"),
                Operation(method: "get", path: "/fhir/\(type)/{id}/_history", summary: "Every version of a \(type)", tag: "Summary"),
                Operation(method: "get", path: "/fhir/\(type)/{id}/_history/{version}", summary: "One version of a \(type)", tag: "Summary"),
            ]
        }
    }

    private static let operationsForPortals: [Operation] = {
        func page(_ method: String, _ path: String, _ summary: String, security: Security = .portalSession, body: Body? = nil,
                  answer: Answer = .html) -> Operation {
            Operation(method: method, path: path, summary: summary, tag: "Portals", security: security, body: body, answer: answer)
        }
        return [
            page("get", "/portal", "Choose the patient or professional portal", security: .none),
            page("get", "/portal/language", "Switch language (fr, en)", security: .none, answer: .redirect),
            page("post", "/portal/sign-out", "Sign out", body: .form, answer: .redirect),
            page("get", "/portal/assets/carnet.css", "Style sheet", security: .none, answer: .css),
            page("get", "/portal/assets/carnet.js", "Progressive enhancements", security: .none, answer: .javascript),
            page("get", "/portal/assets/icon-192.png", "Home-screen icon, 192 px", security: .none, answer: .png),
            page("get", "/portal/assets/icon-512.png", "Home-screen icon, 512 px", security: .none, answer: .png),
            page("get", "/portal/manifest.webmanifest", "Web app manifest: the patient portal installs on a phone's home screen", security: .none,
                 answer: .manifest),
            page("get", "/portal/sw.js", "Service worker: caches the static assets only, never a page or an API answer", security: .none,
                 answer: .javascript),
            page("get", "/portal/patient/sign-in", "Patient sign-in: ask for a code", security: .none),
            page("post", "/portal/patient/sign-in", "Send a one-time code", security: .none, body: .form),
            page("post", "/portal/patient/verify", "Check the one-time code, open a session", security: .none, body: .form, answer: .redirect),
            page("get", "/portal/patient", "The record at a glance"),
            page("get", "/portal/patient/documents", "Documents"),
            page("post", "/portal/patient/documents", "Add a document", body: .multipart, answer: .redirect),
            page("post", "/portal/patient/documents/filter", "Filter the documents, or search inside them (words in the body)", body: .form),
            page("get", "/portal/patient/documents/{id}", "One document"),
            page("get", "/portal/patient/documents/{id}/content", "A document's content", answer: .content),
            page("post", "/portal/patient/documents/{id}/visibility", "Mask or unmask a document", body: .form, answer: .redirect),
            page("post", "/portal/patient/documents/{id}/delete", "Delete a document the patient side added: a confirmation page first, deleted with confirm=yes",
                 body: .form, answer: .redirect),
            page("post", "/portal/patient/settings", "Hide all documents, oppose feeding, new-document notices", body: .form, answer: .redirect),
            page("get", "/portal/patient/care-history", "The care history of the last 24 months, itemised and paged"),
            page("get", "/portal/patient/summary", "The patient's own section"),
            page("post", "/portal/patient/summary", "Record an item of the patient's section", body: .multipart, answer: .redirect),
            page("post", "/portal/patient/summary/delete", "Delete an item the patient recorded: a confirmation page first, deleted with confirm=yes",
                 body: .form, answer: .redirect),
            page("get", "/portal/patient/access", "Who may read, who is blocked"),
            page("post", "/portal/patient/access", "Change who may read", body: .form, answer: .redirect),
            page("post", "/portal/patient/represent", "Open the record of a minor one legally represents (INS in the body)", body: .form, answer: .redirect),
            page("post", "/portal/patient/represent/self", "Back to one's own record", body: .form, answer: .redirect),
            page("post", "/portal/patient/representatives", "Add or remove a minor's legal representative", body: .form, answer: .redirect),
            page("get", "/portal/patient/history", "Every access and action"),
            page("post", "/portal/patient/history", "The history filtered and paged (filters in the body)", body: .form),
            page("get", "/portal/patient/record", "Close or reopen the record"),
            page("post", "/portal/patient/record", "Close or reopen the record", body: .form, answer: .redirect),
            page("get", "/portal/pro/sign-in", "Professional sign-in", security: .none),
            page("post", "/portal/pro/sign-in", "Sign in with a professional token", security: .none, body: .form, answer: .redirect),
            page("get", "/portal/pro", "Find a patient by INS"),
            page("post", "/portal/pro/find", "Find a patient by INS", body: .form),
            page("post", "/portal/pro/open", "Open a record (consent or emergency)", body: .form, answer: .redirect),
            page("get", "/portal/pro/patient", "The opened record: what is new since the professional's last visit first, then the rest"),
            page("post", "/portal/pro/patient/search", "Search inside the opened record's documents (words in the body)", body: .form),
            page("get", "/portal/pro/documents/{id}", "One document"),
            page("get", "/portal/pro/documents/{id}/content", "A document's content", answer: .content),
            page("post", "/portal/pro/upload", "Add or replace a document", body: .multipart, answer: .redirect),
        ]
    }()

    // MARK: - The document

    /// The whole description as JSON (keys sorted, so that it reads the same every time).
    static func json(serverURL: String) -> Data {
        // Built once at start-up from the table above and the configured base URL; no client input reaches it.
        try! JSONSerialization.data(withJSONObject: document(serverURL: serverURL), options: [.sortedKeys, .prettyPrinted]) // safe: strings, numbers, booleans, arrays and dictionaries only
    }

    static func document(serverURL: String) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method] = describe(operation)
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Carnet",
                "version": CarnetVersion.current,
                "description": "Shared health record service modelled on the DMP: FHIR R4 + IHE MHD API, patient and professional portals. "
                    + "Health data only through the FHIR routes and portals, each access decided by the patient's rules and audited.",
            ],
            "servers": [["url": serverURL]],
            "paths": paths,
            "components": components,
        ]
    }

    private static func describe(_ operation: Operation) -> [String: Any] {
        var described: [String: Any] = [
            "summary": operation.summary,
            "tags": [operation.tag],
            "operationId": operationID(operation),
            "responses": responses(operation),
        ]
        var parameters: [[String: Any]] = pathParameters(operation.path).map {
            ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]]
        }
        parameters += operation.query.map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]] }
        if operation.method == "put" { parameters.append(["name": "If-Match", "in": "header", "required": false, "schema": ["type": "string"]]) }
        if !parameters.isEmpty { described["parameters"] = parameters }
        if let body = operation.body { described["requestBody"] = requestBody(body) }
        switch operation.security {
        case .none: described["security"] = [[String: Any]]()
        case .bearer: described["security"] = [["bearer": [String]()]]
        case .portalSession: described["security"] = [["portalSession": [String]()]]
        }
        return described
    }

    private static func operationID(_ operation: Operation) -> String {
        let words = operation.path.split(whereSeparator: { "/{}$-._".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return operation.method + words.joined()
    }

    private static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    private static func requestBody(_ body: Body) -> [String: Any] {
        let object: [String: Any] = ["type": "object"]
        let content: [String: Any] = switch body {
        case .fhir: ["application/fhir+json": ["schema": ["$ref": "#/components/schemas/Resource"]]]
        case .jsonPatch: ["application/json-patch+json": ["schema": ["type": "array", "items": object]]]
        case .form: ["application/x-www-form-urlencoded": ["schema": object]]
        case .multipart: ["multipart/form-data": ["schema": object]]
        case .ndjsonOrCSV: ["application/x-ndjson": ["schema": ["type": "string"]], "text/csv": ["schema": ["type": "string"]]]
        case .soap: ["application/soap+xml": ["schema": ["type": "string"]], "multipart/related": ["schema": ["type": "string", "format": "binary"]]]
        }
        return ["required": true, "content": content]
    }

    private static func responses(_ operation: Operation) -> [String: Any] {
        let resource: [String: Any] = ["schema": ["$ref": "#/components/schemas/Resource"]]
        let outcome: [String: Any] = ["description": "A FHIR OperationOutcome naming what is wrong",
                                      "content": ["application/fhir+json": ["schema": ["$ref": "#/components/schemas/OperationOutcome"]]]]
        let html: [String: Any] = ["schema": ["type": "string"]]
        let success: [String: Any] = switch operation.answer {
        case .fhir: ["description": "A FHIR resource (a Bundle for searches)", "content": ["application/fhir+json": resource]]
        case .json: ["description": "JSON", "content": ["application/json": ["schema": ["type": "object"]]]]
        case .html: ["description": "An HTML page", "content": ["text/html": html]]
        case .text: ["description": "Text", "content": ["text/plain": html]]
        case .prometheus: ["description": "Prometheus text exposition format", "content": ["text/plain": html]]
        case .css: ["description": "CSS", "content": ["text/css": html]]
        case .javascript: ["description": "JavaScript", "content": ["text/javascript": html]]
        case .png: ["description": "A PNG image", "content": ["image/png": ["schema": ["type": "string", "format": "binary"]]]]
        case .manifest: ["description": "A web app manifest", "content": ["application/manifest+json": ["schema": ["type": "object"]]]]
        case .content: ["description": "The document's bytes, in its own media type (or a FHIR Binary when asked for application/fhir+json)",
                        "content": ["*/*": ["schema": ["type": "string", "format": "binary"]]]]
        case .redirect: ["description": "See other: where to go next"]
        case .soap: ["description": "A SOAP 1.2 envelope: the transaction's answer (a refusal is a RegistryResponse with status Failure and XDS error codes)",
                     "content": ["application/soap+xml": ["schema": ["type": "string"]], "multipart/related": ["schema": ["type": "string", "format": "binary"]]]]
        }
        let code = switch (operation.answer, operation.method) {
        case (.redirect, _): "303"
        case (.fhir, "post") where operation.path.hasSuffix("/DocumentReference") || operation.path == "/fhir/Patient": "201"
        default: "200"
        }
        var answers: [String: Any] = [code: success]
        if code == "201" { answers["200"] = success }
        switch operation.security {
        case _ where operation.answer == .soap:
            answers["default"] = ["description": "A SOAP 1.2 fault (message unreadable, authentication, limits)",
                                  "content": ["application/soap+xml": ["schema": ["type": "string"]]]]
        case .portalSession:
            answers["303"] = ["description": "No session: to the sign-in page"]
            answers["default"] = ["description": "An error page saying what is wrong", "content": ["text/html": html]]
        case .none where operation.tag == "Portals":
            answers["default"] = ["description": "An error page saying what is wrong", "content": ["text/html": html]]
        default:
            answers["default"] = outcome
        }
        return answers
    }

    private static var components: [String: Any] { [
        "securitySchemes": [
            "bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT (IHE IUA claims; mint with carnet token)",
                       "description": "Or, with mutual TLS, a professional's client certificate (subject UID = RPPS, OU = profession)"],
            "portalSession": ["type": "apiKey", "in": "cookie", "name": "carnet_session"],
        ],
        "schemas": [
            "Resource": ["type": "object", "required": ["resourceType"], "properties": ["resourceType": ["type": "string"]]],
            "OperationOutcome": [
                "type": "object", "required": ["resourceType", "issue"],
                "properties": [
                    "resourceType": ["type": "string", "enum": ["OperationOutcome"]],
                    "issue": ["type": "array", "minItems": 1, "items": [
                        "type": "object", "required": ["severity", "code"],
                        "properties": ["severity": ["type": "string"], "code": ["type": "string"], "diagnostics": ["type": "string"],
                                       "expression": ["type": "array", "items": ["type": "string"]]],
                    ]],
                ],
            ],
        ],
    ] }
}

extension OpenAPIDescription {
    /// Serves the description at `/openapi.json`, with `serverURL` as its server.
    static func register(on router: Router<CarnetRequestContext>, serverURL: String) {
        let body = json(serverURL: serverURL)
        router.get("openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
