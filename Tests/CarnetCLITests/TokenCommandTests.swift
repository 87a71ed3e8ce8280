import ArgumentParser
import CarnetCore
import CarnetServer
import CarnetTestSupport
import Foundation
import Testing
@testable import carnet

/// `carnet token …`: the interface other tools script against, and its refusals.
@Suite("carnet token")
struct TokenCommandTests {
    static func actor(_ arguments: [String]) throws -> Actor {
        let command = try Carnet.parseAsRoot(arguments)
        guard let subcommand = command as? any TokenSubcommand else { throw ValidationError("not a token subcommand: \(type(of: command))") }
        return try subcommand.actor()
    }

    @Test("each documented form gives the expected actor")
    func documentedForms() throws {
        #expect(try Self.actor(["token", "--data", "/tmp/x", "patient", "--ins", "295109912611193"]) == .patient(try INS("295109912611193")))
        #expect(try Self.actor(["token", "--data", "/tmp/x", "professional", "--rpps", "99700000011", "--profession", "10"]) == .doctor())
        #expect(try Self.actor(["token", "professional", "--data", "/tmp/x", "--rpps", "99700000011", "--profession", "10",
                                "--emergency", "unconscious"]) == .doctor(mode: .breakTheGlass, reason: "unconscious"))
        let regulator = try Self.actor(["token", "--data", "/tmp/x", "professional", "--rpps", "99700000015", "--profession", "10",
                                        "--regulation", "--emergency", "SAMU call"])
        #expect(regulator == .regulator())
        #expect(try Self.actor(["token", "professional", "--rpps", "99700000011", "--profession", "10", "--secret-connection"])
            == Actor(role: Actor.doctor().role, secretConnection: true))
        #expect(try Self.actor(["token", "--data", "/tmp/x", "agent", "--id", "agent-42"]) == .agent)
        #expect(try Self.actor(["token", "insurer"]) == .insurer)
        let demo = try Self.actor(["token", "patient", "--ins", "123456789012345", "--system", "1.2.250.1.213.1.4.11"])
        #expect(demo == .patient(try INS("123456789012345", system: .demo, keyChecking: .relaxedForTestIdentities)))
    }

    @Test("bad options are refused with a message", arguments: [
        (["token", "patient", "--ins", "295109912611142"], "INS key 42 does not match the number"),
        (["token", "patient", "--ins", "295109912611193", "--system", "1.2.3"], "not an INS system"),
        (["token", "professional", "--rpps", "123", "--profession", "10"], "RPPS must have 11 digits"),
        (["token", "professional", "--rpps", "99700000011", "--profession", "doctor"], "not a G15 code"),
        (["token", "professional", "--rpps", "99700000011", "--profession", "10", "--emergency", "  "], "--emergency needs a reason"),
        (["token", "agent", "--id", " "], "--id must not be empty"),
        (["token", "--ttl", "0", "agent", "--id", "a"], "--ttl must be a positive"),
        (["token", "agent"], "Missing expected argument"),
    ])
    func refusals(_ arguments: [String], _ message: String) {
        do {
            let actor = try Self.actor(arguments)
            Issue.record("accepted \(arguments) as \(actor)")
        } catch {
            #expect(Carnet.message(for: error).contains(message), "\(Carnet.message(for: error))")
        }
    }

    @Test("a minted token verifies with the data directory's key")
    func mintedTokenVerifies() async throws {
        try await TemporaryDirectory.with { directory async throws in
            let command = try #require(try Carnet.parseAsRoot(["token", "--data", directory.path, "professional", "--rpps", "99700000011",
                                                                "--profession", "10"]) as? ProfessionalToken)
            let token = try await command.options.mint(try command.actor())
            let authority = try await TokenAuthority.loadOrCreate(in: directory)
            #expect(try await authority.verify(token, now: Date()) == .doctor())
        }
    }
}
