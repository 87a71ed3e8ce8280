public import CarnetCore
public import CarnetStore
public import Foundation

/// Loads the national directory's public extract (``DirectoryExtract``) into the store, in batches.
///
/// Idempotent: a professional is keyed by RPPS, so a second run of the same file changes nothing and
/// a newer extract updates who changed. The extract lists a professional once per activity; the first
/// line read for an RPPS is kept, the following ones counted as further activities. A line that cannot
/// be read goes to `FILE.rejects` (`line N: reason<TAB>line`) and the load goes on; lines about
/// professionals without an RPPS (ADELI numbers) are counted and skipped.
public struct DirectoryImporter: Sendable {
    let store: any RecordStore
    let batchSize: Int

    public struct Progress: Sendable {
        public var lines: Int
        public var bytes: Int
        public var totalBytes: Int
        public var added: Int
        public var updated: Int
        public var rejected: Int
    }

    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var lines: Int
        public var added: Int
        public var updated: Int
        public var unchanged: Int
        /// Further activity lines of a professional already read in this file.
        public var otherActivities: Int
        /// Lines about professionals identified by an ADELI number, not an RPPS.
        public var withoutRPPS: Int
        public var rejected: Int
        public var rejectsFile: URL?

        public var description: String {
            var text = "\(lines) lines: \(added) professionals added, \(updated) updated, \(unchanged) unchanged, "
                + "\(otherActivities) further activities, \(withoutRPPS) without an RPPS, \(rejected) rejected"
            if let rejectsFile, rejected > 0 { text += "; rejected lines are listed in \(rejectsFile.path)" }
            return text
        }
    }

    public init(store: any RecordStore, batchSize: Int = 2_000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Loads `file`; `progress` is called after every batch. Rejected lines go to `FILE.rejects`.
    func run(file: URL, progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Summary {
        guard FileManager.default.isReadableFile(atPath: file.path) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file.path]) }
        let totalBytes = ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int) ?? 0
        let rejectsURL = file.appendingPathExtension("rejects")
        let rejects = try RejectsFile(url: rejectsURL, resumingAfter: nil)
        defer { rejects.close() }
        var summary = try await run(lines: LineReader(url: file), totalBytes: totalBytes, rejects: { try rejects.write($0) }, progress: progress)
        summary.rejectsFile = rejectsURL
        return summary
    }

    /// Loads an extract given whole (the demo's bundled sample); rejected lines are only counted.
    func run(text: String) async throws -> Summary {
        // "\r\n" is one Character in Swift: split on either ending.
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        return try await run(lines: AsyncLines(lines: lines), totalBytes: text.utf8.count, rejects: { _ in }, progress: { _ in })
    }

    private func run<Lines: AsyncSequence>(lines: Lines, totalBytes: Int, rejects: (String) throws -> Void,
                                           progress: @Sendable (Progress) -> Void) async throws -> Summary where Lines.Element == Substring {
        var summary = Summary(lines: 0, added: 0, updated: 0, unchanged: 0, otherActivities: 0, withoutRPPS: 0, rejected: 0, rejectsFile: nil)
        var extract: DirectoryExtract?
        var seen: Set<String> = []
        var batch: [DirectoryEntry] = []
        var bytes = 0
        func flush() async throws {
            try Task.checkCancellation()
            let count = try await store.upsertDirectoryEntries(batch)
            summary.added += count.added
            summary.updated += count.updated
            summary.unchanged += batch.count - count.added - count.updated
            batch.removeAll(keepingCapacity: true)
            progress(Progress(lines: summary.lines, bytes: bytes, totalBytes: totalBytes, added: summary.added, updated: summary.updated,
                              rejected: summary.rejected))
        }
        for try await line in lines {
            summary.lines += 1
            bytes += line.utf8.count + 1
            guard let reader = extract else {
                extract = try DirectoryExtract(header: line)
                continue
            }
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                guard let entry = try reader.entry(line) else {
                    summary.withoutRPPS += 1
                    continue
                }
                guard seen.insert(entry.rpps.value).inserted else {
                    summary.otherActivities += 1
                    continue
                }
                batch.append(entry)
            } catch {
                summary.rejected += 1
                try rejects("line \(summary.lines): \(error.description)\t\(line.prefix(2_000))\n")
            }
            if batch.count >= batchSize { try await flush() }
        }
        guard extract != nil else { throw DirectoryExtractError.empty }
        try await flush()
        return summary
    }
}

/// Lines already in memory, read as a file's lines are.
struct AsyncLines: AsyncSequence {
    typealias Element = Substring
    let lines: [Substring]

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<Substring>
        mutating func next() async throws -> Substring? { remaining.popFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: lines[...]) }
}
