public import Foundation

/// A real SMTP server on loopback (Python `aiosmtpd`, `scripts/smtp-sink.py`, from the test virtual
/// environment) that writes each message it accepts to a directory.
public final class SMTPSink: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private let process: Process
    private let input: FileHandle

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String { "the SMTP sink needs CARNET_FHIR_VALIDATOR (the test venv's python, with aiosmtpd): run scripts/test" }
    }

    /// Whether the sink can run in this test run (the test virtual environment is configured).
    public static var isAvailable: Bool { ProcessInfo.processInfo.environment["CARNET_FHIR_VALIDATOR"] != nil }

    /// Starts a sink that answers the first `failFirst` messages with a temporary failure.
    public init(failFirst: Int = 0) throws {
        guard let python = ProcessInfo.processInfo.environment["CARNET_FHIR_VALIDATOR"] else { throw Unavailable() }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("carnet-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/smtp-sink.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, directory.path, String(failFirst)]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        input = stdin.fileHandleForWriting
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let line = String(decoding: seen, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("listening on "), let port = Int(line.dropFirst("listening on ".count)) else { throw Unavailable() }
        self.port = port
    }

    /// The messages accepted so far, as raw text.
    public func messages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .map { String(decoding: try Data(contentsOf: $0), as: UTF8.self) }
    }

    public func stop() {
        try? input.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
