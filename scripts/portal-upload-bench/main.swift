import CarnetPortal
import Foundation
import NIOCore

// The portal upload's parsing timed (scripts/bench-portal-upload, issue 19): the hand-written parser of
// cc13b59 (body collected, then parsed), the multipart-kit reader of 5d6523d, and PortalMultipartReader
// as it is now, on the same bodies cut in the same chunks. Not a test: nothing here is asserted on time.

/// A body as it streams in, one chunk at a time.
struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [ByteBuffer]
    struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let chunks: [ByteBuffer]
        mutating func next() async throws -> ByteBuffer? {
            guard index < chunks.count else { return nil }
            defer { index += 1 }
            return chunks[index]
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: chunks) }
}

let boundary = "----carnet-test-boundary"
func body(file: [UInt8]) -> [UInt8] {
    var text = ""
    for (name, value) in [("_csrf", "0123456789abcdef0123456789abcdef"), ("type", "DOCPAT03"), ("title", "Compte rendu"), ("date", "2026-10-01")] {
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
    }
    text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    return Array(text.utf8) + file + Array("\r\n--\(boundary)--\r\n".utf8)
}
struct Seeded: RandomNumberGenerator { var state: UInt64; mutating func next() -> UInt64 { state &+= 0x9E3779B97F4A7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; return z ^ (z >> 31) } }
func binary(_ count: Int) -> [UInt8] { var seeded = Seeded(state: 19); return (0..<count).map { _ in UInt8.random(in: 0...255, using: &seeded) } }
func text(_ count: Int) -> [UInt8] { Array(String(repeating: "Texte synthétique. ", count: count / 20 + 1).utf8.prefix(count)) }

func chunked(_ bytes: [UInt8], _ size: Int) -> [ByteBuffer] {
    stride(from: 0, to: bytes.count, by: size).map { ByteBuffer(bytes: bytes[$0..<min($0 + size, bytes.count)]) }
}

let fileLimit = 32 * 1024 * 1024
/// The old way: the body collected as it streams in (as Hummingbird's `collect(upTo:)` does), then parsed.
func old(_ chunks: [ByteBuffer]) async throws -> Int {
    var collected = ByteBuffer()
    for try await var chunk in Chunks(chunks: chunks) { collected.writeBuffer(&chunk) }
    let parsed = OldPortalMultipart.parse(Data(collected.readableBytesView), boundary: boundary)!
    let form = PortalForm(fields: parsed.fields, files: parsed.files.mapValues { PortalMultipart.File(filename: $0.filename, contentType: $0.contentType, data: $0.data) })
    return form.files["file"]?.data.count ?? 0
}
func new(_ chunks: [ByteBuffer]) async throws -> Int {
    let form = try await PortalMultipartReader.read(Chunks(chunks: chunks), boundary: boundary, fileLimit: fileLimit)
    return form.files["file"]!.data.count
}

/// CPU time of the process (the machine is shared: wall time counts the other builds), in ms.
func cpuMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
}

func measure(_ repeats: Int, _ work: () async throws -> Int) async rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<7 {
        let start = cpuMilliseconds()
        for _ in 0..<repeats { _ = try await work() }
        times.append((cpuMilliseconds() - start) / Double(repeats))
    }
    return times.min()!  // fastest of 7 rounds, CPU ms per body
}

/// The streamed reader gives the same form as the old parser, whatever the chunks: every cut of a
/// small body, and random cuts of larger ones (binary, text, CRLFs and near-delimiters in the data).
func verify() async throws {
    var random = Seeded(state: 7)
    let tricky = Array("\r\n--\(boundary)".utf8.dropLast()) + [13, 13, 10, 13, 10, 45, 45] + Array("\r\n--".utf8) + [13]
    let files: [[UInt8]] = [[], [13], [13, 10], tricky, tricky + binary(3000) + tricky, text(5000), binary(200_000)]
    var checked = 0
    for file in files {
        let whole = body(file: file)
        let expected = try await old([ByteBuffer(bytes: whole)])
        let expectedForm = OldPortalMultipart.parse(Data(whole), boundary: boundary)!
        var cuts: [[Int]] = []
        if whole.count < 4000 { cuts += (1..<whole.count).map { [$0] } }
        for size in [1, 2, 3, 7, 31, 64, 1000] where whole.count / size < 300_000 { cuts.append(Array(stride(from: size, to: whole.count, by: size))) }
        for _ in 0..<200 { cuts.append((0..<Int.random(in: 1...20, using: &random)).map { _ in Int.random(in: 1..<whole.count, using: &random) }.sorted()) }
        for cut in cuts {
            var chunks: [ByteBuffer] = []
            var start = 0
            for end in cut + [whole.count] where end > start { chunks.append(ByteBuffer(bytes: whole[start..<end])); start = end }
            let form = try await PortalMultipartReader.read(Chunks(chunks: chunks), boundary: boundary, fileLimit: fileLimit)
            precondition(form.fields == expectedForm.fields, "fields differ, cut \(cut)")
            precondition(form.files["file"]?.data == expectedForm.files["file"]?.data, "file differs, size \(file.count), cut \(cut.prefix(5))")
            precondition(expected == (form.files["file"]?.data.count ?? 0) || file.isEmpty)
            checked += 1
        }
    }
    print("verified: \(checked) chunkings give the old parser's form")
}

