import CarnetService
import CarnetTestSupport
import Foundation
import Testing

/// A PDF's text for the index (issue 18): read by pdftotext when it is installed; anything else — no
/// tool, no text (a scanned page), not a PDF, a runaway — is simply no text, never an error.
@Suite("PDF text extraction")
struct PDFTextExtractorTests {
    @Test("a PDF's text is read; a page without text, bytes that are no PDF, or no tool give nothing")
    func extraction() async throws {
        let extractor = PDFTextExtractor()
        if extractor.executable != nil {
            let text = await extractor.text(of: TestPDF.make("Coloscopie sans polype"))
            #expect(text?.contains("Coloscopie sans polype") == true)
            #expect(await extractor.text(of: TestPDF.make(nil)) == nil, "a scanned page has no text")
            #expect(await extractor.text(of: Data("%PDF-1.4 garbage".utf8)) == nil, "a damaged PDF")
        }
        #expect(await extractor.text(of: Data("not a pdf".utf8)) == nil)
        let none = PDFTextExtractor(executable: nil)
        #expect(await none.text(of: TestPDF.make("Coloscopie")) == nil)
        let missing = PDFTextExtractor(executable: URL(fileURLWithPath: "/nonexistent/pdftotext"))
        #expect(await missing.text(of: TestPDF.make("Coloscopie")) == nil)
    }

    @Test("the output is bounded and a slow tool is stopped")
    func bounds() async throws {
        guard PDFTextExtractor.defaultExecutable() != nil else { return }
        let small = PDFTextExtractor(maximumOutputBytes: 5)
        let text = try #require(await small.text(of: TestPDF.make("Coloscopie sans polype")))
        #expect(text.utf8.count <= 5)
        // A script that never finishes stands for a runaway tool: it is killed after the timeout, and nothing is returned.
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("carnet-slow-\(UUID().uuidString).sh")
        try "#!/bin/sh\nexec sleep 30\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        defer { try? FileManager.default.removeItem(at: script) }
        let slow = PDFTextExtractor(executable: script, timeout: 0.5)
        let started = Date()
        #expect(await slow.text(of: TestPDF.make("x")) == nil)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
