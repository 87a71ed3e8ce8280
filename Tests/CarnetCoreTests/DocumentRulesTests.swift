import CarnetCore
import Testing

/// Document lifecycle and security labels (DOMAIN.md, What it contains; The DMP's own transactions).
@Suite("Document rules")
struct DocumentRulesTests {
    static let allowed: [DocumentStatus: [DocumentTransition: DocumentStatus]] = [
        .current: [.replace: .superseded, .archive: .archived, .delete: .deleted, .enterInError: .enteredInError],
        .archived: [.unarchive: .current, .delete: .deleted],
        .superseded: [.delete: .deleted],
        .deleted: [:],
        .enteredInError: [:],
    ]

    @Test("every status × transition gives the documented status or an error",
          arguments: DocumentStatus.allCases, DocumentTransition.allCases)
    func lifecycle(_ status: DocumentStatus, _ transition: DocumentTransition) throws {
        if let expected = Self.allowed[status]?[transition] {
            #expect(try status.applying(transition) == expected)
        } else {
            #expect(throws: DocumentError.illegalTransition(from: status, transition: transition)) { try status.applying(transition) }
        }
    }

    @Test("only current documents are listed by default; superseded and archived stay readable by id")
    func listing() {
        #expect(DocumentStatus.allCases.filter(\.isListedByDefault) == [.current])
        #expect(Set(DocumentStatus.allCases.filter(\.isReadable)) == [.current, .superseded, .archived])
        #expect(DocumentStatus.archived.fhirStatus == "current" && DocumentStatus.superseded.fhirStatus == "superseded")
    }

    @Test("TRE_A07 labels set the visibility flags, in either spelling and system form")
    func labels() throws {
        let system = DocumentVisibility.system
        let visibility = try DocumentVisibility(labels: [
            (system, "MASQUE_PS"), ("urn:oid:1.2.250.1.213.1.1.4.13", "INVISIBLE_REP_LEGAUX"), (Confidentiality.system, "R"),
            ("http://example.org/local", "WHATEVER"),
        ])
        #expect(visibility.maskedToProfessionals && visibility.invisibleToLegalRepresentatives)
        #expect(!visibility.invisibleToPatient && visibility.confidentiality == .restricted)
        let written = visibility.labels.map(\.code)
        #expect(written == ["MASQUE_PS", "INVISIBLE_REPRESENTANTS_LEGAUX", "R"])
        #expect(try DocumentVisibility(labels: visibility.labels.map { ($0.system, $0.code) }) == visibility)
    }

    @Test("the most restrictive confidentiality wins")
    func confidentiality() throws {
        let visibility = try DocumentVisibility(labels: [(Confidentiality.system, "V"), (Confidentiality.system, "N")])
        #expect(visibility.confidentiality == .veryRestricted)
        #expect(Confidentiality.normal < .restricted && Confidentiality.restricted < .veryRestricted)
    }

    @Test("masked to professionals and invisible to the patient together are refused unless the server allows it")
    func maskedAndInvisible() throws {
        let labels: [(system: String?, code: String)] = [(DocumentVisibility.system, "MASQUE_PS"), (DocumentVisibility.system, "INVISIBLE_PATIENT")]
        #expect(throws: DocumentLabelError.maskedAndInvisible) { try DocumentVisibility(labels: labels) }
        let allowed = try DocumentVisibility(labels: labels, allowMaskedAndInvisible: true)
        #expect(allowed.maskedToProfessionals && allowed.invisibleToPatient)
    }

    @Test("unknown codes in the DMP or confidentiality systems are refused with the allowed list", arguments: [
        (DocumentVisibility.system, "MASQUE", DocumentLabelError.unknownVisibilityCode("MASQUE")),
        (Confidentiality.system, "U", DocumentLabelError.unknownConfidentiality("U")),
    ])
    func unknownCodes(_ system: String, _ code: String, _ error: DocumentLabelError) {
        #expect(throws: error) { try DocumentVisibility(labels: [(system, code)]) }
    }
}