/// The streamed reader and the one before it (multipart-kit alone) agree on damaged bodies too: the
/// same form, or the same error, whatever the chunks.
func differential() async throws {
    var random = Seeded(state: 11)
    enum Outcome: Equatable { case form([String: String], [String: Data]), error(String) }
    func outcome(_ work: () async throws -> PortalForm) async -> Outcome {
        do { let form = try await work(); return .form(form.fields, form.files.mapValues(\.data)) } catch { return .error("\(error)") }
    }
    var counts: [String: Int] = [:]
    let pieces: [[UInt8]] = [Array("\r\n--\(boundary)".utf8), Array("\r\n--\(boundary)--".utf8), [13], [10], [13, 10], [13, 10, 13, 10], Array("--".utf8),
                             Array("Content-Disposition: form-data; name=\"x\"".utf8), Array("--\(boundary)\r\n".utf8), [0, 255]]
    for round in 0..<20_000 {
        var bytes = body(file: round % 2 == 0 ? binary(Int.random(in: 0...600, using: &random)) : text(Int.random(in: 0...600, using: &random)))
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let at = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes.insert(contentsOf: pieces.randomElement(using: &random)!, at: at)
            case 1: if at < bytes.count { bytes[at] = UInt8.random(in: 0...127, using: &random) }
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &random)))
            default: bytes = Array(bytes.prefix(at))
            }
        }
        var chunks: [ByteBuffer] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...200, using: &random))
            chunks.append(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        let limit = [40, 300, fileLimit].randomElement(using: &random)!
        let before = await outcome { try await BeforeReader.read(Chunks(chunks: chunks), boundary: boundary, fileLimit: limit) }
        let now = await outcome { try await PortalMultipartReader.read(Chunks(chunks: chunks), boundary: boundary, fileLimit: limit) }
        precondition(before == now, "round \(round): \(before) vs \(now)")
        switch now { case .form: counts["form", default: 0] += 1; case .error(let e): counts[e, default: 0] += 1 }
    }
    // A byte over 127 in a header's name: the parser alone traps; the reader refuses the form.
    var named = body(file: text(10))
    named.insert(0xC3, at: named.firstIndex(of: UInt8(ascii: "C"))!)
    do { _ = try await PortalMultipartReader.read(Chunks(chunks: [ByteBuffer(bytes: named)]), boundary: boundary, fileLimit: fileLimit); fatalError("read") }
    catch { precondition("\(error)" == "malformedForm") }
    print("differential: 20000 damaged bodies, same outcome as before: \(counts)")
}

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "verify" { try await verify(); try await differential(); exit(0) }
// [chunk size] [old|new: time only one; all] [30|1|20: one size only]
let chunkSize = arguments.first.flatMap(Int.init) ?? 65_536
let only = arguments.dropFirst().first
print("chunk \(chunkSize) bytes; CPU ms per body, fastest of 7 rounds")
let sizeFilter = arguments.dropFirst(2).first
for (label, size, repeats) in [("30 KB", 30_000, 2_000), ("1 MB", 1_000_000, 100), ("20 MB", 20_000_000, 6)] where sizeFilter == nil || label.hasPrefix(sizeFilter!) {
    for (kind, file) in [("text", text(size)), ("binary", binary(size))] {
        let chunks = chunked(body(file: file), chunkSize)
        let collected = try await old(chunks)
        precondition(collected == size)
        let landed = try await new(chunks)
        precondition(landed == size)
        let o: Double = only == "new" ? .nan : try await measure(repeats) { try await old(chunks) }
        let b: Double = only == "new" || only == "old" ? .nan : try await measure(repeats) {
            try await BeforeReader.read(Chunks(chunks: chunks), boundary: boundary, fileLimit: fileLimit).files["file"]?.data.count ?? 0
        }
        let n: Double = only == "old" ? .nan : try await measure(repeats) { try await new(chunks) }
        print(String(format: "%-6@ %-6@ hand-written %8.3f  multipart-kit alone %8.3f  with the scan %8.3f  scan/hand-written %.2f",
                     label as NSString, kind as NSString, o, b, n, n / o))
    }
}
