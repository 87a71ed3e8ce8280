import CarnetCore
import CarnetFHIR
import CarnetService
import CarnetStore
import Foundation
import CarnetJSON
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The insurer's feed over HTTP, in the spirit of FHIR Bulk Data `$import`: `POST /fhir/$import-claims`
/// with an NDJSON (or CSV) body answers 202 at once with a status URL in `Content-Location`;
/// `GET` on it answers 202 with `X-Progress` while the import runs, then 200 with the summary. With
/// `Prefer: wait=N` (RFC 7240), the status waits up to N seconds (at most 60) for the job to end.
///
/// The body is streamed to a file under the data directory (`imports/`), never held in memory; the
/// job is kept in the store and run by this node's ``ClaimImportService`` with the same importer as
/// `carnet import claims`: idempotent and resumable.
struct ClaimImportRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration
    let queue: ClaimImportQueue
    let logger: Logger

    /// The longest a status request waits for its job (`Prefer: wait`).
    static let maximumWait: Double = 60

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
        let id = UUID().lowercasedText
        let file = try await spool(request.body, as: "\(id).\(format.rawValue)")
        do {
            _ = try await service.queueImport(id: id, spooledAt: file, format: format, by: actor)
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        queue.submit(id)
        return Response(status: .accepted, headers: [.contentLocation: "\(configuration.baseURL)/fhir/$import-claims/\(id)"])
    }

    /// Streams the body to `imports/<name>` (0600 in a 0700 directory), within the import size limit.
    private func spool(_ body: RequestBody, as name: String) async throws -> URL {
        let directory = Self.spoolDirectory(configuration)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent(name)
        // A failure here surfaces as the FileHandle error on the next line.
        _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: file)
        var size = 0
        do {
            for try await buffer in body {
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
        return file
    }

    static func spoolDirectory(_ configuration: CarnetConfiguration) -> URL {
        configuration.dataDirectory.appendingPathComponent("imports").standardizedFileURL
    }

    @Sendable func status(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        guard let id = context.parameters.get("job") else { throw AccessError.notFound }
        // Only the actor who started the job follows it (kind and id, not the id alone): decided by the door.
        var job = try await service.importJob(id, by: actor)
        let deadline = ContinuousClock.now + .milliseconds(Int(Self.requestedWait(request) * 1_000))
        while !job.isFinished && ContinuousClock.now < deadline {
            // The job may run on another node: its state is read again from the store, not awaited in memory.
            try await Task.sleep(for: .milliseconds(50))
            job = try await service.importJob(id, by: actor)
        }
        switch job.state {
        case .queued, .running:
            return Response(status: .accepted, headers: [HTTPField.Name("X-Progress")!: "\(job.linesRead) lines read"])
        case .succeeded:
            return FHIRResponse.make(ImportReport(job))
        case .failed where job.failureIsClientError:
            return FHIRResponse.make(OperationOutcome(code: "invalid", diagnostics: "the feed was refused: \(job.failure ?? "")"),
                                     status: .unprocessableContent)
        case .failed:
            return FHIRResponse.make(OperationOutcome(code: "exception", diagnostics: "the import stopped: \(job.failure ?? ""); post the feed again to resume"),
                                     status: .internalServerError)
        }
    }

    /// The seconds of `Prefer: wait=N`, at most ``maximumWait``; 0 when not asked.
    static func requestedWait(_ request: Request) -> Double {
        for field in request.headers[values: .prefer] {
            for preference in field.split(separator: ",") {
                let parts = preference.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0].lowercased() == "wait", let seconds = Double(parts[1]), seconds.isFinite, seconds > 0 {
                    return min(seconds, maximumWait)
                }
            }
        }
        return 0
    }
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

    init(_ job: ImportJob) {
        parameter = [
            Parameter(name: "status", valueString: "completed"),
            Parameter(name: "lines", valueInteger: job.linesRead),
            Parameter(name: "imported", valueInteger: job.imported),
            Parameter(name: "duplicates", valueInteger: job.duplicates),
            Parameter(name: "rejected", valueInteger: job.rejected),
        ]
    }

    enum CodingKeys: String, CodingKey { case resourceType, parameter }
}
