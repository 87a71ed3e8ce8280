import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import Testing

/// The stored form of document entries is written and read by hand; it must stay byte for byte the
/// form `Codable` writes, so rows written before (or by either path) read back equal.
struct DocumentEntryStoredFormTests {
    static var entries: [DocumentEntry] {
        let record = RecordID()
        let sparse = DocumentEntry(recordID: record, uniqueID: "1.2.250.1.999.1.1", type: Code(system: nil, code: "11488-4"),
                                   submitterID: "99700000011", date: Date(timeIntervalSince1970: 0), recordedAt: Date(timeIntervalSince1970: 1),
                                   content: DocumentContent(contentType: "text/plain", language: nil, size: 0, sha256: "00", sha1Base64: "AA==",
                                                            keyID: "k"))
        var full = DocumentEntry.fixture(in: record)
        full.replaces = DocumentID()
        full.status = .archived
        full.comment = #"quote " backslash \ slash / tab"# + "\t newline" + "\n\u{1} é 😀"
        full.title = "Compte rendu d'hospitalisation / synthétique"
        full.authors.append(DocumentAuthor(reference: "#author-1"))
        full.authors.append(DocumentAuthor(identifierSystem: "urn:oid:1.2.250.1.71.4.2.1", identifierValue: "899700000011", display: "Alice TEST",
                                           role: Code(system: "urn:oid:1.2.250.1.213.1.1.4.6", code: "10", display: "Médecin"),
                                           specialty: Code(system: "urn:oid:1.2.250.1.213.1.1.4.5", code: "G15_10/SM54")))
        full.date = Date(timeIntervalSince1970: 1_780_000_000.123)
        full.servicePeriod = DatePeriod(start: Date(timeIntervalSince1970: 1_779_000_000.5), end: nil)
        full.facilityType = Code(system: "urn:oid:1.2.250.1.213.1.1.4.9", code: "SA01", display: "Établissement public de santé")
        full.practiceSetting = Code(system: "urn:oid:1.2.250.1.213.1.1.4.10", code: "ETABLISSEMENT")
        full.events = [Code(system: "http://snomed.info/sct", code: "1"), Code(system: nil, code: "2", display: "deux")]
        full.format = Code(system: "urn:oid:1.2.250.1.213.1.1.4.2.282", code: "urn:ihe:iti:xds-sd:pdf:2008")
        full.visibility = DocumentVisibility(maskedToProfessionals: true, invisibleToLegalRepresentatives: true, maskedToThirdParties: true,
                                             confidentiality: .veryRestricted)
        full.otherLabels = [Code(system: "http://example.org/labels", code: "X")]
        full.content.title = "résumé.pdf"
        full.keptElements = ##"{"authenticator":{"reference":"#a"},"contained":[{"id":"a","resourceType":"Practitioner"}],"creation":"2026-01-02"}"##
        full.relations = [DocumentRelation(code: .appends, target: DocumentID()), DocumentRelation(code: .signs, target: DocumentID())]
        full.beginNextVersion(at: Date(timeIntervalSince1970: 1_790_000_000.999))
        return [sparse, full, DocumentEntry.fixture(in: record)]
    }

    @Test func writesTheBytesCodableWrites() throws {
        for entry in Self.entries {
            #expect(entry.storedJSON() == (try StoredForms.encodeJSON(entry)))
        }
    }

    @Test func readsWhatCodableWroteAndWhatItWrites() throws {
        for entry in Self.entries {
            #expect(try DocumentEntry(storedJSON: try StoredForms.encodeJSON(entry)) == entry)
            #expect(try DocumentEntry(storedJSON: entry.storedJSON()) == entry)
            #expect(try StoredForms.documentEntry(from: entry.storedJSON()) == entry)
        }
    }

    @Test func aDamagedRowIsReportedAsCorrupt() throws {
        let json = Self.entries[0].storedJSON()
        for damaged in [String(json.dropLast()), json.replacingOccurrences(of: #""submitterID""#, with: #""submitter""#),
                        json.replacingOccurrences(of: #""status":"current""#, with: #""status":"lost""#), "[]", ""] {
            #expect(throws: StoreError.self) { try StoredForms.documentEntry(from: damaged) }
        }
    }
}

/// An audit event's resources are stored as a JSON list written by hand; same form as `Codable`'s.
struct StringListStoredFormTests {
    @Test func writesAndReadsTheFormCodableUses() throws {
        for strings in [[], ["DocumentReference/1", "Binary/2"], [#"quote " \ /"#, "é😀\n"]] {
            #expect(StoredForms.stringsJSON(strings) == (try StoredForms.encodeJSON(strings)))
            #expect(try StoredForms.strings(fromJSON: StoredForms.stringsJSON(strings)) == strings)
        }
        #expect(throws: StoreError.self) { try StoredForms.strings(fromJSON: #"["a", 1]"#) }
    }
}

/// Access controls and identities are read by hand from what `Codable` wrote.
struct ControlsAndIdentityStoredFormTests {
    @Test func accessControlsReadBackEqual() throws {
        var full = AccessControls(authorisations: ["99700000011": Authorisation(basis: .consultation, since: testInstant),
                                                   "99700000021": Authorisation(basis: .careTeam, since: testInstant.addingTimeInterval(0.5))],
                                  blocked: ["99700000031": testInstant], careTeamOpposed: ["99700000021"],
                                  treatingPhysician: TreatingPhysician(rpps: "99700000011", since: testInstant),
                                  breakTheGlassAllowed: false, regulationAllowed: false, documentsHiddenFromProfessionals: true,
                                  legalRepresentatives: ["295109912611193", "195109912611195"], version: 7)
        full.feedingOpposed = true
        full.notifyNewDocuments = false
        for controls in [AccessControls(), full] {
            #expect(try StoredForms.accessControls(from: try StoredForms.encodeJSON(controls)) == controls)
        }
        #expect(throws: StoreError.self) { try StoredForms.accessControls(from: #"{"version":1}"#) }
        #expect(throws: StoreError.self) {
            try StoredForms.accessControls(from: try StoredForms.encodeJSON(full).replacingOccurrences(of: "care-team", with: "friend"))
        }
    }

    @Test func identitiesReadBackEqual() throws {
        let identities = [PatientIdentity.fixture(),
                          PatientIdentity(birthFamilyName: "D'ARC \"Jeanne\"", givenNames: ["Jeanne", "Marie"], birthDate: try PartialDate("1990-02"),
                                          sex: .other, birthplaceCode: "99100", email: "patient@example.test")]
        for identity in identities {
            #expect(try StoredForms.identity(from: try StoredForms.encodeJSON(identity)) == identity)
        }
        #expect(throws: StoreError.self) {
            try StoredForms.identity(from: try StoredForms.encodeJSON(identities[0]).replacingOccurrences(of: "1", with: "x"))
        }
    }
}
