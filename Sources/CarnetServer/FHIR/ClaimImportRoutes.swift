import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The insurer's feed over HTTP, in the spirit of FHIR Bulk Data `$import`: `POST /fhir/$import-claims`
/// with an NDJSON (or CSV) body answers 202 at once with a status URL in `Content-Location`;
/// `GET` on it answers 202 with `X-Progress` while the import runs, then 200 with the summary.
///
/// The body is streamed to a file under the data directory (`imports/`), never held in memory, and
/// the import runs the same importer as `carnet import claims`: idempotent and resumable.
struct ClaimImportRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration
    let jobs = ClaimImportJobs()
    let logger: Logger

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.post("$import-claims", use: submit)
        group.get("$import-claims/:job", use: status)
    }

    @Sendable func submit(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try await service.authoriseFeed(.importCareHistory, by: actor)
        let mediaType = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let format: ClaimImporter.Format
        switch mediaType {
        case "application/fhir+ndjson", "application/x-ndjson", "application/ndjson": format = .ndjson
        case "text/csv": format = .csv
        default:
            throw HTTPError(.unsupportedMediaType, message: "send the feed as application/x-ndjson (one claim per line) or text/csv")
        }
        let id = UUID().uuidString.lowercased()
        let directory = configuration.dataDirectory.appendingPathComponent("imports")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent("\(id).\(format.rawValue)")
        // A failure here surfaces as the FileHandle error on the next line.
        _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: file)
        var size = 0
        do {
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= configuration.maxImportSize else { throw HTTPError(.contentTooLarge) }
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        await jobs.start(id, owner: actor)
        let service = service
        let jobs = jobs
        let keyChecking = configuration.insKeyChecking
        let logger = logger
        Task {
            do {
                let summary = try await service.importCareHistory(file: file, format: format, keyChecking: keyChecking, by: actor) { progress in
                    Task { await jobs.progress(id, progress) }
                }
                // The feed is in the database now; its rejects file stays beside it for the insurer's operators.
                try? FileManager.default.removeItem(at: file)
                await jobs.finish(id, .success(summary))
            } catch {
                logger.error("claims import failed", metadata: ["job": "\(id)", "error": "\(error)"])
                await jobs.finish(id, .failure(ImportFailure(description: "\(error)", isClientError: error is ClaimImportError)))
            }
        }
        return Response(status: .accepted, headers: [.contentLocation: "\(configuration.baseURL)/fhir/$import-claims/\(id)"])
    }

    @Sendable func status(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        guard let id = context.parameters.get("job") else { throw AccessError.notFound }
        let job = await jobs.job(id)
        // Only the actor who started the job follows it (kind and id, not the id alone): decided by the door.
        try await service.checkImportJobReader(job: id, owner: job?.owner, by: actor)
        guard let job else { throw AccessError.notFound }
        switch job.state {
        case .running(let progress):
            return Response(status: .accepted, headers: [HTTPField.Name("X-Progress")!: "\(progress?.lines ?? 0) lines read"])
        case .finished(.success(let summary)):
            return FHIRResponse.make(ImportReport(summary))
        case .finished(.failure(let failure)) where failure.isClientError:
            return FHIRResponse.make(OperationOutcome(code: "invalid", diagnostics: "the feed was refused: \(failure.description)"),
                                     status: .unprocessableContent)
        case .finished(.failure(let failure)):
            return FHIRResponse.make(OperationOutcome(code: "exception", diagnostics: "the import stopped: \(failure.description); post the feed again to resume"),
                                     status: .internalServerError)
        }
    }
}

struct ImportFailure: Error, Sendable {
    var description: String
    /// The feed itself was wrong (e.g. a CSV header without the required fields): a 422, not a 500.
    var isClientError: Bool
}

/// The import jobs of this node, by id. A restart forgets them (the data and checkpoints are in the
/// database: posting the same feed again resumes and adds nothing twice).
actor ClaimImportJobs {
    enum State: Sendable {
        case running(ClaimImporter.Progress?)
        case finished(Result<ClaimImporter.Summary, ImportFailure>)
    }

    struct Job: Sendable {
        /// The actor who started the job, the only one who may follow it.
        var owner: Actor
        var state: State
    }

    private var jobs: [String: Job] = [:]

    func start(_ id: String, owner: Actor) { jobs[id] = Job(owner: owner, state: .running(nil)) }

    func progress(_ id: String, _ progress: ClaimImporter.Progress) {
        guard case .running = jobs[id]?.state else { return }
        jobs[id]?.state = .running(progress)
    }

    func finish(_ id: String, _ result: Result<ClaimImporter.Summary, ImportFailure>) { jobs[id]?.state = .finished(result) }

    func job(_ id: String) -> Job? { jobs[id] }
}

/// The summary of a finished import as a FHIR `Parameters` resource.
struct ImportReport: Encodable, Sendable {
    let resourceType = "Parameters"
    var parameter: [Parameter]

    struct Parameter: Encodable, Sendable {
        var name: String
        var valueInteger: Int?
        var valueString: String?
    }

    init(_ summary: ClaimImporter.Summary) {
        parameter = [
            Parameter(name: "status", valueString: "completed"),
            Parameter(name: "lines", valueInteger: summary.lines),
            Parameter(name: "imported", valueInteger: summary.imported),
            Parameter(name: "duplicates", valueInteger: summary.duplicates),
            Parameter(name: "rejected", valueInteger: summary.rejected),
        ]
    }

    enum CodingKeys: String, CodingKey { case resourceType, parameter }
}
