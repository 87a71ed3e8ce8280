import CarnetCore
import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every portal page, in French and in English, over the demo data and through the real router,
/// compared with a golden file in `Snapshots/`: a change to a page shows up as a diff to review, so
/// moving code around cannot change what people see by accident. `CARNET_RECORD_SNAPSHOTS=1`
/// rewrites the files (then review `git diff`).
@Suite("Portal snapshots")
struct PortalSnapshotTests {
    typealias Jar = PortalRoutesTests.Jar

    @Test("every page reads as its golden file, in both languages", arguments: ["fr", "en"])
    func pages(_ language: String) async throws {
        try await withDemoCarnet { client, tokens, store, records in
            var snapshots = Snapshots(language: language)
            let jar = Jar()
            _ = try await jar.get(client, "/portal/language?to=\(language)&back=/portal")
            try await snapshots.check("portal", jar.get(client, "/portal"))
            try await snapshots.check("patient-sign-in", jar.get(client, "/portal/patient/sign-in"))
            try await snapshots.check("pro-sign-in", jar.get(client, "/portal/pro/sign-in"))

            // The first demo patient: five documents, a summary, care history, an authorised pharmacist.
            let first = records[0]
            try await PortalRoutesTests.signIn(client, store, jar, ins: first.ins, recordID: first.id)
            for (name, path) in [("patient-home", "/portal/patient"), ("patient-documents", "/portal/patient/documents"),
                                 ("patient-summary", "/portal/patient/summary"), ("patient-access", "/portal/patient/access"),
                                 ("patient-care-history", "/portal/patient/care-history"), ("patient-history", "/portal/patient/history"),
                                 ("patient-record", "/portal/patient/record")] {
                try await snapshots.check(name, jar.get(client, path))
            }
            let documents = try await jar.get(client, "/portal/patient/documents")
            for (index, id) in Self.documentIDs(in: documents.text, under: "/portal/patient/documents/").enumerated() {
                try await snapshots.check("patient-document-\(index + 1)", jar.get(client, "/portal/patient/documents/\(id)"))
            }

            // The second demo patient, legal representative of the third (a minor).
            let representative = Jar()
            _ = try await representative.get(client, "/portal/language?to=\(language)&back=/portal")
            try await PortalRoutesTests.signIn(client, store, representative, ins: records[1].ins, recordID: records[1].id)
            try await snapshots.check("representative-home", representative.get(client, "/portal/patient"))

            // The demo pharmacist, whom the first patient authorised.
            let pro = Jar()
            _ = try await pro.get(client, "/portal/language?to=\(language)&back=/portal")
            let signInPage = try await pro.get(client, "/portal/pro/sign-in")
            let pharmacist = try DemoData.professionals()[1].actor
            let bearer = String(try await tokens.bearer(pharmacist)[.authorization]?.dropFirst("Bearer ".count) ?? "")
            _ = try await pro.post(client, "/portal/pro/sign-in", ["_csrf": PortalRoutesTests.csrf(in: signInPage), "token": bearer])
            try await snapshots.check("pro-find", pro.get(client, "/portal/pro"))
            let find = try await pro.get(client, "/portal/pro")
            try await snapshots.check("pro-found", pro.post(client, "/portal/pro/find", ["_csrf": PortalRoutesTests.csrf(in: find), "ins": first.ins.value]))
            _ = try await pro.post(client, "/portal/pro/open", ["_csrf": PortalRoutesTests.csrf(in: find), "record": first.id.description, "kind": "authorised"])
            let opened = try await pro.get(client, "/portal/pro/patient")
            try await snapshots.check("pro-patient", opened)
            if let id = Self.documentIDs(in: opened.text, under: "/portal/pro/documents/").first {
                try await snapshots.check("pro-document", pro.get(client, "/portal/pro/documents/\(id)"))
            }
            #expect(snapshots.checked >= 20)
        }
    }

    /// The ids of the documents a page links to, in the order of their titles (documents seeded in the
    /// same instant have no other stable order).
    static func documentIDs(in page: String, under prefix: String) -> [String] {
        let pattern = try! Regex("href=\"\(NSRegularExpression.escapedPattern(for: prefix))([0-9a-f-]{36})\">([^<]*)<")
        var seen: [String: String] = [:]
        for match in page.matches(of: pattern) {
            let id = String(match.output[1].substring ?? "")
            if seen[id] == nil { seen[id] = String(match.output[2].substring ?? "") }
        }
        return seen.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
    }
}

/// Golden files of one language's pages, normalised so a page reads the same at every run.
struct Snapshots {
    let language: String
    private(set) var checked = 0
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Snapshots")
    static let recording = ProcessInfo.processInfo.environment["CARNET_RECORD_SNAPSHOTS"] == "1"

    init(language: String) { self.language = language }

    mutating func check(_ name: String, _ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        checked += 1
        let text = "status: \(response.status.code)\n" + Self.normalised(response.text)
        let file = Self.directory.appending(path: "\(name).\(language).html")
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            return
        }
        guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(file.lastPathComponent): run with CARNET_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        if golden != text {
            let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(goldenLines, lines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(goldenLines.count, lines.count)
            Issue.record("""
                \(file.lastPathComponent) differs at line \(first + 1):
                - \(first < goldenLines.count ? goldenLines[first] : "(end)")
                + \(first < lines.count ? lines[first] : "(end)")
                """, sourceLocation: sourceLocation)
        }
    }

    /// What changes from run to run, replaced by a placeholder: ids (numbered in order of appearance,
    /// so a page still shows which links point to the same thing), CSRF tokens, and today's dates and
    /// times (birth dates and other fixed dates stay).
    static func normalised(_ page: String) -> String {
        var text = page
        text.replace(/name="_csrf" value="[^"]*"/) { _ in "name=\"_csrf\" value=\"CSRF\"" }
        var ids: [Substring: Int] = [:]
        text.replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/) { match in
            let number = ids[match.output] ?? ids.count + 1
            ids[match.output] = number
            return "ID-\(number)"
        }
        let months = #"(?:janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"#
        text.replace(try! Regex(#"\b\d{1,2} "# + months + #" 20[2-9]\d\b"#)) { _ in "DATE" }
        text.replace(/\b20[2-9]\d-\d\d-\d\d(T[0-9:.]+Z?)?/) { _ in "DATE" }
        text.replace(/\b\d\d\/\d\d\/20[2-9]\d\b/) { _ in "DATE" }
        text.replace(/\b[0-2]?\d:[0-5]\d(:[0-5]\d)?\b/) { _ in "TIME" }
        // The care-history chart's month labels (the last twelve months, ending with this one).
        text.replace(/text-anchor="middle">\d\d<\/text>/) { _ in "text-anchor=\"middle\">MM</text>" }
        return text
    }
}
