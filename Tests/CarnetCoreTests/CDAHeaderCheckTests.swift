import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// Issue 18, "CDA understood": a CDA's header against the metadata pushed with it.
@Suite("CDA header check")
struct CDAHeaderCheckTests {
    static func header(ins: String = INS.fixture().value, type: String = "11488-4") -> CDAHeader {
        var header = CDAHeader()
        header.patientIDs = [CDAHeader.InstanceID(root: "1.2.3.4.5", extension: "IPP-42"), CDAHeader.InstanceID(root: "1.2.250.1.213.1.4.8", extension: ins)]
        header.typeCode = type
        header.typeCodeSystem = "2.16.840.1.113883.6.1"
        header.title = "Compte rendu (synthétique)"
        header.effectiveTime = Date(timeIntervalSince1970: 1_780_000_000)
        header.languageCode = "fr-FR"
        header.authors = [CDAHeader.Author(id: CDAHeader.InstanceID(root: "1.2.250.1.71.4.2.1", extension: "899700000011"), name: "Dr Alice LEMOINE")]
        return header
    }

    static func draft(type: String = "11488-4", header: CDAHeader?) -> DocumentDraft {
        var draft = DocumentDraft(uniqueID: nil, type: Code(system: "http://loinc.org", code: type), contentType: "text/xml")
        draft.cdaHeader = header
        return draft
    }

    @Test("another patient's INS is refused naming both, or only the document's when the record was named by id")
    func otherPatient() {
        let other = INS.fixture(2).value
        #expect(throws: CDAHeaderMismatch.patient(inDocument: other, targeted: INS.fixture().value)) {
            try CDAHeaderCheck.checked(Self.draft(header: Self.header(ins: other)), recordINS: .fixture(), insNamedBySubmitter: true)
        }
        #expect(throws: CDAHeaderMismatch.patient(inDocument: other, targeted: nil)) {
            try CDAHeaderCheck.checked(Self.draft(header: Self.header(ins: other)), recordINS: .fixture(), insNamedBySubmitter: false)
        }
        let refusal = CDAHeaderMismatch.patient(inDocument: other, targeted: nil).description
        #expect(refusal.contains(other) && !refusal.contains(INS.fixture().value))
    }

    @Test("a type other than the document's code is refused; the two codes of the patient summary are one")
    func type() throws {
        #expect(throws: CDAHeaderMismatch.type(inDocument: "11502-2", declared: "11488-4")) {
            try CDAHeaderCheck.checked(Self.draft(header: Self.header(type: "11502-2")), recordINS: .fixture(), insNamedBySubmitter: true)
        }
        _ = try CDAHeaderCheck.checked(Self.draft(type: "SYNTH", header: Self.header(type: "60591-5")), recordINS: .fixture(), insNamedBySubmitter: true)
    }

    @Test("what the metadata left out is filled from the header; what they say is kept")
    func fills() throws {
        let filled = try CDAHeaderCheck.checked(Self.draft(header: Self.header()), recordINS: .fixture(), insNamedBySubmitter: true)
        #expect(filled.date == Date(timeIntervalSince1970: 1_780_000_000) && filled.title == "Compte rendu (synthétique)" && filled.language == "fr-FR")
        #expect(filled.authors == [DocumentAuthor(identifierSystem: "urn:oid:1.2.250.1.71.4.2.1", identifierValue: "899700000011", display: "Dr Alice LEMOINE")])
        var told = Self.draft(header: Self.header())
        told.title = "Titre donné"
        told.date = Date(timeIntervalSince1970: 0)
        let kept = try CDAHeaderCheck.checked(told, recordINS: .fixture(), insNamedBySubmitter: true)
        #expect(kept.title == "Titre donné" && kept.date == Date(timeIntervalSince1970: 0))
    }

    @Test("a CDA without an INS, or a draft without a header, passes unchanged")
    func nothingToCheck() throws {
        var header = Self.header()
        header.patientIDs = [CDAHeader.InstanceID(root: "1.2.3.4.5", extension: "IPP-42")]
        _ = try CDAHeaderCheck.checked(Self.draft(header: header), recordINS: .fixture(), insNamedBySubmitter: true)
        let plain = Self.draft(header: nil)
        #expect(try CDAHeaderCheck.checked(plain, recordINS: .fixture(), insNamedBySubmitter: true) == plain)
    }
}

extension CDAHeaderCheckTests {
    @Test("a type of another code system is not compared: a patient files a LOINC report under the patient-side types")
    func otherSystem() throws {
        var draft = Self.draft(header: Self.header(type: "11502-2"))
        draft.type = Code(system: "urn:oid:1.2.250.1.213.1.1.4.12", code: "DOCPAT05")
        _ = try CDAHeaderCheck.checked(draft, recordINS: .fixture(), insNamedBySubmitter: false)
        draft.type = Code(system: "urn:oid:2.16.840.1.113883.6.1", code: "11488-4")
        #expect(throws: CDAHeaderMismatch.type(inDocument: "11502-2", declared: "11488-4")) {
            try CDAHeaderCheck.checked(draft, recordINS: .fixture(), insNamedBySubmitter: false)
        }
    }
}
