import CarnetStore
public import Foundation

/// A PDF's text for the full-text index, read by `pdftotext` (Debian's poppler-utils, a maintained
/// PDF library) in a process of its own: a PDF parser's bugs and memory stay out of the server, and
/// the extraction is bounded in time and in output. No tool, a scanned PDF (images, no text), a
/// damaged file, a timeout: the answer is `nil` and the document is found by its metadata only —
/// never an error for the push (issue 18).
public struct PDFTextExtractor: Sendable {
    /// The `pdftotext` executable; `nil` turns extraction off.
    public var executable: URL?
    /// The extraction is stopped (SIGKILL) after this long.
    public var timeout: TimeInterval
    /// Text read at most; the rest of a long PDF is not indexed.
    public var maximumOutputBytes: Int
    /// Pages read at most.
    public var maximumPages: Int

    public init(executable: URL? = PDFTextExtractor.defaultExecutable(), timeout: TimeInterval = 10,
                maximumOutputBytes: Int = 2 * 1024 * 1024, maximumPages: Int = 200) {
        self.executable = executable
        self.timeout = timeout
        self.maximumOutputBytes = maximumOutputBytes
        self.maximumPages = maximumPages
    }

    /// `pdftotext` on the `PATH` (or Debian's place for it), if installed.
    public static func defaultExecutable() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("pdftotext")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// The text of `pdf`, or `nil` (see the type's doc). Runs on a thread of its own: waiting for a
    /// process must not hold one of the concurrency pool's few threads.
    public func text(of pdf: Data) async -> String? {
        guard let executable, pdf.starts(with: Array("%PDF-".utf8)) else { return nil }
        let settings = self
        return try? await offBlockingPool { settings.run(executable, pdf) }
    }

    private func run(_ executable: URL, _ pdf: Data) -> String? {
        // The PDF goes through a private temporary file: pdftotext seeks in its input, and a pipe would
        // need a writer thread racing the reader.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("carnet-pdftext-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])) != nil else { return nil }
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pdf")
        guard FileManager.default.createFile(atPath: input.path, contents: pdf, attributes: [.posixPermissions: 0o600]) else { return nil }

        guard let child = try? SpawnedProcess.start(executable.path, arguments: ["-q", "-enc", "UTF-8", "-l", String(maximumPages), input.path, "-"])
        else { return nil }
        let timer = DispatchWorkItem { child.kill() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        // Read up to the bound, then stop the process rather than read a runaway output.
        let collected = child.readOutput(upTo: maximumOutputBytes)
        if collected.count >= maximumOutputBytes { child.kill() }
        let status = child.wait()
        timer.cancel()
        guard collected.count >= maximumOutputBytes || status == 0 else { return nil }
        let text = String(decoding: collected.prefix(maximumOutputBytes), as: UTF8.self)
        return text.contains(where: { $0.isLetter || $0.isNumber }) ? text : nil
    }
}
