import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Rows known to exist, for a read that finds nothing to read in place of what it did not find.
///
/// Why: a refusal that must look like absence (a hidden document, another person's INS) and a real
/// absence must take the same time (README, "Timing"). SQLite reads the next row by id on a miss;
/// on Citus that range read goes to every shard, so PostgreSQL reads by exact key (one shard) and,
/// on a miss, reads a real row from here with the same trips and decoding, throwing it away. The
/// pool holds ids only (no health data), sampled at start-up and refreshed by the hits themselves,
/// and a miss picks one at random so that no row is always the warm one.
final class MissDecoys: Sendable {
    private struct State {
        var records: [UUID] = []
        var documents: [(document: UUID, record: UUID)] = []
        var nextRecord = 0
        var nextDocument = 0
    }

    static let capacity = 64
    private let state = Mutex(State())

    /// A record that exists (the patient of a hit).
    func noteRecord(_ id: UUID) {
        state.withLock { state in
            if state.records.count < Self.capacity {
                state.records.append(id)
            } else {
                state.records[state.nextRecord] = id
                state.nextRecord = (state.nextRecord + 1) % Self.capacity
            }
        }
    }

    /// A document that exists, with its record.
    func noteDocument(_ id: UUID, record: UUID) {
        state.withLock { state in
            if state.documents.count < Self.capacity {
                state.documents.append((id, record))
            } else {
                state.documents[state.nextDocument] = (id, record)
                state.nextDocument = (state.nextDocument + 1) % Self.capacity
            }
        }
    }

    /// A record to read in place of a missing one: a random id when none is known yet (an empty store).
    func record() -> UUID {
        state.withLock { $0.records.randomElement() } ?? UUID()
    }

    /// A document and its record to read in place of a missing one.
    func document() -> (document: UUID, record: UUID) {
        state.withLock { $0.documents.randomElement() } ?? (UUID(), UUID())
    }
}

extension PostgresStore {
    /// A first sample of rows that exist, so that misses read real rows from the first request on. On
    /// Citus these two reads go to every shard, once, at start-up; a failure only leaves the pool to the hits.
    func sampleDecoys() async {
        do {
            try await client.withConnection { [self] connection in
                for try await id in try await connection.query("SELECT id FROM records LIMIT \(MissDecoys.capacity)", logger: logger)
                    .decode(UUID.self) {
                    decoys.noteRecord(id)
                }
                for try await (document, record) in try await connection.query(
                    "SELECT document_id, record_id FROM document_locator LIMIT \(MissDecoys.capacity)", logger: logger
                ).decode((UUID, UUID).self) {
                    decoys.noteDocument(document, record: record)
                }
            }
        } catch {
            logger.debug("no sample of rows for misses to read", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
    }
}
