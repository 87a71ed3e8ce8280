import CarnetCore
import CarnetFHIR
import Foundation
import HTTPTypes
import Hummingbird

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A document as a person reads it: text inline, a PDF or an image opened from Carnet itself, a CDA
/// through its sections rendered as HTML (level 3), the PDF it carries (level 1) or else its
/// human-readable text, anything else to download.
enum PortalDocumentView {
    static func render(_ entry: DocumentEntry, _ data: Data, contentURL: String, _ l: PortalLanguage) -> HTML {
        let type = entry.content.contentType.lowercased()
        let open: HTML = "<p><a href=\"\(contentURL)\">\(l.t("Ouvrir le fichier", "Open the file"))</a> (\(type), \(entry.content.size) \(l.t("octets", "bytes")))</p>"
        if type.hasPrefix("text/plain") {
            return "<pre class=\"document\">\(String(decoding: data, as: UTF8.self))</pre>\(open)"
        }
        if type.hasPrefix("application/pdf") {
            // Shown in the page by the browser's own viewer, from Carnet (the content route lets only
            // Carnet's pages frame it).
            return "<iframe class=\"document\" src=\"\(contentURL)\" title=\"\(entry.title ?? l.t("Document PDF", "PDF document"))\"></iframe>\(open)"
        }
        if type.hasPrefix("image/") {
            return "<p><img src=\"\(contentURL)\" alt=\"\(entry.title ?? l.t("Image du document", "Document image"))\"></p>\(open)"
        }
        if type.contains("xml"), CDANarrative.embeddedPDF(of: data) != nil {
            // CDA level 1: the PDF its nonXMLBody carries, shown as the PDF it is (decoded by Carnet).
            return "<p class=\"hint\">\(l.t("Document CDA contenant un PDF", "CDA document carrying a PDF"))</p>"
                + "<iframe class=\"document\" src=\"\(contentURL)?embedded=pdf\" title=\"\(entry.title ?? l.t("Document PDF", "PDF document"))\"></iframe>\(open)"
        }
        if type.contains("xml"), let sections = CDABodyHTML.render(data) {
            // CDA level 3: its sections as headings, paragraphs, lists and tables (escaped, narrative elements only).
            return "<p class=\"hint\">\(l.t("Document CDA structuré : ses sections", "Structured CDA document: its sections"))</p>"
                + "<div class=\"document cda\">\(sections)</div>\(open)"
        }
        if type.contains("xml"), let text = CDANarrative.text(of: data) {
            return "<p class=\"hint\">\(l.t("Partie lisible du document CDA", "Human-readable part of the CDA document"))</p><pre class=\"document\">\(text)</pre>\(open)"
        }
        return open
    }

