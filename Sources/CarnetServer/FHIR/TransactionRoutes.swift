import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import Hummingbird

/// `POST /fhir` with a transaction Bundle: IHE MHD ITI-65 (DMP TD2, TD2.1). All or nothing.
struct TransactionRoutes {
    let service: RecordService
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.post("", use: submit)
    }

    @Sendable func submit(_ request: Request, context: CarnetRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let data = try await FHIRRequestBody.collect(request, limit: configuration.maxBodySize)
        let bundle = try FHIRJSON.decode(TransactionBundle.self, from: data, resourceName: "Bundle")
        if let count = bundle.entry?.count, count > configuration.maxBundleEntries {
            throw FHIRInputError("the Bundle has \(count) entries, more than the \(configuration.maxBundleEntries) this server accepts in one transaction: split it",
                                 at: "Bundle.entry", code: "too-costly")
        }
        let submission = try bundle.submission(keyChecking: configuration.insKeyChecking, now: service.now(), maxContentSize: configuration.maxContentSize)
        let publication = try await service.publish(
            submission.documents.map { RecordService.Submission(draft: $0.draft, content: $0.content) },
            as: submission.submissionSet, for: submission.subject.serviceSubject, by: actor)
        let entries = publication.entries
        // A submission sent again whole (a retry) is answered with what it stored the first time.
        let created = publication.wasAlreadyStored ? "200 OK" : "201 Created"
        let fhirBase = "\(configuration.baseURL)/fhir"
        let responses = submission.outcomes.map { outcome -> TransactionResponseBundle.Entry in
            switch outcome {
            case .document(let index):
                .init(response: .init(status: created, location: "\(fhirBase)/DocumentReference/\(entries[index].id)/_history/\(entries[index].metadataVersion)"))
            case .content(let index):
                .init(response: .init(status: created, location: "\(fhirBase)/Binary/\(entries[index].id)"))
            case .submissionSet:
                .init(response: .init(status: created, location: publication.submissionSet.map { "\(fhirBase)/List/\($0.id)" }))
            case .supersession(let index):
                .init(response: .init(status: "200 OK", location: entries[index].replaces.map { "\(fhirBase)/DocumentReference/\($0)" }))
            }
        }
        return FHIRResponse.make(TransactionResponseBundle(entry: responses))
    }
}
