import CarnetCore
import Foundation
import NIOCore
import NIOSSL

/// The professional a verified client certificate names: the role a CPS card's authentication
/// certificate plays in the real service.
///
/// Only certificates that passed the handshake's verification against `--client-ca` get here (an
/// unknown issuer or an expired certificate never completes it). Carnet's subject convention, as
/// `scripts/make-test-pki` issues it: `UID` (or, without it, `CN`) is the RPPS — 11 digits or the
/// national id `8` + RPPS — and `OU` the G15 profession code. Such a professional acts in normal
/// mode; an emergency access is declared with a token.
enum ClientCertificateIdentity {
    /// The professional behind the connection's certificate; `nil` when the client presented none.
    static func actor(on channel: any Channel) async throws(AuthenticationError) -> Actor? {
        let certificate: NIOSSLCertificate?
        do {
            certificate = try await channel.nioSSL_peerCertificate().get()
        } catch {
            return nil // no TLS on this connection
        }
        guard let certificate else { return nil }
        return try actor(subject: certificate.subjectName)
    }

    static func actor(subject: [SSLCertificateName]) throws(AuthenticationError) -> Actor {
        let identifier = subject.first { $0.type == .userId }?.value ?? subject.first { $0.type == .commonName }?.value
        guard let identifier, let rpps = try? RPPS(identifier.trimmingCharacters(in: .whitespaces)) else {
            throw .certificate("its subject names no RPPS (UID: 11 digits, or 8 + RPPS)")
        }
        guard let code = subject.first(where: { $0.type == .organizationalUnit })?.value, let profession = try? Profession(code: code) else {
            throw .certificate("its subject names no G15 profession code (OU)")
        }
        return Actor(role: .professional(Professional(rpps: rpps, profession: profession, specialty: nil)))
    }
}
