public import Foundation
public import PostgresNIO

/// Reads a `postgres://user:password@host:port/database` URL into a client configuration.
///
/// TLS follows libpq's `sslmode`: `disable` (the default on loopback), `require` otherwise; the
/// password is never logged.
public enum PostgresURL {
    public static func configuration(_ text: String) throws(PostgresURLError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else { throw .notAPostgresURL }
        guard let host = components.host, !host.isEmpty else { throw .missingPart("host") }
        guard let username = components.user, !username.isEmpty else { throw .missingPart("user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw .missingPart("database name") }
        let sslMode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value
        let isLoopback = host == "localhost" || host.hasPrefix("127.") || host == "::1"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode ?? (isLoopback ? "disable" : "require") {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw .badSSLMode(sslMode ?? "")
        }
        return PostgresClient.Configuration(host: host, port: components.port ?? 5432, username: username,
                                            password: components.password?.removingPercentEncoding, database: database, tls: tls)
    }
}

public enum PostgresURLError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAPostgresURL
    case missingPart(String)
    case badSSLMode(String)

    public var description: String {
        switch self {
        case .notAPostgresURL: "the database URL must look like postgres://user:password@host:5432/database"
        case .missingPart(let part): "the database URL has no \(part): expected postgres://user:password@host:5432/database"
        case .badSSLMode(let mode): "sslmode '\(mode)' is not one of disable, prefer, require, verify-ca, verify-full"
        }
    }
}
