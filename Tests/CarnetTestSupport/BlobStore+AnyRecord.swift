public import CarnetCore
public import CarnetStore
public import Foundation

/// Content-store tests that are about content, not records, store and read under one fixed record.
extension BlobStore {
    public func put(_ content: Data) async throws -> StoredBlob {
        try await put(content, in: .contentTests)
    }

    public func get(_ reference: BlobReference) async throws -> Data {
        try await get(reference, in: .contentTests)
    }
}

extension RecordID {
    /// The record content-store tests file their content under.
    public static let contentTests = RecordID(UUID(uuidString: "00000000-0000-4000-8000-00000000c0de")!)
}
