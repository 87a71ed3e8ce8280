public import CarnetCore
public import CarnetStore
public import Foundation
import Logging

/// Imports the insurer's claims feed (NDJSON or CSV, ``ClaimFeed``) into the store, in batches.
///
/// Idempotent (claims are keyed by id: a second run adds nothing), resumable (each batch commits
/// with its checkpoint, so a rerun after a crash skips what is done), and forgiving: a malformed
/// line goes to `FILE.rejects` with its number and reason, and the import goes on.
public struct ClaimImporter: Sendable {
    let store: any RecordStore
    let keyChecking: INS.KeyChecking
    let batchSize: Int
    /// The service's clock, for the audit event's time.
    let clock: @Sendable () -> Date

    public enum Format: String, Sendable, CaseIterable {
        case ndjson, csv
    }

    public struct Progress: Sendable {
        public var lines: Int
        public var bytes: Int
        public var totalBytes: Int
        public var imported: Int
        public var duplicates: Int
        public var rejected: Int

        public init(lines: Int, bytes: Int, totalBytes: Int, imported: Int, duplicates: Int, rejected: Int) {
            self.lines = lines
            self.bytes = bytes
            self.totalBytes = totalBytes
            self.imported = imported
            self.duplicates = duplicates
            self.rejected = rejected
        }
    }

    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var lines: Int
        public var imported: Int
        public var duplicates: Int
        public var rejected: Int
        /// Lines skipped because an earlier run had done them.
        public var resumedAfter: Int
        public var rejectsFile: URL?

        public var description: String {
            var text = "\(lines) lines: \(imported) claims imported, \(duplicates) already present, \(rejected) rejected"
            if resumedAfter > 0 { text += " (resumed after line \(resumedAfter))" }
            if let rejectsFile, rejected > 0 { text += "; rejected lines are listed in \(rejectsFile.path)" }
            return text
        }
    }

    public init(store: any RecordStore, keyChecking: INS.KeyChecking = .strict, batchSize: Int = 2_000,
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.clock = clock
        self.store = store
        self.keyChecking = keyChecking
        self.batchSize = batchSize
    }

    /// Imports `file`; `progress` is called after every batch. The format is guessed from the
    /// extension (`.csv`; anything else is NDJSON) unless given.
    /// - Parameter rule: the rule that allowed the import, written in its audit event.
    public func run(file: URL, format: Format? = nil, by actor: Actor, rule: AccessRule? = nil,
                    progress: @Sendable (Progress) async -> Void = { _ in }) async throws -> Summary {
        let format = format ?? (file.pathExtension.lowercased() == "csv" ? .csv : .ndjson)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let totalBytes = (attributes[.size] as? Int) ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let source = "\(file.standardizedFileURL.path)|\(totalBytes)|\(Int(modified))"
        let previous = try await store.claimImportCheckpoint(source: source)
        let resumeAfter = previous?.linesDone ?? 0
        let rejectsURL = file.appendingPathExtension("rejects")
        let rejects = try RejectsFile(url: rejectsURL, resumingAfter: previous.map { _ in resumeAfter })
        defer { rejects.close() }

        var checkpoint = previous ?? ClaimImportCheckpoint(source: source, linesDone: 0, imported: 0, duplicates: 0, rejected: 0)
        var batch: [Claim] = []
        var header: (fields: [String], separator: Character)?
        var lineNumber = 0
        var bytes = 0
        func flush() async throws {
            // An interrupted import (Ctrl-C, a server shutting down) stops at a batch boundary, as a crash does.
            try Task.checkCancellation()
            let added = try await store.addClaims(batch, checkpoint: checkpoint)
            checkpoint.imported += added
            checkpoint.duplicates += batch.count - added
            batch.removeAll(keepingCapacity: true)
            await progress(Progress(lines: checkpoint.linesDone, bytes: bytes, totalBytes: totalBytes, imported: checkpoint.imported,
                              duplicates: checkpoint.duplicates, rejected: checkpoint.rejected))
        }
        for try await line in LineReader(url: file) {
            lineNumber += 1
            bytes += line.utf8.count + 1
            if format == .csv && lineNumber == 1 {
                header = try Self.csvHeader(line)
                if lineNumber > resumeAfter { checkpoint.linesDone = lineNumber }
                continue
            }
            guard lineNumber > resumeAfter else { continue }
            checkpoint.linesDone = lineNumber
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                let claim: Claim
                switch format {
                case .ndjson:
                    claim = try ClaimFeed.claim(ndjson: line, keyChecking: keyChecking)
                case .csv:
                    guard let header else { throw ClaimLineError.malformed("no header line") }
                    let values = try ClaimFeed.csvFields(line, separator: header.separator)
                    guard values.count == header.fields.count else {
                        throw ClaimLineError.malformed("\(values.count) fields where the header names \(header.fields.count)")
                    }
                    claim = try ClaimFeed.claim(Dictionary(zip(header.fields, values), uniquingKeysWith: { first, _ in first }),
                                                keyChecking: keyChecking)
                }
                batch.append(claim)
            } catch let error as ClaimLineError {
                checkpoint.rejected += 1
                try rejects.write("line \(lineNumber): \(error.description)\t\(line.prefix(2_000))\n")
            }
            if batch.count >= batchSize { try await flush() }
        }
        try await flush()
        let summary = Summary(lines: lineNumber, imported: checkpoint.imported, duplicates: checkpoint.duplicates, rejected: checkpoint.rejected,
                              resumedAfter: resumeAfter, rejectsFile: rejectsURL)
        try await store.appendAudit(AuditEvent(recordID: nil, recordedAt: clock(), actor: actor, action: .importCareHistory, outcome: .success,
                                               rule: rule, detail: "\(file.lastPathComponent): \(summary)"))
        return summary
    }

    static func csvHeader(_ line: Substring) throws -> (fields: [String], separator: Character) {
        let separator: Character = line.filter { $0 == ";" }.count > line.filter { $0 == "," }.count ? ";" : ","
        let fields = try ClaimFeed.csvFields(line, separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = ["claimId", "ins", "serviceDate", "code", "label"].filter { !fields.contains($0) }
        guard missing.isEmpty else { throw ClaimImportError.badHeader(missing) }
        return (fields, separator)
    }
}

