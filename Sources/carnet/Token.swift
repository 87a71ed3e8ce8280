import ArgumentParser
import CarnetCore
import CarnetServer
import Foundation

/// `carnet token`: mints a bearer token signed with the data directory's key; prints it alone on stdout.
///
/// The interface is used by other tools and scripts: `carnet token --data DIR patient --ins INS`,
/// `… professional --rpps RPPS --profession CODE [--emergency "reason"] [--regulation]`, `… agent --id ID`.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mint a bearer token for a patient, a professional, an insurer agent or the insurer feed.",
        subcommands: [PatientToken.self, ProfessionalToken.self, AgentToken.self, InsurerToken.self]
    )

    /// Declared here too so that `--data` and `--ttl` may come before the subcommand name.
    @OptionGroup var options: TokenOptions
}

/// Options every token subcommand shares (they may be written before or after the subcommand).
struct TokenOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory holding the signing key (created if absent).")
    var data: String = "carnet-data"

    @Option(name: .long, help: "Key directory holding the signing key (default: <data>/keys), as given to carnet serve --keys.")
    var keys: String?

    @Option(name: .long, help: "Lifetime in seconds.")
    var ttl: Int = 8 * 3600

    func validate() throws {
        guard ttl > 0 else { throw ValidationError("--ttl must be a positive number of seconds") }
    }

    /// Signs a token for `actor` with the data directory's key (creating the key on first use).
    func mint(_ actor: Actor) async throws -> String {
        let authority = try await TokenAuthority.loadOrCreate(
            keyDirectory: keys.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? URL(fileURLWithPath: data, isDirectory: true).appendingPathComponent("keys"))
        return try await authority.mint(for: actor, lifetime: TimeInterval(ttl))
    }
}

/// A token subcommand: says which actor it stands for; printing is shared.
protocol TokenSubcommand: AsyncParsableCommand {
    var options: TokenOptions { get }
    /// The actor the token will stand for, or a `ValidationError` saying which option is wrong.
    func actor() throws -> Actor
}

extension TokenSubcommand {
    func run() async throws {
        print(try await options.mint(try actor()))
    }
}

struct PatientToken: TokenSubcommand {
    static let configuration = CommandConfiguration(commandName: "patient", abstract: "A token for the holder of a record.")

    @OptionGroup var options: TokenOptions

    @Option(help: "The patient's INS (15 characters).")
    var ins: String

    @Option(help: "INS system OID: 1.2.250.1.213.1.4.8 (INS-NIR), .9, .10 (test) or .11 (demo).")
    var system: String = INSSystem.nir.uri

    func actor() throws -> Actor {
        do {
            return .patient(try INS(ins, system: try INSSystem(uri: system), keyChecking: .relaxedForTestIdentities))
        } catch {
            throw ValidationError(error.description)
        }
    }
}

struct ProfessionalToken: TokenSubcommand {
    static let configuration = CommandConfiguration(commandName: "professional", abstract: "A token for a health professional.")

    @OptionGroup var options: TokenOptions

    @Option(help: "RPPS number (11 digits, or the 12-digit national id starting with 8).")
    var rpps: String

    @Option(help: "Profession code (G15): 10 physician, 21 pharmacist, 40 dentist, 50 midwife, 60 nurse…")
    var profession: String

    @Option(help: "Specialty code, e.g. SM26.")
    var specialty: String?

    @Option(help: "Declare a break-the-glass emergency access, with its reason.")
    var emergency: String?

    @Flag(help: "Act as a Centre 15 emergency regulator (centre_15 access mode).")
    var regulation = false

    @Flag(help: "A minor's secret connection: documents added are invisible to the legal representatives.")
    var secretConnection = false

    func actor() throws -> Actor {
        let professional: Professional
        do {
            professional = Professional(rpps: try RPPS(rpps), profession: try Profession(code: profession), specialty: specialty)
        } catch {
            throw ValidationError("\(error)")
        }
        let reason = emergency?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reason, reason.isEmpty { throw ValidationError("--emergency needs a reason") }
        if regulation {
            if secretConnection { throw ValidationError("--secret-connection is for a professional's consultation, not regulation") }
            return Actor(role: .regulator(professional), accessMode: .centre15, emergencyReason: reason)
        } else if let reason {
            return Actor(role: .professional(professional), accessMode: .breakTheGlass, emergencyReason: reason, secretConnection: secretConnection)
        }
        return Actor(role: .professional(professional), secretConnection: secretConnection)
    }
}

struct AgentToken: TokenSubcommand {
    static let configuration = CommandConfiguration(commandName: "agent", abstract: "A token for a health-insurer agent.")

    @OptionGroup var options: TokenOptions

    @Option(help: "The agent's staff id.")
    var id: String

    func actor() throws -> Actor {
        guard !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--id must not be empty") }
        return Actor(role: .agent(id: id))
    }
}

struct InsurerToken: TokenSubcommand {
    static let configuration = CommandConfiguration(commandName: "insurer", abstract: "A token for the health insurer's feed.")

    @OptionGroup var options: TokenOptions

    @Option(help: "The feed's system id.")
    var id: String = "assurance-maladie"

    func actor() throws -> Actor {
        guard !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--id must not be empty") }
        return Actor(role: .insurer(id: id))
    }
}
