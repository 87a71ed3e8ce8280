import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Documents over IHE MHD: push a `DocumentReference` with inline content, read it, search a
/// patient's documents (ITI-67), and retrieve the exact bytes (ITI-68, `Binary/{id}`).
///
/// Thin: decode, one ``RecordService`` call, encode. What an actor may see is decided behind the service.
struct DocumentRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    var fhirBase: String { "\(configuration.baseURL)/fhir" }

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.post("DocumentReference", use: create)
        group.get("DocumentReference", use: search)
        group.post("DocumentReference/_search", use: search)
        group.get("DocumentReference/:id", use: read)
        group.get("DocumentReference/:id/_history", use: history)
        group.get("DocumentReference/:id/_history/:version", use: readVersion)
        group.patch("DocumentReference/:id", use: patch)
        group.patch("DocumentReference", use: conditionalPatch)
        group.delete("DocumentReference/:id", use: delete)
        group.get("Binary/:id", use: binary)
    }

    @Sendable func create(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try FHIRCreateQuery.refuseCriteria(request, type: "DocumentReference")
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        let resource = try FHIRJSON.decode(DocumentReferenceResource.self, from: data, resourceName: "DocumentReference")
        let input = try resource.input(keyChecking: configuration.insKeyChecking, now: service.now(), maxContentSize: configuration.maxContentSize)
        if let existing = try await conditionalMatch(request, subject: input.subject.serviceSubject, by: actor) {
            // R4 conditional create: the document the criteria name is answered as it stands, nothing is created.
            return FHIRResponse.make(DocumentReferenceResource(existing, baseURL: fhirBase), status: .ok,
                                     headers: [.contentLocation: "\(fhirBase)/DocumentReference/\(existing.id)/_history/\(existing.metadataVersion)",
                                               .eTag: "W/\"\(existing.metadataVersion)\""])
        }
        let publication = try await service.publish([RecordService.Submission(draft: input.draft, content: input.content)], as: nil,
                                                    for: input.subject.serviceSubject, by: actor)
        let entry = publication.entries[0]
        return FHIRResponse.make(DocumentReferenceResource(entry, baseURL: fhirBase), status: publication.wasAlreadyStored ? .ok : .created,
                                 headers: [.location: "\(fhirBase)/DocumentReference/\(entry.id)/_history/\(entry.metadataVersion)",
                                           .eTag: "W/\"\(entry.metadataVersion)\""])
    }

    @Sendable func read(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let entry = try await service.readDocument(try documentID(context), by: actor)
        return FHIRResponse.make(DocumentReferenceResource(entry, baseURL: fhirBase),
                                 headers: FHIRResponse.version(entry.metadataVersion, updated: entry.lastUpdated ?? entry.recordedAt))
    }

    /// Every metadata version of a document, newest first, as a FHIR `history` Bundle.
    @Sendable func history(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let versions = try await service.documentHistory(try documentID(context), by: actor)
        return FHIRResponse.make(HistoryBundle(entries: versions.reversed().map { version in
            HistoryBundle.Entry(fullUrl: "\(fhirBase)/DocumentReference/\(version.id)", resource: DocumentReferenceResource(version, baseURL: fhirBase),
                                method: version.metadataVersion == 1 ? "POST" : "PATCH",
                                url: version.metadataVersion == 1 ? "DocumentReference" : "DocumentReference/\(version.id)",
                                status: version.metadataVersion == 1 ? "201 Created" : "200 OK")
        }))
    }

    /// One metadata version (`vread`).
    @Sendable func readVersion(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try documentID(context)
        guard let number = context.parameters.get("version").flatMap(Int.init) else {
            throw FHIRInputError("is not a version number", at: "_history", code: "not-found")
        }
        let versions = try await service.documentHistory(id, by: actor)
        guard let version = versions.first(where: { $0.metadataVersion == number }) else {
            throw FHIRInputError("DocumentReference/\(id) has no version \(number)", at: "_history", code: "not-found")
        }
        return FHIRResponse.make(DocumentReferenceResource(version, baseURL: fhirBase),
                                 headers: FHIRResponse.version(number, updated: version.lastUpdated ?? version.recordedAt))
    }

    /// TD3.3c: a logical delete by the author or the holder; the entry is kept for the retention period.
    @Sendable func delete(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        _ = try await service.changeDocument(try documentID(context), .delete, by: actor)
        return Response(status: .noContent)
    }

    /// TD3.3d archive/unarchive (PDSm is-archived extension) and withdrawal as entered in error, by patch.
    @Sendable func patch(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize,
                                                     accepting: FHIRRequestBody.acceptedMediaTypes + [DocumentPatch.jsonPatchMediaType])
        return try await apply(patch: data, request, to: try documentID(context), by: actor)
    }

    /// PDSm's TD3.3a/b form: `PATCH DocumentReference?identifier=<system>|<unique id>`, the document
    /// named by its producer's unique id among those the caller may see (412 when several match).
    @Sendable func conditionalPatch(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize,
                                                     accepting: FHIRRequestBody.acceptedMediaTypes + [DocumentPatch.jsonPatchMediaType])
        var uniqueID: String?
        var subject: DocumentSubjectReference?
        for (rawName, value) in request.uri.queryParameters {
            let name = String(rawName)
            switch name {
            case "identifier":
                uniqueID = value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init)
            case "patient", "subject", "patient.identifier", "subject.identifier":
                subject = try DocumentSearch.single(subject, try DocumentSearch.subject(name, String(value), keyChecking: configuration.insKeyChecking), name)
            default:
                throw FHIRInputError("a conditional patch names its document by identifier=<system>|<unique id> (and its patient by patient=) only",
                                     at: name, code: "not-supported")
            }
        }
        guard let uniqueID, !uniqueID.isEmpty else {
            throw FHIRInputError("is required: identifier=<system>|<unique id>", at: "identifier", code: "required")
        }
        let id = try await service.documentID(uniqueID: uniqueID, in: subject?.serviceSubject, by: actor)
        return try await apply(patch: data, request, to: id, by: actor)
    }

    private func apply(patch data: Data, _ request: Request, to id: DocumentID, by actor: Actor) async throws -> Response {
        let isJSONPatch = request.headers[.contentType]?.hasPrefix(DocumentPatch.jsonPatchMediaType) == true
        let expected = try Self.expectedVersion(request)
        if isJSONPatch && DocumentPatch.touchesSecurityLabels(data) {
            let entry = try await service.changeLabels(of: id, expectedVersion: expected, by: actor) { current in
                try DocumentPatch.labels(fromJSONPatch: data, current: current)
            }
            return FHIRResponse.make(DocumentReferenceResource(entry, baseURL: fhirBase), headers: [.eTag: "W/\"\(entry.metadataVersion)\""])
        }
        let transition: DocumentTransition
        if isJSONPatch {
            transition = try DocumentPatch.transition(fromJSONPatch: data)
        } else {
            transition = try DocumentPatch.transition(fromFHIRPathPatch: try FHIRJSON.decode(ParametersResource.self, from: data, resourceName: "Parameters"))
        }
        let entry = try await service.changeDocument(id, transition, expectedVersion: expected, by: actor)
        return FHIRResponse.make(DocumentReferenceResource(entry, baseURL: fhirBase), headers: [.eTag: "W/\"\(entry.metadataVersion)\""])
    }

    /// `If-None-Exist: identifier=<system>|<unique id>` (R4 http.html#ccreate): the document of the
    /// subject's record with that unique id, among those the actor may see; `nil` when none (then the
    /// create goes on, and a hidden one is refused as any taken id is), 412 when several match.
    func conditionalMatch(_ request: Request, subject: RecordService.Subject, by actor: Actor) async throws -> DocumentEntry? {
        guard let criteria = request.headers[.ifNoneExist], !criteria.isEmpty else { return nil }
        var uniqueID: String?
        for (name, value) in FHIRSearchControlsMiddleware.pairs(criteria) {
            guard name == "identifier" else {
                throw FHIRInputError("a conditional create of a DocumentReference names it by identifier=<system>|<unique id> only",
                                     at: "If-None-Exist", code: "not-supported")
            }
            uniqueID = value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init)
        }
        guard let uniqueID, !uniqueID.isEmpty else { throw FHIRInputError("is empty: identifier=<system>|<unique id>", at: "If-None-Exist") }
        do {
            return try await service.readDocument(try await service.documentID(uniqueID: uniqueID, in: subject, by: actor), by: actor)
        } catch AccessError.notFound {
            return nil
        }
    }

    /// `If-Match: W/"3"` (or `"3"`): the metadata version the client last read (R4 http.html#concurrency).
    static func expectedVersion(_ request: Request) throws -> Int? {
        guard let header = request.headers[.ifMatch] else { return nil }
        let digits = header.replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard let version = Int(digits), version >= 1 else {
            throw FHIRInputError("'\(header)' is not a version: expected W/\"<version>\" as in the ETag", at: "If-Match")
        }
        return version
    }

    @Sendable func search(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let search = try DocumentSearch(request.uri.queryParameters, keyChecking: configuration.insKeyChecking)
        let result: (page: [DocumentEntry], total: Int)
        var markedNew: Set<String> = []
        if let subject = search.subject {
            let found = try await service.findDocuments(of: subject.serviceSubject, search.query, by: actor)
            result = (found.page, found.total)
            markedNew = Set(found.newIDs.map { "\(fhirBase)/DocumentReference/\($0)" })
        } else {
            result = try await searchByIDs(search.query, by: actor)
        }
        let bundle = SearchBundle(selfURL: "\(fhirBase)/DocumentReference?\(request.uri.query ?? "")",
                                  entries: result.page.map { (fullUrl: "\(fhirBase)/DocumentReference/\($0.id)",
                                                              resource: DocumentReferenceResource($0, baseURL: fhirBase)) },
                                  total: result.total,
                                  nextURL: SearchPaging.nextURL(request, path: "\(fhirBase)/DocumentReference", offset: search.query.offset,
                                                                count: search.query.count, total: result.total),
                                  markedNew: markedNew)
        return FHIRResponse.make(bundle)
    }

    /// `_id` without a patient: each id read through the door, the invisible ones left out.
    private func searchByIDs(_ query: DocumentQuery, by actor: Actor) async throws -> (page: [DocumentEntry], total: Int) {
        var found: [DocumentEntry] = []
        for id in query.ids {
            // Only "not found / not yours" drops an id; a store failure must fail the search, not shrink it.
            do { found.append(try await service.readDocument(id, by: actor)) } catch AccessError.notFound { continue }
        }
        var byID = query
        byID.ids = []
        return byID.apply(to: found)
    }

    /// ITI-68: the exact bytes with their content type, or a FHIR `Binary` when FHIR JSON is asked for.
    @Sendable func binary(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let (entry, content) = try await service.documentContent(try documentID(context), by: actor)
        let accept = request.headers[.accept] ?? ""
        if accept.contains("application/fhir+json") {
            return FHIRResponse.make(BinaryResource(id: entry.id.description, contentType: entry.content.contentType,
                                                    data: content.base64EncodedString()))
        }
        return Response(status: .ok, headers: [.contentType: entry.content.contentType, .eTag: "\"\(entry.content.sha256)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: content)))
    }

    private func documentID(_ context: CarnetRequestContext) throws -> DocumentID {
        try context.pathID()
    }
}

extension DocumentSubjectReference {
    var serviceSubject: RecordService.Subject {
        switch self {
        case .recordID(let id): .record(id)
        case .ins(let ins): .ins(ins)
        }
    }
}