public enum ClaimImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case badHeader([String])

    public var description: String {
        switch self {
        case .badHeader(let missing): "the CSV header lacks \(missing.joined(separator: ", ")) (expected: \(ClaimFeed.fields.joined(separator: ",")))"
        }
    }
}

/// The rejects file next to the feed: truncated by a fresh import, appended to by a resumed one.
///
/// A run writes a rejected line at once but commits its checkpoint only with the next batch, so an
/// interrupted run may have listed lines past its last checkpoint, which the resumed run reads and
/// rejects again: resuming first drops the entries past the checkpoint, so each line is listed once.
final class RejectsFile: @unchecked Sendable {
    private let handle: FileHandle

    /// - Parameter resumingAfter: the last line an earlier run committed, when this run resumes it.
    init(url: URL, resumingAfter: Int?) throws {
        let kept = try resumingAfter.map { last in try Self.entries(in: url, upTo: last) } ?? Data()
        FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: kept)
    }

    /// The entries (`line N: …`) of an existing rejects file for lines up to `last`.
    static func entries(in url: URL, upTo last: Int) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { return Data() }
        let text = try String(contentsOf: url, encoding: .utf8)
        let kept = text.split(separator: "\n").filter { entry in
            guard entry.hasPrefix("line "), let number = Int(entry.dropFirst(5).prefix { $0.isNumber }) else { return false }
            return number <= last
        }
        return Data(kept.map { $0 + "\n" }.joined().utf8)
    }

    func write(_ text: String) throws { try handle.write(contentsOf: Data(text.utf8)) }

    func close() { try? handle.close() }
}

/// Reads a file line by line in 1 MiB chunks, without loading it whole.
struct LineReader: AsyncSequence {
    typealias Element = Substring
    let url: URL

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        var buffer = Data()
        var lines: [Substring] = []
        var index = 0
        var finished = false

        mutating func next() async throws -> Substring? {
            while index >= lines.count {
                if finished { return nil }
                let chunk = try handle?.read(upToCount: 1 << 20) ?? Data()
                if chunk.isEmpty {
                    finished = true
                    try? handle?.close()
                    guard !buffer.isEmpty else { return nil }
                    lines = [Self.line(buffer[...])]
                    buffer.removeAll()
                } else {
                    buffer.append(chunk)
                    guard let lastNewline = buffer.lastIndex(of: UInt8(ascii: "\n")) else { continue }
                    // Split on bytes: in Swift "\r\n" is one Character, which a String split on "\n" would not cut.
                    lines = buffer[buffer.startIndex..<lastNewline].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                        .map(Self.line)
                    buffer = Data(buffer[buffer.index(after: lastNewline)...])
                }
                index = 0
            }
            defer { index += 1 }
            return lines[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: try? FileHandle(forReadingFrom: url))
    }
}

extension LineReader.AsyncIterator {
    /// One line's bytes as text, without a trailing carriage return.
    static func line(_ bytes: Data.SubSequence) -> Substring {
        Substring(String(decoding: bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes, as: UTF8.self))
    }
}
