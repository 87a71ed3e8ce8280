import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// `carnet serve --demo` seeds through the service, so the demo shows what the rules allow — and can
/// be seeded again at each start without adding anything twice.
@Suite("Demo data")
struct DemoDataTests {
    @Test("seeding twice gives one set of demo data, with a summary the pharmacist reads as the matrix allows")
    func seedTwice() async throws {
        try await TestEngine.sqlite.withStore { store async throws in
            try await TemporaryDirectory.with { directory async throws in
                let blobs = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
                let service = RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled())
                let records = try await DemoData.seed(service)
                #expect(try await DemoData.seed(service).map(\.id) == records.map(\.id))
                let first = records[0]
                let holder = Actor.patient(first.ins)
                let summary = try await service.patientSummary(of: first.id, by: holder)
                #expect(summary.items.map(\.kind.rawValue).sorted() == ["allergy-intolerance", "condition", "medication-statement", "observation",
                                                                        "organ-donation", "related-person"])
                let pharmacist = try DemoData.professionals()[1].actor
                #expect(try await service.patientSummary(of: first.id, by: pharmacist).items.count == 6, "authorised, and the interim matrix grants all")
                let documents = try await service.searchDocuments(of: .record(first.id), DocumentQuery(), by: holder)
                #expect(documents.total == 5, "six submissions, one of them the consultation report again, folded (issue 18)")
                #expect(documents.page.filter { $0.foldedDuplicates?.count == 1 }.count == 1)
            }
        }
    }
}
