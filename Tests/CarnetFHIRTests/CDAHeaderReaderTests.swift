import CarnetCore
import CarnetFHIR
import Foundation
import Testing

/// Issue 18, "CDA understood": the header of a CDA R2 (CI-SIS) document, read without ever resolving
/// an entity, and only the header.
///
/// The documents here are synthetic, written for these tests in the shape of ANS's CI-SIS examples.
/// The official examples (github `ansforge/TestContenuCDA-3-0`, `ExemplesCDA/`, commit 7cd489b3, 87
/// files, fetched in the session of issue 18 and not kept in the repository) were checked by a
/// throwaway test running ``CDAHeaderReader``, the content inspection and the portal's renderers over
/// every one of them (2026-12-05):
/// - 84 are CDA R2 documents the content inspection accepts; the other 3 ("auto-présentables") wrap the
///   document in an XSL stylesheet, are refused by the inspection (root not `ClinicalDocument`) and
///   yield no header and no rendering;
/// - of the 84, every header gave the patient's INS (test OID `.10`), the type (75 LOINC, 9 TRE_A05:
///   `REMB`, `CERT_DECL`, `SYNTH`), `effectiveTime`, `confidentialityCode` (all `N`), `setId` and
///   `versionNumber`, and a first author id under the RPPS root (80 with a person's name; the other 4
///   authored by an organisation or a device); 9 carry a `relatedDocument RPLC` parent id;
/// - 80 are level 3 and render as sections (501 top-level headings, 719 tables, lists, emphasis; the
///   output holds no link, image, script or style attribute); the other 4 are level 1 with a
///   `nonXMLBody` PDF (61–327 KB), decoded as a PDF.
/// No failure, no crash, nothing left unread.
@Suite("CDA header reader")
struct CDAHeaderReaderTests {
    /// A synthetic CI-SIS-shaped header (a test INS, a made-up RPPS), with `body` as its component.
    static func cda(ins: String = "285077505612343", code: String = "11502-2", body: String = "<structuredBody/>") -> Data {
        Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <?xml-stylesheet type="text/xsl" href="CDA.xsl"?>
        <!-- synthetic: nothing real -->
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:lab="urn:oid:1.3.6.1.4.1.19376.1.3.2">
          <realmCode code="FR"/>
          <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
          <id root="1.2.250.1.999.18.1" extension="v2"/>
          <code code="\(code)" displayName="CR d'examens biologiques" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC"/>
          <title>Compte rendu d'examens biologiques (synthétique)</title>
          <effectiveTime value="20260312093000+0100"/>
          <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
          <languageCode code="fr-FR"/>
          <setId root="1.2.250.1.999.18"/>
          <versionNumber value="2"/>
          <recordTarget><patientRole>
            <id extension="\(ins)" root="1.2.250.1.213.1.4.10"/>
            <id extension="IPP-0001" root="1.2.3.4.567.8.9.10"/>
            <patient><name><family>SYNTHETIQUE</family></name></patient>
          </patientRole></recordTarget>
          <author><time value="20260312093000+0100"/><assignedAuthor>
            <id root="1.2.250.1.71.4.2.1" extension="899700000011"/>
            <assignedPerson><name><prefix>Dr</prefix><given>Alice</given><family>LEMOINE</family></name></assignedPerson>
            <lab:extra>ignored</lab:extra>
          </assignedAuthor></author>
          <relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.18.1" extension="v1"/></parentDocument></relatedDocument>
          <relatedDocument typeCode="APND"><parentDocument><id root="1.2.250.1.999.17"/></parentDocument></relatedDocument>
          <component>\(body)</component>
        </ClinicalDocument>
        """.utf8)
    }

    @Test("every header field the checks and fills read")
    func header() throws {
        let header = try #require(CDAHeaderReader.header(of: Self.cda(), mediaType: "application/xml; charset=utf-8"))
        #expect(header.id == CDAHeader.InstanceID(root: "1.2.250.1.999.18.1", extension: "v2"))
        #expect(header.type == Code(system: "http://loinc.org", code: "11502-2", display: "CR d'examens biologiques"))
        #expect(header.title == "Compte rendu d'examens biologiques (synthétique)")
        #expect(header.effectiveTime == Date(timeIntervalSince1970: 1_773_304_200), "2026-03-12T09:30:00+01:00")
        #expect(header.confidentiality == "N" && header.languageCode == "fr-FR")
        #expect(header.setID?.description == "1.2.250.1.999.18" && header.versionNumber == 2)
        #expect(header.insValues == ["285077505612343"], "only the ids with an INS root")
        #expect(header.authors == [CDAHeader.Author(id: CDAHeader.InstanceID(root: "1.2.250.1.71.4.2.1", extension: "899700000011"), name: "Alice LEMOINE")], "given names then family, no civility")
        #expect(header.replacedDocumentIDs == [CDAHeader.InstanceID(root: "1.2.250.1.999.18.1", extension: "v1")], "RPLC only, not APND")
    }

    @Test("only the header is read: a body that is not even well-formed is never reached")
    func stopsAtTheBody() {
        let broken = Self.cda(body: "<structuredBody><section><text><unclosed></text></section></structuredBody>")
        #expect(CDAHeaderReader.header(of: broken)?.typeCode == "11502-2")
    }

    @Test("no header is read from what a parser must never see, nor from what is not CDA", arguments: [
        #"<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>"#,
        #"<?xml version="1.0" encoding="UTF-16"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>"#,
        #"<ClinicalDocument><code code="11502-2"/></ClinicalDocument>"#,
        #"<html xmlns="urn:hl7-org:v3"><code code="11502-2"/></html>"#,
        "%PDF-1.7",
    ])
    func refused(_ text: String) {
        #expect(CDAHeaderReader.header(of: Data(text.utf8)) == nil)
        #expect(CDAHeaderReader.header(of: Data(text.utf8), mediaType: "text/plain") == nil)
    }

    @Test("absurd nesting in the header stops the reader", arguments: [CDAHeaderReader.maximumDepth + 1])
    func deep(_ depth: Int) {
        let xml = #"<ClinicalDocument xmlns="urn:hl7-org:v3">"# + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</ClinicalDocument>"
        #expect(CDAHeaderReader.header(of: Data(xml.utf8)) == nil)
    }

    @Test("texts are bounded", arguments: [CDAHeaderReader.maximumText])
    func bounded(_ limit: Int) throws {
        let long = String(repeating: "é", count: limit * 4)
        let xml = #"<ClinicalDocument xmlns="urn:hl7-org:v3"><title>"# + long + "</title></ClinicalDocument>"
        #expect(try #require(CDAHeaderReader.header(of: Data(xml.utf8))).title?.count == limit)
    }

    @Test("HL7 v3 timestamps at every precision, with or without a zone (Paris when none)", arguments: [
        ("20260312", "2026-03-11T23:00:00Z"), ("202603120930", "2026-03-12T08:30:00Z"), ("20260312093015.250+0000", "2026-03-12T09:30:15Z"),
        ("20260712093000-0500", "2026-07-12T14:30:00Z"),
    ])
    func timestamps(_ value: String, _ expected: String) throws {
        let date = try #require(CDAHeaderReader.date(value))
        #expect(date == ISO8601DateFormatter().date(from: expected))
    }

    @Test("impossible timestamps are no date", arguments: ["2026", "20261301", "20260230", "20260312093000+2500", "20260312x", ""])
    func badTimestamps(_ value: String) {
        #expect(CDAHeaderReader.date(value) == nil)
    }
}
