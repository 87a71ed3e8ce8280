/// FHIR `CapabilityStatement`: what this server really implements, served at `GET /fhir/metadata`.
///
/// It is built from ``CapabilityStatement/carnet(baseURL:version:date:)`` only, so it is updated in the
/// same change that adds an interaction; the server tests pin the list and exercise each entry.
public struct CapabilityStatement: Encodable, Sendable {
    public let resourceType = "CapabilityStatement"
    public var status = "active"
    public var date: String
    public var kind = "instance"
    public var software: Software
    public var implementation: Implementation
    public var fhirVersion = "4.0.1"
    public var format = ["application/fhir+json", "json"]
    /// JSON Patch (archiving, withdrawal, security labels) and FHIRPath Patch (a `Parameters`) on `PATCH DocumentReference`.
    public var patchFormat = ["application/json-patch+json", "application/fhir+json"]
    public var rest: [Rest]

    public struct Software: Encodable, Sendable {
        public var name: String
        public var version: String
    }

    public struct Implementation: Encodable, Sendable {
        public var description: String
        public var url: String
    }

    public struct Rest: Encodable, Sendable {
        public var mode = "server"
        public var security: Security
        public var resource: [Resource]
        /// System-level interactions: `transaction` is IHE MHD ITI-65 (`POST /fhir`).
        public var interaction: [Interaction] = [Interaction(code: "transaction")]
        /// System-level operations: the insurer's claims feed.
        public var operation: [Operation] = [Operation(
            name: "import-claims", definition: "https://carnet.example/fhir/OperationDefinition/import-claims",
            documentation: "POST /fhir/$import-claims (application/x-ndjson or text/csv): the insurer feed's claims, imported as an asynchronous job")]
    }

    public struct Security: Encodable, Sendable {
        public var description: String
        public var service: [CodeableConcept]
    }

    public struct Resource: Encodable, Sendable {
        public var type: String
        public var profile: String?
        public var interaction: [Interaction]
        public var searchParam: [SearchParam]?
        public var operation: [Operation]?
        /// What the ETag and `meta.versionId` carry, and whether `If-Match` is read: said for every type that is read.
        public var versioning: String? = nil
        /// Whether `vread` and `_history` serve past versions.
        public var readHistory: Bool? = nil
        /// A `PUT` to an id that does not exist never creates it.
        public var updateCreate: Bool? = nil
        /// `If-None-Exist` is honoured on create.
        public var conditionalCreate: Bool? = nil
        /// `If-Modified-Since` and `If-None-Match` are not read: a read always answers the resource.
        public var conditionalRead: String? = nil
        /// An update names its resource by id, never by search.
        public var conditionalUpdate: Bool? = nil
        /// A delete names its resource by id, never by search.
        public var conditionalDelete: String? = nil
        public var documentation: String? = nil
    }

    public struct Interaction: Encodable, Sendable {
        public var code: String
    }

    public struct SearchParam: Encodable, Sendable {
        public var name: String
        public var type: String
        public var documentation: String?
    }

    public struct Operation: Encodable, Sendable {
        public var name: String
        public var definition: String
        public var documentation: String?
    }

    enum CodingKeys: String, CodingKey {
        case resourceType, status, date, kind, software, implementation, fhirVersion, format, patchFormat, rest
    }

    /// The patient's control operations on `Patient/{id}` (the Access control issue), with what each does.
    static let patientControls: [(String, String)] = [
        ("authorize", "by the patient: authorise parameter 'professional' (Identifier urn:oid:1.2.250.1.71.4.2.1|8+RPPS); by a professional, without it: declare the patient's consent in consultation (careTeam=true: care-team membership), refused while the patient's revocation stands"),
        ("revoke", "the patient revokes a professional's authorisation"),
        ("block", "the patient blocks a professional: no access in any mode"),
        ("unblock", "the patient unblocks a professional"),
        ("treating-physician", "the patient designates the treating physician ('professional'), or removes it (no parameter)"),
        ("emergency-access", "booleans breakTheGlass and regulation: false opposes that emergency mode"),
        ("hide-documents", "boolean hidden: every document hidden from professionals but its author, even in emergencies"),
        ("feeding", "boolean allowed: false opposes professionals adding documents to the record"),
        ("notification-preferences", "boolean newDocuments: be notified of each new document"),
        ("legal-representative", "an agent or a representative adds or removes ('action' add|remove) a legal representative ('patient', an INS Identifier)"),
        ("contact", "the holder (or an insurer agent, after checking identity) sets the e-mail ('email') sign-in codes and notifications go to; the previous address is told"),
    ]

