import CarnetCore
@testable import CarnetServer
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Issue 17, stateless nodes: two Carnet nodes with their own data directories, one PostgreSQL
/// database and one shared key directory behave as one service. Skipped without PostgreSQL.
@Suite("Two nodes, one database")
struct TwoNodeTests {
    @Test("content pushed through one node reads back byte-identical through the other; a patient signed in on one continues on the other")
    func twoNodes() async throws {
        guard TestEngine.available.contains(.postgres) else { return }
        try await TestEngine.postgres.withDatabaseURL { databaseURL async throws in
            try await TemporaryDirectory.with { root async throws in
                let logger = {
                    var logger = Logger(label: "carnet.tests")
                    logger.logLevel = .warning
                    return logger
                }()
                /// Runs `body` against one node: its own data directory, the shared database and keys.
                @Sendable func withNode(_ name: String, _ body: @escaping @Sendable (any TestClientProtocol, any RecordStore, TokenAuthority) async throws -> Void)
                    async throws {
                    var configuration = CarnetConfiguration.testing(dataDirectory: root.appendingPathComponent(name), databaseURL: databaseURL)
                    configuration.keysDirectory = root.appendingPathComponent("shared-keys")
                    let store = try await StoreOpening.open(configuration, logger: logger)
                    let tokens = try await StoreOpening.openTokens(configuration)
                    let app = try buildApplication(configuration, store: store, blobs: try StoreOpening.openBlobs(configuration, store: store),
                                                   tokens: tokens, matrix: try HabilitationMatrix.bundled(), logger: logger)
                    try await app.test(.router) { client in try await body(client, store, tokens) }
                }
                try await withNode("node-1") { one, store, firstTokens in
                    try await withNode("node-2") { two, _, _ in
                        // Node 1's tokens are node 2's: the signing key is shared.
                        let tokens = Tokens(authority: firstTokens)
                        let patient = try await createPatient(one, tokens)
                        let recordID = try #require(RecordID(patient))
                        let content = Data((0..<400).map { "Ligne \($0) d'un compte rendu synthétique, aucune donnée réelle.\n" }.joined().utf8)
                        let id = try await PortalDocumentViewTests.push(one, tokens, content, "text/plain")
                        let read = try await two.execute(uri: "/fhir/Binary/\(id)", method: .get, headers: try await tokens.bearer(.doctor()))
                        #expect(read.status == .ok && Data(read.body.readableBytesView) == content, "byte-identical through the other node")
                        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("node-1/blobs").path),
                                "no content on node 1's disk: it is in the database")

                        let jar = PortalRoutesTests.Jar()
                        try await PortalRoutesTests.signIn(one, store, jar, ins: .fixture(), recordID: recordID)
                        let home = try await jar.get(two, "/portal/patient")
                        #expect(home.status == .ok, "the session opened on node 1 is known to node 2: \(home.status)")
                        let signedOut = try await jar.post(two, "/portal/sign-out", ["_csrf": PortalRoutesTests.csrf(in: home)])
                        #expect(signedOut.status == .seeOther)
                        #expect(try await jar.get(one, "/portal/patient").status == .seeOther, "signed out on node 2 is signed out on node 1")
                    }
                }
            }
        }
    }
}
