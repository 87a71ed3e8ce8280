public import Foundation

/// An independent FHIR R4 validator (Python `fhir.resources` 6.4.0, whose models are R4 4.0.1, see `scripts/fhir-validator`), run as
/// one long-lived process that checks one resource per line.
///
/// `scripts/test` installs it in a virtual environment and sets `CARNET_FHIR_VALIDATOR` to its Python;
/// with `CARNET_REQUIRE_FHIR_VALIDATOR=1` (also set there) a missing validator fails the tests instead
/// of skipping the check, so CI always validates.
public actor FHIRValidator {
    public static let shared = FHIRValidator()

    private var process: Process?
    private var input: FileHandle?
    private var output: FileHandle?
    private var buffer = Data()

    /// Whether validation is configured for this run.
    public nonisolated var isEnabled: Bool { ProcessInfo.processInfo.environment["CARNET_FHIR_VALIDATOR"] != nil }

    public nonisolated var isRequired: Bool { ProcessInfo.processInfo.environment["CARNET_REQUIRE_FHIR_VALIDATOR"] == "1" }

    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String { "CARNET_REQUIRE_FHIR_VALIDATOR=1 but CARNET_FHIR_VALIDATOR is not set: run the suite with scripts/test" }
    }

    /// `nil` when `json` is a valid FHIR R4 resource, otherwise what is wrong. `nil` too when validation
    /// is not configured and not required.
    public func problem(in json: Data) throws -> String? {
        guard isEnabled else {
            if isRequired { throw NotConfigured() }
            return nil
        }
        let (input, output) = try start()
        // One line per resource: re-serialise compactly so that newlines inside strings stay escaped.
        let object = try JSONSerialization.jsonObject(with: json)
        var line = try JSONSerialization.data(withJSONObject: object)
        line.append(UInt8(ascii: "\n"))
        try input.write(contentsOf: line)
        let answer = readLine(from: output)
        return answer == "ok" ? nil : answer
    }

    private func start() throws -> (FileHandle, FileHandle) {
        if let input, let output, process?.isRunning == true { return (input, output) }
        guard let python = ProcessInfo.processInfo.environment["CARNET_FHIR_VALIDATOR"] else { throw NotConfigured() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/fhir-validator/validate.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        self.process = process
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        return (stdin.fileHandleForWriting, stdout.fileHandleForReading)
    }

    private func readLine(from handle: FileHandle) -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[buffer.index(after: newline)...])
                return line
            }
            // availableData returns as soon as some bytes arrive (read(upToCount:) would wait for them all).
            let chunk = handle.availableData
            guard !chunk.isEmpty else { return "invalid: the validator process ended" }
            buffer.append(chunk)
        }
    }
}
