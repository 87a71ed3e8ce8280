public import CarnetService
import CarnetCore
public import Foundation

/// The demo's directory of professionals: a small extract in the RPPS *Annuaire Santé* format
/// (`Demo/Resources/annuaire-sante-synthetique.txt`), so that the demo's professionals have names,
/// professions and towns, and the patient can find them by name.
///
/// - Important: every line is synthetic — invented names and RPPS numbers (the `997…` test range),
///   invented practices; no real professional is in it.
public enum DemoDirectory {
    /// The bundled sample file (also read by the tests and usable with `carnet import directory`).
    public static var sampleURL: URL? {
        Bundle.module.url(forResource: "annuaire-sante-synthetique", withExtension: "txt")
    }

    /// Loads the sample through the one door, as the operator's import would (idempotent).
    @discardableResult
    public static func load(_ service: RecordService) async throws -> DirectoryImporter.Summary? {
        guard let url = sampleURL else { return nil }
        let text = try String(contentsOf: url, encoding: .utf8)
        return try await service.importDirectory(text: text, source: "demo directory (synthetic)", by: Actor(role: .insurer(id: "demo-feed")))
    }
}
