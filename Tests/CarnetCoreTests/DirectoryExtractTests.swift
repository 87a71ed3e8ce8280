import CarnetCore
import Testing

/// The RPPS extract is read by header name (issue 16): column order, extra columns and missing optional
/// ones change nothing; lines without an RPPS are skipped, bad ones said why.
@Suite("Directory extract (RPPS Annuaire Santé)")
struct DirectoryExtractTests {
    static let header = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Libellé civilité d'exercice|Nom d'exercice|Prénom d'exercice|"
        + "Code profession|Libellé profession|Libellé savoir-faire|Code postal (coord. structure)|Libellé commune (coord. structure)|"

    @Test("a line of the published layout gives the professional, named as a person would")
    func readsALine() throws {
        let extract = try DirectoryExtract(header: Substring(Self.header))
        let entry = try #require(try extract.entry("8|99700000031|899700000031|Docteur|LEFÈVRE-DUBOIS|Hélène|10|Médecin|Cardiologie|38000|GRENOBLE|"))
        #expect(entry.rpps.value == "99700000031")
        #expect(entry.displayName == "Dr Hélène LEFÈVRE-DUBOIS")
        #expect(entry.practice == "Médecin (cardiologie) — Grenoble")
        #expect(entry.matches(query: "lefevre hel") && entry.matches(query: "DUBOIS") && !entry.matches(query: "martin"))
    }

    @Test("columns are found by name: another order and unknown columns read the same")
    func byName() throws {
        let header = "Libellé commune (coord. structure)|Colonne inconnue|Prénom d'exercice|Nom d'exercice|Code profession|Identification nationale PP|"
        let extract = try DirectoryExtract(header: Substring(header))
        let entry = try #require(try extract.entry("SAINT-ÉTIENNE|x|Thomas|NGUYEN|10|899700000032|"))
        #expect(entry.rpps.value == "99700000032" && entry.town == "SAINT-ÉTIENNE" && entry.practice == "Médecin — Saint-Étienne")
    }

    @Test("an ADELI line is skipped; a bad RPPS, a missing name or too few fields is rejected with its reason")
    func rejects() throws {
        let extract = try DirectoryExtract(header: Substring(Self.header))
        #expect(try extract.entry("0|699999999|0699999999||BLANC|Lucie|91|Orthophoniste||69001|LYON|") == nil)
        #expect(throws: DirectoryLineError.self) { try extract.entry("8|1234|81234||X|Y|10|||||") }
        #expect(throws: DirectoryLineError.self) { try extract.entry("8|99700000031|899700000031|||Y|10|||||") }
        #expect(throws: DirectoryLineError.self) { try extract.entry("8|99700000031") }
        #expect(throws: DirectoryLineError.self) { try extract.entry("8|99700000031|899700000031||X|Y|médecin|||||") }
    }

    @Test("a header without the names or an identifier is refused, naming what it lacks")
    func badHeader() {
        #expect(throws: DirectoryExtractError.badHeader(missing: ["Identifiant PP or Identification nationale PP"])) {
            try DirectoryExtract(header: "Nom d'exercice|Prénom d'exercice|Code profession")
        }
        #expect(throws: DirectoryExtractError.self) { try DirectoryExtract(header: "claimId;ins;serviceDate") }
    }
}
