public import CarnetCore
public import Foundation
import FoundationXML

/// Reads a CDA R2 document's header (``CDAHeader``) safely, for the checks and fills of issue 18.
///
/// Safe by construction: the bytes are refused before any parse when they carry a document type
/// declaration, an entity declaration, another encoding than UTF-8 or a NUL (the same test as the
/// content inspection's), no entity is ever resolved, nesting stops at
/// ``ContentInspection``'s depth limit, every text kept is cut at ``maximumText`` characters, at most
/// ``maximumRepeats`` ids or authors are kept, and the parse stops at the body (`ClinicalDocument/component`):
/// only the header is ever read, whatever the document's size (itself bounded by the content limit).
public enum CDAHeaderReader {
    /// Longest text kept from one element or attribute: a title, a name, a code.
    public static let maximumText = 512
    /// Most patient ids, authors or replaced documents kept.
    public static let maximumRepeats = 16
    /// Deepest nesting read (CI-SIS headers are a dozen levels deep).
    public static let maximumDepth = 64

    /// Whether a media type (lower-cased, without parameters) is one a CDA document is sent as.
    public static func isXML(_ mediaType: String) -> Bool {
        ["text/xml", "application/xml", "application/hl7-v3+xml"].contains(mediaType)
    }

    /// The header of `data` when `mediaType` is XML and it is a CDA R2 `ClinicalDocument`; `nil` otherwise
    /// (not XML, not CDA, or refused before parsing).
    public static func header(of data: Data, mediaType: String) -> CDAHeader? {
        guard isXML(DocumentDraft.mediaType(of: mediaType)) else { return nil }
        return header(of: data)
    }

    /// The header of a CDA R2 document, or `nil` when `data` is not one (or is refused before parsing).
    public static func header(of data: Data) -> CDAHeader? {
        guard ContentInspection.parsingRefusal(data) == nil else { return nil }
        let reader = Reader()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        let parsed = parser.parse() && parser.parserError == nil
        guard reader.isCDA, !reader.refused, parsed || reader.reachedBody else { return nil }
        return reader.header
    }

