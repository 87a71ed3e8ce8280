import CarnetCore
import CarnetStore
import CarnetTestSupport
import Testing

/// The directory of professionals on every engine: upserts counted the same, lookups by RPPS, and
/// the prefix search on folded last and first names (issue 16).
@Suite("Directory store conformance")
struct DirectoryStoreConformanceTests {
    static func entry(_ rpps: String, _ last: String, _ first: String, town: String = "LYON") throws -> DirectoryEntry {
        DirectoryEntry(rpps: try RPPS(rpps), civility: "Docteur", lastName: last, firstName: first, professionCode: "10",
                       professionLabel: "Médecin", town: town)
    }

    @Test("added, unchanged, updated; looked up by RPPS; found by a prefix of a last or first name", arguments: TestEngine.available)
    func upsertAndFind(_ engine: TestEngine) async throws {
        try await engine.withStore { store async throws in
            let lemoine = try Self.entry("99700000011", "LEMOINE", "Alice")
            let lefevre = try Self.entry("99700000031", "LEFÈVRE-DUBOIS", "Hélène")
            let nguyen = try Self.entry("99700000032", "NGUYEN", "Léa")
            #expect(try await store.upsertDirectoryEntries([lemoine, lefevre, nguyen]) == DirectoryUpsertCount(added: 3, updated: 0))
            #expect(try await store.upsertDirectoryEntries([lemoine, lefevre, nguyen]) == DirectoryUpsertCount(added: 0, updated: 0))
            var moved = lemoine
            moved.town = "VILLEURBANNE"
            #expect(try await store.upsertDirectoryEntries([moved, nguyen]) == DirectoryUpsertCount(added: 0, updated: 1))

            let found = try await store.directoryEntries(rpps: [lemoine.rpps, try RPPS("99700000099")])
            #expect(found == [moved], "an unknown RPPS is simply absent")
            #expect(try await store.directoryEntries(rpps: []).isEmpty)

            #expect(try await store.directoryEntries(namePrefix: "le", limit: 10).map(\.lastName) == ["LEFÈVRE-DUBOIS", "LEMOINE", "NGUYEN"],
                    "last names LE…, and Léa by her first name, ordered by last name")
            #expect(try await store.directoryEntries(namePrefix: "lefevre d", limit: 10) == [lefevre], "accents and hyphens folded")
            #expect(try await store.directoryEntries(namePrefix: "le", limit: 1).count == 1)
            #expect(try await store.directoryEntries(namePrefix: "zz", limit: 10).isEmpty)
        }
    }
}
