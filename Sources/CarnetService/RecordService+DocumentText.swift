public import CarnetCore
public import Foundation

/// The words a document is found by (issue 18): computed once, when it is stored, from its metadata
/// and its content, and kept in the engine's full-text index beside the entry.
extension RecordService {
    /// The index text of a new entry: metadata and content words reduced by ``FrenchText``; a PDF's
    /// text read by ``PDFTextExtractor`` (nothing when it has none, as a scanned PDF).
    func searchText(of entry: DocumentEntry, content: Data) async -> String {
        let type = entry.content.contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let contentText: String?
        if type == "application/pdf" {
            contentText = await pdfText.text(of: content)
        } else {
            contentText = DocumentSearchText.contentText(content, mediaType: type)
        }
        return DocumentSearchText.indexText(of: entry, contentText: contentText)
    }
}
