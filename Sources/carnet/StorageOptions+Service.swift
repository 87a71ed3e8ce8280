import CarnetCore
import CarnetServer
import CarnetService
import CarnetStore
import Foundation
import Logging

extension StorageOptions {
    /// Opens the store these options name and the door over it, runs `body` (a command's bulk act,
    /// decided and audited by the service like the same act over HTTP), and closes the store whatever
    /// happens. Logs only warnings: the command prints its own progress and summary.
    func withService<T>(logLabel: String, _ body: (RecordService) async throws -> T) async throws -> T {
        var logger = Logger(label: logLabel)
        logger.logLevel = .warning
        let configuration = configuration
        let store = try await StoreOpening.open(configuration, logger: logger)
        do {
            let service = RecordService(store: store, blobs: try StoreOpening.openBlobs(configuration, store: store),
                                        matrix: try HabilitationMatrix.bundled(), logger: logger)
            let result = try await body(service)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