    /// An HL7 v3 `TS` (`YYYYMMDD[HHMM[SS[.fff]]][+-ZZZZ]`) as an instant; without a zone, Paris time (CI-SIS dates are French).
    public static func date(_ text: String) -> Date? {
        let value = text.trimmingCharacters(in: .whitespaces)
        let digits = String(value.prefix { $0.isASCII && $0.isNumber })
        var rest = value.dropFirst(digits.count)
        if rest.hasPrefix(".") {
            rest = rest.dropFirst().drop { $0.isASCII && $0.isNumber }
        }
        guard [8, 10, 12, 14].contains(digits.count) else { return nil }
        var zone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        if let sign = rest.first, sign == "+" || sign == "-" {
            let offset = rest.dropFirst()
            guard offset.count == 4, offset.allSatisfy({ $0.isASCII && $0.isNumber }), let hours = Int(offset.prefix(2)),
                  let minutes = Int(offset.suffix(2)), hours < 24, minutes < 60 else { return nil }
            let seconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
            guard let fixed = TimeZone(secondsFromGMT: seconds) else { return nil }
            zone = fixed
        } else if !rest.isEmpty {
            return nil
        }
        let characters = Array(digits)
        func number(_ offset: Int, _ length: Int) -> Int {
            offset + length <= characters.count ? Int(String(characters[offset..<(offset + length)])) ?? -1 : 0
        }
        let (year, month, day) = (number(0, 4), number(4, 2), number(6, 2))
        let (hour, minute, second) = (number(8, 2), number(10, 2), number(12, 2))
        guard year > 0, (1...12).contains(month), (1...31).contains(day), (0..<24).contains(hour), (0..<60).contains(minute),
              (0..<61).contains(second) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// Walks the header's elements by their path under `ClinicalDocument`, keeping what ``CDAHeader`` holds.
    private final class Reader: NSObject, XMLParserDelegate {
        static let namespace = "urn:hl7-org:v3"
        var header = CDAHeader()
        var isCDA = false
        var reachedBody = false
        var refused = false
        /// Local names from the root's children down; a foreign element is `#`, so no path of ours matches under it.
        private var path: [String] = []
        private var depth = 0
        private var text: String?
        private var given: [String] = []
        private var family: [String] = []
        private var inRPLC = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            depth += 1
            guard depth <= CDAHeaderReader.maximumDepth else {
                refused = true
                parser.abortParsing()
                return
            }
            let local = namespaceURI == Self.namespace ? elementName : "#"
            if depth == 1 {
                isCDA = local == "ClinicalDocument"
                if !isCDA { parser.abortParsing() }
                return
            }
            path.append(local)
            if path == ["component"] {
                // The body starts: everything the header says has been read.
                reachedBody = true
                parser.abortParsing()
                return
            }
            func attribute(_ key: String) -> String? { attributes[key].map { String($0.prefix(CDAHeaderReader.maximumText)) } }
            func instance() -> CDAHeader.InstanceID? {
                attribute("root").map { CDAHeader.InstanceID(root: $0, extension: attribute("extension")) }
            }
            switch path {
            case ["id"]: header.id = instance()
            case ["code"]:
                header.typeCode = attribute("code")
                header.typeCodeSystem = attribute("codeSystem")
                header.typeDisplay = attribute("displayName")
            case ["title"]: text = ""
            case ["effectiveTime"]: header.effectiveTime = attribute("value").flatMap(CDAHeaderReader.date)
            case ["confidentialityCode"]: header.confidentiality = attribute("code")
            case ["languageCode"]: header.languageCode = attribute("code")
            case ["setId"]: header.setID = instance()
            case ["versionNumber"]: header.versionNumber = attribute("value").flatMap { Int($0) }
            case ["recordTarget", "patientRole", "id"]:
                if let id = instance(), header.patientIDs.count < CDAHeaderReader.maximumRepeats { header.patientIDs.append(id) }
            case ["author", "assignedAuthor"]:
                if header.authors.count < CDAHeaderReader.maximumRepeats { header.authors.append(CDAHeader.Author(id: nil, name: nil)) }
            case ["author", "assignedAuthor", "id"]:
                if let id = instance(), let last = header.authors.indices.last, header.authors[last].id == nil { header.authors[last].id = id }
            case ["author", "assignedAuthor", "assignedPerson", "name"]: (given, family) = ([], [])
            case ["author", "assignedAuthor", "assignedPerson", "name", "given"], ["author", "assignedAuthor", "assignedPerson", "name", "family"]:
                text = ""
            case ["relatedDocument"]: inRPLC = attribute("typeCode") == "RPLC"
            case ["relatedDocument", "parentDocument", "id"]:
                if inRPLC, let id = instance(), header.replacedDocumentIDs.count < CDAHeaderReader.maximumRepeats { header.replacedDocumentIDs.append(id) }
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            defer {
                depth -= 1
                if !path.isEmpty, depth >= 1 { path.removeLast() }
            }
            let kept = text.map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(CDAHeaderReader.maximumText)) }
            switch path {
            case ["title"]:
                header.title = kept.flatMap { $0.isEmpty ? nil : $0 }
            case ["author", "assignedAuthor", "assignedPerson", "name", "given"]:
                if let kept, !kept.isEmpty { given.append(kept) }
            case ["author", "assignedAuthor", "assignedPerson", "name", "family"]:
                if let kept, !kept.isEmpty { family.append(kept) }
            case ["author", "assignedAuthor", "assignedPerson", "name"]:
                // Given names then family name, as a page names a person; a civility prefix ("M", "MME") is left out.
                let name = (given + family).joined(separator: " ")
                if let last = header.authors.indices.last, header.authors[last].name == nil, !name.isEmpty {
                    header.authors[last].name = String(name.prefix(CDAHeaderReader.maximumText))
                }
            case ["relatedDocument"]: inRPLC = false
            default: break
            }
            text = nil
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let current = text, current.count < CDAHeaderReader.maximumText else { return }
            text = current + string
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refused = true
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            refused = true
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
            refused = true
            return nil
        }
    }
}
