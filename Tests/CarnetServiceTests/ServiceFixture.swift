import CarnetCore
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation

/// A service over a fresh store of `engine` and a content store in a temporary directory (handed over
/// too, for tests that look at the files), its clock pinned to `testInstant`.
func withService(_ engine: TestEngine, _ body: (RecordService, any RecordStore, URL) async throws -> Void) async throws {
    try await engine.withStore { store async throws in
        try await TemporaryDirectory.with { directory async throws in
            let blobs = try FileBlobStore(directory: directory, keyring: try DataKeyring.loadOrCreate(in: directory))
            try await body(RecordService(store: store, blobs: blobs, matrix: try HabilitationMatrix.bundled(), clock: { testInstant }), store, directory)
        }
    }
}
