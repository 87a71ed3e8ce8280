public import CarnetCore
import Crypto
import CarnetStore
public import Foundation
import JWTKit

/// Issues and verifies Carnet's bearer tokens with an ES256 key kept in the data directory.
///
/// The key is created on first use (`keys/token-signing-key.pem`, readable by its owner only) and
/// reused afterwards, so tokens minted by `carnet token` are accepted by `carnet serve` on the same
/// data directory. At national scale the verifier would trust an external issuer's JWKS instead
/// (ARCHITECTURE.md, Outside parts).
public struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    private let keyID: JWKIdentifier
    private let relaxedINS: INS.KeyChecking
    private let verified = VerifiedTokens()

    /// Loads the signing key from `dataDirectory`, creating it (and the directory) if absent.
    public static func loadOrCreate(in dataDirectory: URL) async throws -> TokenAuthority {
        try await loadOrCreate(keyDirectory: dataDirectory.appendingPathComponent("keys"))
    }

    /// Loads the signing key from `keyDirectory` (`--keys`, shared by every node), creating it if absent.
    public static func loadOrCreate(keyDirectory: URL) async throws -> TokenAuthority {
        let keyFile = keyDirectory.appendingPathComponent("token-signing-key.pem")
        let manager = FileManager.default
        let pem: String
        if manager.fileExists(atPath: keyFile.path) {
            pem = try String(contentsOf: keyFile, encoding: .utf8)
        } else {
            try manager.createDirectory(at: keyDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            pem = P256.Signing.PrivateKey().pemRepresentation
            let temporary = keyDirectory.appendingPathComponent(".token-signing-key.\(UUID().uuidString).pem")
            guard manager.createFile(atPath: temporary.path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
            }
            // Another process may have created the key meanwhile: keep whichever landed first.
            if (try? manager.moveItem(at: temporary, to: keyFile)) == nil {
                try? manager.removeItem(at: temporary)
                return try await loadOrCreate(keyDirectory: keyDirectory)
            }
        }
        let key = try ES256PrivateKey(pem: pem)
        let keyID = Self.keyID(of: key)
        let keys = await JWTKeyCollection().add(ecdsa: key, kid: keyID)
        // Keys retired by a rotation still verify the tokens they signed, until those have expired.
        for (retired, since) in try retiredKeys(in: keyDirectory) where Date().timeIntervalSince(since) < retiredKeyOverlap {
            await keys.add(ecdsa: retired.publicKey, kid: Self.keyID(of: retired))
        }
        return TokenAuthority(keys: keys, keyID: keyID, relaxedINS: .relaxedForTestIdentities)
    }

    /// How long a retired signing key still verifies: longer than any token it signed lives
    /// (8 hours by default, 7 days for the demo's).
    public static let retiredKeyOverlap: TimeInterval = 8 * 86_400

    /// Retires the signing key (it keeps verifying for ``retiredKeyOverlap``) and creates a new one
    /// for the tokens minted from now on (by `carnet token`, and by a server once restarted).
    public static func rotate(in dataDirectory: URL, now: Date = Date()) async throws {
        try await rotate(keyDirectory: dataDirectory.appendingPathComponent("keys"), now: now)
    }

    /// ``rotate(in:now:)`` for keys kept in `keyDirectory`.
    public static func rotate(keyDirectory: URL, now: Date = Date()) async throws {
        let keyFile = keyDirectory.appendingPathComponent("token-signing-key.pem")
        if FileManager.default.fileExists(atPath: keyFile.path) {
            let retired = keyDirectory.appendingPathComponent("token-signing-key.retired-\(Int(now.timeIntervalSince1970)).pem")
            try FileManager.default.moveItem(at: keyFile, to: retired)
        }
        _ = try await loadOrCreate(keyDirectory: keyDirectory)
    }

    static func retiredKeys(in keyDirectory: URL) throws -> [(ES256PrivateKey, Date)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: keyDirectory.path)) ?? []
        return try names.compactMap { name -> (ES256PrivateKey, Date)? in
            guard name.hasPrefix("token-signing-key.retired-"), name.hasSuffix(".pem"),
                  let seconds = Int(name.dropFirst("token-signing-key.retired-".count).dropLast(".pem".count)) else { return nil }
            let pem = try String(contentsOf: keyDirectory.appendingPathComponent(name), encoding: .utf8)
            return (try ES256PrivateKey(pem: pem), Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
    }

    static func keyID(of key: ES256PrivateKey) -> JWKIdentifier {
        JWKIdentifier(string: String(Hex.lowercase(SHA256.hash(data: Data(key.publicKey.pemRepresentation.utf8))).prefix(16)))
    }

    /// Mints a token standing for `actor`, valid for `lifetime` seconds from `now`.
    public func mint(for actor: Actor, lifetime: TimeInterval = 8 * 3600, now: Date = Date()) async throws -> String {
        try await keys.sign(CarnetClaims(actor: actor, now: now, lifetime: lifetime), kid: keyID)
    }

    /// Verifies a bearer token and returns the actor it stands for.
    ///
    /// - Throws: ``AuthenticationError`` saying why the token is refused (malformed, bad signature,
    ///   expired, or claims that do not describe a valid actor).
    /// - Parameter now: the service's clock (``RecordService/now()``), against which the expiry is checked.
    public func verify(_ token: String, now: Date) async throws(AuthenticationError) -> Actor {
        try await verifiedWithExpiry(token, now: now).actor
    }

    /// ``verify(_:)``, with when the token expires: what a portal session opened with it may not outlive.
    public func verifiedWithExpiry(_ token: String, now: Date) async throws(AuthenticationError) -> (actor: Actor, expiry: Date) {
        if let entry = verified.entry(for: token, now: now) { return entry }
        let claims: CarnetClaims
        do {
            claims = try await keys.verify(token, as: CarnetClaims.self)
        } catch let error as JWTError {
            switch error.errorType {
            case .claimVerificationFailure where error.failedClaim is ExpirationClaim: throw .expired
            case .signatureVerificationFailed, .unknownKID, .missingKIDHeader: throw .badSignature
            case .claimVerificationFailure: throw .invalidClaims(error.reason ?? "claims are not valid")
            default: throw .malformed
            }
        } catch {
            throw .malformed
        }
        guard now < claims.exp.value else { throw .expired }
        let actor = try actor(from: claims)
        verified.remember(token, actor: actor, expiry: claims.exp.value)
        return (actor, claims.exp.value)
    }

    func actor(from claims: CarnetClaims) throws(AuthenticationError) -> Actor {
        guard let kind = Actor.Kind(rawValue: claims.actorKind) else { throw .invalidClaims("unknown actor kind '\(claims.actorKind)'") }
        let mode = try accessMode(of: claims, kind: kind)
        let reason = claims.emergencyReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if mode == .breakTheGlass && (reason ?? "").isEmpty {
            throw .invalidClaims("a break-the-glass access must state its reason (emergency_reason)")
        }
        let role: Actor.Role
        switch kind {
        case .patient:
            do {
                role = .patient(try INS(claims.sub.value, system: insSystem(of: claims), keyChecking: relaxedINS))
            } catch {
                throw .invalidClaims("subject is not a valid INS: \(error.description)")
            }
        case .professional, .regulator:
            guard let code = claims.extensions?.iheIUA.subjectRole?.code else { throw .invalidClaims("subject_role (profession) is missing") }
            let professional: Professional
            do {
                professional = Professional(rpps: try RPPS(claims.sub.value), profession: try Profession(code: code),
                                            specialty: claims.specialty)
            } catch {
                throw .invalidClaims("\(error)")
            }
            role = kind == .regulator ? .regulator(professional) : .professional(professional)
        case .agent:
            role = .agent(id: claims.sub.value)
        case .insurer:
            role = .insurer(id: claims.sub.value)
        }
        let secret = claims.confidentialityCode == CarnetClaims.secretConnectionCode
        if secret, kind != .professional { throw .invalidClaims("only a professional opens a minor's secret connection") }
        return Actor(role: role, accessMode: mode, emergencyReason: mode.isEmergency ? reason : nil, secretConnection: secret)
    }

    private func accessMode(of claims: CarnetClaims, kind: Actor.Kind) throws(AuthenticationError) -> AccessMode {
        let mode: AccessMode
        if let text = claims.accessMode {
            guard let parsed = AccessMode(rawValue: text) else { throw .invalidClaims("access_mode '\(text)' is not normal, bris_de_glace or centre_15") }
            mode = parsed
        } else if let purpose = claims.extensions?.iheIUA.purposeOfUse?.code {
            guard let parsed = AccessMode(purposeOfUse: purpose, regulation: kind == .regulator) else {
                throw .invalidClaims("purpose_of_use '\(purpose)' is not TREAT or ETREAT")
            }
            mode = parsed
        } else {
            mode = .normal
        }
        switch (kind, mode) {
        case (.professional, .centre15): throw .invalidClaims("centre_15 access is for emergency regulators only")
        case (.regulator, .breakTheGlass): throw .invalidClaims("a regulator accesses in centre_15 mode, not bris_de_glace")
        case (.patient, .breakTheGlass), (.patient, .centre15), (.agent, .breakTheGlass), (.agent, .centre15),
             (.insurer, .breakTheGlass), (.insurer, .centre15):
            throw .invalidClaims("only professionals use emergency access modes")
        default: return mode
        }
    }

    private func insSystem(of claims: CarnetClaims) -> INSSystem {
        guard let personID = claims.extensions?.iheIUA.personID,
              let oid = personID.split(separator: "&").dropFirst().first
        else { return .nir }
        return (try? INSSystem(uri: String(oid))) ?? .nir
    }
}

/// Why a request is not authenticated. Every case becomes a 401 with an OperationOutcome.
public enum AuthenticationError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing
    case malformed
    case badSignature
    case expired
    case invalidClaims(String)
    /// A verified client certificate that does not name a professional, or names another one than the token.
    case certificate(String)

    public var description: String {
        switch self {
        case .missing: "authentication required: send 'Authorization: Bearer <token>' (mint one with 'carnet token'), or, where mutual TLS is on, a professional's client certificate"
        case .malformed: "the bearer token is not a well-formed JWT"
        case .badSignature: "the bearer token's signature is not valid for this server"
        case .expired: "the bearer token has expired; request a new one"
        case .invalidClaims(let detail): "the bearer token's claims are not valid: \(detail)"
        case .certificate(let detail): "the client certificate does not identify the professional: \(detail)"
        }
    }
}