    /// The statement of this build of Carnet.
    ///
    /// What each type declares besides its interactions is derived from them here, so a flag cannot
    /// claim more than the routes serve: fhirclient's strict parsing and the client suite
    /// (`scripts/fhir-clients`) read it, and `CapabilityStatementTests` compares it with the router.
    public static func carnet(baseURL: String, version: String, date: String) -> CapabilityStatement {
        var statement = declared(baseURL: baseURL, version: version, date: date)
        statement.rest[0].resource = statement.rest[0].resource.map { resource in
            var resource = resource
            let codes = Set(resource.interaction.map(\.code))
            if codes.contains("read") {
                // Summary items take If-Match on update and delete; a document's versions are its metadata's (If-Match on
                // PATCH), a Patient's its record's (meta.versionId and ETag, no vread); claims and contents have none.
                resource.versioning = codes.contains("update") ? "versioned-update"
                    : codes.contains("vread") || resource.type == "Patient" ? "versioned" : "no-version"
                resource.readHistory = codes.contains("vread")
                resource.conditionalRead = "not-supported"
            }
            if codes.contains("update") {
                resource.updateCreate = false
                resource.conditionalUpdate = false
            }
            if codes.contains("delete") { resource.conditionalDelete = "not-supported" }
            // Conditional create: a DocumentReference by its unique id, a summary item by any of its searches.
            // A Patient is created once per INS whatever the header: a second create answers the record (200).
            if codes.contains("create") { resource.conditionalCreate = codes.contains("search-type") && resource.type != "Patient" }
            guard codes.contains("search-type") else { return resource }
            // Every search: its result parameters (also as POST [type]/_search, and lenient on request).
            resource.searchParam = (resource.searchParam ?? []) + [
                SearchParam(name: "_summary", type: "token", documentation: "count: the total alone, under the same access decisions; false: the default"),
                SearchParam(name: "_total", type: "token", documentation: "none, estimate or accurate: totals are always accurate"),
            ]
            return resource
        }
        return statement
    }

    private static func declared(baseURL: String, version: String, date: String) -> CapabilityStatement {
        CapabilityStatement(
            date: date,
            software: Software(name: "Carnet", version: version),
            implementation: Implementation(description: "Carnet shared health record (DMP-style), FHIR R4 API", url: baseURL),
            rest: [Rest(
                security: Security(
                    description: "Bearer JWT (IHE IUA-style claims: subject, actor kind, profession, purpose of use); every access is audited",
                    service: [CodeableConcept(coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "OAuth")])]),
                resource: [
                    Resource(
                        type: "Patient",
                        profile: "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins",
                        interaction: [Interaction(code: "read"), Interaction(code: "search-type"), Interaction(code: "create")],
                        searchParam: searchParameters(of: "Patient"),
                        operation: [
                            Operation(name: "close", definition: "https://carnet.example/fhir/OperationDefinition/Patient-close",
                                      documentation: "POST /fhir/Patient/{id}/$close: the patient or an insurer agent closes the record"),
                            Operation(name: "reopen", definition: "https://carnet.example/fhir/OperationDefinition/Patient-reopen",
                                      documentation: "POST /fhir/Patient/{id}/$reopen: the patient or an insurer agent reopens a closed record"),
                            Operation(name: "summary", definition: "http://hl7.org/fhir/uv/ips/OperationDefinition/summary",
                                      documentation: "GET /fhir/Patient/{id}/$summary: an IPS-style document Bundle of what the reader may see"),
                            Operation(name: "everything", definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                                      documentation: "GET /fhir/Patient/{id}/$everything: the patient, documents, summary items and claims the reader may see (_count, _offset)"),
                        ] + Self.patientControls.map { name, documentation in
                            Operation(name: name, definition: "https://carnet.example/fhir/OperationDefinition/Patient-\(name)", documentation: documentation)
                        }),
                    Resource(
                        type: "DocumentReference",
                        profile: "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.DocumentReference",
                        interaction: [Interaction(code: "read"), Interaction(code: "vread"), Interaction(code: "history-instance"),
                                      Interaction(code: "search-type"), Interaction(code: "create"),
                                      Interaction(code: "patch"), Interaction(code: "delete")],
                        searchParam: searchParameters(of: "DocumentReference"),
                        operation: [("mask", "the holder or the author masks the document to professionals (TD3.3a)"),
                                    ("unmask", "the holder or the author lifts the mask"),
                                    ("show-to-patient", "a professional who may read it makes the document visible to the patient (TD3.3b)")].map {
                            Operation(name: $0.0, definition: "https://carnet.example/fhir/OperationDefinition/DocumentReference-\($0.0)", documentation: $0.1)
                        },
                        documentation: """
                            Create with inline attachment.data (ITI-105-style) or in an ITI-65 transaction; If-None-Exist by \
                            identifier=<system>|<unique id>. PATCH takes If-Match, and PDSm's conditional form \
                            PATCH DocumentReference?identifier=<system>|<unique id> (TD3.3a/b).
                            """),
                    Resource(
                        type: "List",
                        profile: "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.SubmissionSet",
                        interaction: [Interaction(code: "search-type")],
                        searchParam: searchParameters(of: "List"),
                        operation: nil),
                ] + Self.summaryResources + [
                    Resource(type: "AuditEvent", profile: nil, interaction: [Interaction(code: "search-type")],
                             searchParam: searchParameters(of: "AuditEvent"),
                             operation: nil),
                    Resource(type: "ExplanationOfBenefit", profile: nil, interaction: [Interaction(code: "read"), Interaction(code: "search-type")],
                             searchParam: searchParameters(of: "ExplanationOfBenefit"),
                             operation: nil),
                    Resource(type: "Binary", profile: nil, interaction: [Interaction(code: "read")], searchParam: nil, operation: nil),
                ])])
    }

    /// The structured summary's resources: create, read, vread, history, update, delete, search by patient.
    static var summaryResources: [Resource] {
        SummaryResource.resourceTypes.map { type in
            return Resource(type: type, profile: nil,
                            interaction: ["read", "vread", "history-instance", "search-type", "create", "update", "delete"].map { Interaction(code: $0) },
                            searchParam: searchParameters(of: type), operation: nil)
        }
    }
}
