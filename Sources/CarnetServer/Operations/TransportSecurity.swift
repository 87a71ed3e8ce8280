public import NIOSSL

/// TLS for `carnet serve`: the server's certificate and key and, for mutual TLS, the CA that signs
/// professionals' client certificates.
///
/// Why optional client certificates rather than required ones: the same listener serves patients
/// (portal, no certificate) and professionals' software (a certificate, like a CPS card, or a token).
/// A certificate that is presented must verify against the CA — an unknown issuer or an expired
/// certificate ends the handshake — and only then names the professional (``ClientCertificateIdentity``).
public struct TLSSettings: Sendable {
    public var certificatePath: String
    public var keyPath: String
    /// PEM file of the CA(s) whose client certificates identify professionals; `nil`: no mutual TLS.
    public var clientCAPath: String?

    public init(certificatePath: String, keyPath: String, clientCAPath: String? = nil) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.clientCAPath = clientCAPath
    }

    /// A file that cannot be read as what it should be, named.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The server side of the handshake: TLS 1.2 or later, the client CA as the only trust root.
    public func serverConfiguration() throws(LoadError) -> TLSConfiguration {
        let chain = try Self.load("server certificate", certificatePath) { try NIOSSLCertificate.fromPEMFile($0) }
        guard !chain.isEmpty else { throw LoadError(description: "the server certificate file \(certificatePath) holds no PEM certificate") }
        let key = try Self.load("server key", keyPath) { try NIOSSLPrivateKey(file: $0, format: .pem) }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCAPath {
            let authorities = try Self.load("client CA", clientCAPath) { try NIOSSLCertificate.fromPEMFile($0) }
            guard !authorities.isEmpty else { throw LoadError(description: "the client CA file \(clientCAPath) holds no PEM certificate") }
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification = .optionalVerification
        }
        return configuration
    }

    private static func load<T>(_ what: String, _ path: String, _ read: (String) throws -> T) throws(LoadError) -> T {
        do {
            return try read(path)
        } catch {
            throw LoadError(description: "cannot read the \(what) from \(path) as PEM: \(error)")
        }
    }
}