    /// The raw bytes, inline, with a policy that runs nothing they might contain; with `embedded`
    /// (`?embedded=pdf`), the PDF a CDA level 1 document carries, decoded (404 when it carries none).
    static func contentResponse(_ entry: DocumentEntry, _ data: Data, embedded: String? = nil) -> Response {
        var contentType = entry.content.contentType
        var data = data
        if embedded == "pdf" {
            guard let pdf = CDANarrative.embeddedPDF(of: data) else { return Response(status: .notFound) }
            (contentType, data) = ("application/pdf", pdf)
        }
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-store",
                                   .contentDisposition: "inline"]
        // A PDF needs the browser's viewer, framed by Carnet's own document page and no other site;
        // anything else is shown sandboxed, scripts never run, and framed by no one.
        if contentType.lowercased().hasPrefix("application/pdf") {
            headers[.contentSecurityPolicy] = "frame-ancestors 'self'"
            headers[PortalMiddleware.frameOptions] = "SAMEORIGIN"
        } else {
            headers[.contentSecurityPolicy] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The text of a CDA R2 document's sections (`section/title` and `section/text`), without resolving
/// anything external: Carnet refused documents with a DTD when they arrived.
enum CDANarrative {
    /// The PDF a CDA level 1 document carries (`component/nonXMLBody/text`, `mediaType`
    /// application/pdf, `representation` B64), decoded; `nil` when it carries none, or not a PDF.
    static func embeddedPDF(of data: Data) -> Data? {
        guard ContentInspection.parsingRefusal(data) == nil else { return nil }
        let finder = EmbeddedFinder()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = finder
        guard parser.parse(), parser.parserError == nil, let text = finder.base64,
              let pdf = Data(base64Encoded: text.filter { !$0.isWhitespace }), pdf.starts(with: Array("%PDF-".utf8)) else { return nil }
        return pdf
    }

    /// Collects the base64 text of a `nonXMLBody` holding a PDF.
    private final class EmbeddedFinder: NSObject, XMLParserDelegate {
        var base64: String?
        private var inBody = false
        private var collecting = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "nonXMLBody" { inBody = true }
            if inBody, name == "text", attributes["mediaType"]?.lowercased() == "application/pdf",
               (attributes["representation"] ?? "TXT").uppercased() == "B64", base64 == nil {
                collecting = true
                base64 = ""
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { collecting = false }
            if name == "nonXMLBody" { inBody = false }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if collecting { base64? += string }
        }
    }

    static func text(of data: Data) -> String? {
        // Foundation's XML parser traps on names that are not valid UTF-8 (content was checked at
        // push time; this keeps the page safe whatever is stored).
        guard ContentInspection.parsingRefusal(data) == nil else { return nil }
        let collector = Collector()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        guard parser.parse(), parser.parserError == nil else { return nil }
        let text = collector.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var lines: [String] = []
        private var depth = 0
        private var current = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "title" || name == "text" { depth += 1 }
            if ["paragraph", "item", "tr", "br"].contains(name) { flush() }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title" || name == "text" {
                depth -= 1
                flush()
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if depth > 0 { current += string }
        }

        private func flush() {
            let line = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty { lines.append(line) }
            current = ""
        }
    }
}

/// The document types a patient meets most, for filters and labels (DOMAIN.md's table).
enum PortalDocumentTypes {
    static let common: [(String, String, String)] = [
        ("11488-4", "Compte rendu de consultation", "Consultation report"),
        ("11502-2", "Compte rendu d'examens biologiques", "Laboratory report"),
        ("18748-4", "Compte rendu d'imagerie", "Imaging report"),
        ("34112-3", "Compte rendu hospitalier", "Hospital stay report"),
        ("11490-0", "Lettre de liaison de sortie", "Discharge letter"),
        ("57833-6", "Prescription de médicaments", "Prescription"),
        ("60591-5", "Synthèse médicale", "Patient summary"),
        ("EXPPAT_3", "Directives anticipées", "Advance directives"),
    ]

    /// What the patient side adds: the DMP's types of documents added by the patient (TRE_A05
    /// `DOCPAT0x`, "… déposé(e) par le patient", and `EXPPAT_x`, class 90 "Autres documents déposés par
    /// le patient"; JDV_J07, shared/reference/dmp-domain.md), so that a patient's upload lands in their
    /// own section instead of under a professional type (issue 16.3).
    static let patient: [(String, String, String)] = [
        ("DOCPAT03", "Compte rendu", "Report"),
        ("DOCPAT05", "Résultats d'analyses", "Laboratory results"),
        ("DOCPAT04", "Imagerie", "Imaging"),
        ("DOCPAT02", "Traitement, ordonnance ou document de soins", "Treatment, prescription or care document"),
        ("DOCPAT06", "Prévention (dépistage, bilan)", "Prevention (screening, check-up)"),
        ("DOCPAT07", "Certificat", "Certificate"),
        ("DOCPAT01", "Synthèse", "Summary"),
        ("DOCPAT09", "Document administratif", "Administrative document"),
        ("EXPPAT_2", "Autre document", "Other document"),
        ("EXPPAT_3", "Directives anticipées", "Advance directives"),
    ]

    /// The code system of the patient's types (TRE_A05).
    static let patientTypeSystem = "urn:oid:1.2.250.1.213.1.1.4.12"

    /// The practice setting and facility type of what the patient adds (TRE_A00 `EXP_PATIENT`,
    /// "expression personnelle du patient").
    static let patientSetting = Code(system: "urn:oid:1.2.250.1.213.1.1.4.6", code: "EXP_PATIENT", display: "Expression personnelle du patient")

    static func label(_ code: String, _ l: PortalLanguage) -> String {
        (common.first { $0.0 == code } ?? patient.first { $0.0 == code }).map { l.t($0.1, $0.2) } ?? PortalDocumentTypeNames.french[code] ?? code
    }

    /// Whether the patient side added `entry` (their own section): by its setting, or its submitter.
    static func addedByPatientSide(_ entry: DocumentEntry, holderINS: String, reader: Actor) -> Bool {
        entry.practiceSetting?.code == patientSetting.code || entry.submitterID == holderINS || entry.submitterID == reader.identifier
    }
}
