import Foundation
import PostgresNIO

/// Where the shared state lives: a PostgreSQL server, a database on it and the credentials to
/// reach it.
///
/// Written as libpq writes a connection URI, or taken from libpq's environment variables:
///
/// ```swift
/// let url = try DatabaseURL(parsing: "postgres://catalog:s3cret@db.example:5432/catalog?sslmode=verify-full")
/// print(url)   // postgres://catalog:***@db.example:5432/catalog?sslmode=verify-full
/// ```
///
/// The password is never part of ``description`` nor of any error this type throws, so
/// either may be logged.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode`: whether the connection is encrypted and what is verified.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, certificate not verified (libpq tries plain first; we try TLS first).
        case allow
        /// TLS when the server offers it, certificate not verified; libpq's default.
        case prefer
        /// TLS or no connection, certificate not verified.
        case require
        /// TLS, the certificate chain verified against `sslrootcert` (or the system's roots).
        case verifyCA = "verify-ca"
        /// TLS, the chain and the host name verified.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address, or a directory holding its Unix socket (a path starting with `/`).
    public var host: String
    /// The server's TCP port (or the number in the socket's file name).
    public var port: Int
    /// Who to connect as.
    public var user: String
    /// Kept out of ``description``.
    var password: String?
    /// The database on the server.
    public var database: String
    /// Whether the connection is encrypted and what is verified.
    public var sslMode: SSLMode
    /// A PEM file of the certificate authorities that `verify-ca` and `verify-full` trust (`sslrootcert`).
    public var sslRootCertificate: String?

    /// The query parameters a URL may carry.
    static let parameters = ["sslmode", "sslrootcert", "host", "port", "user", "password", "dbname"]

    /// Parses a `postgres://` or `postgresql://` URL: `postgres://user:password@host:port/database?sslmode=require`.
    ///
    /// User and password may be percent-encoded; `host` may be `[::1]` or, as a query
    /// parameter, a socket directory (`?host=/var/run/postgresql`). Absent parts take libpq's
    /// defaults: host `localhost`, port 5432, the database named after the user, `sslmode=prefer`.
    ///
    /// - Parameter text: the URL.
    /// - Throws: ``DatabaseURLError`` naming what is wrong, never the password.
    public init(parsing text: String) throws {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
            throw DatabaseURLError("the database URL must start with postgres:// or postgresql://")
        }
        guard let components = URLComponents(string: text) else {
            throw DatabaseURLError("the database URL is not a valid URL (percent-encode reserved characters in the user and password)")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard Self.parameters.contains(item.name) else {
                throw DatabaseURLError("the database URL has the unknown parameter \"\(item.name)\"; known: \(Self.parameters.joined(separator: ", "))")
            }
            query[item.name] = item.value ?? ""
        }
        let user = query["user"] ?? components.user.flatMap { $0.isEmpty ? nil : $0 }
        guard let user else { throw DatabaseURLError("the database URL names no user (postgres://USER:PASSWORD@HOST/DATABASE)") }
        var host = query["host"] ?? components.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        try self.init(
            host: host.isEmpty ? "localhost" : host,
            port: try query["port"].map { try Self.port($0) } ?? components.port ?? 5432,
            user: user,
            password: query["password"] ?? components.password,
            database: query["dbname"] ?? (path.isEmpty ? user : path),
            sslMode: query["sslmode"], sslRootCertificate: query["sslrootcert"])
    }

    /// The URL in `CATALOG_DATABASE_URL`, or else the database libpq's variables name when
    /// `PGHOST` is set (`PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`,
    /// `PGSSLROOTCERT`), or `nil` for none.
    ///
    /// - Parameter environment: the process environment.
    /// - Throws: ``DatabaseURLError`` naming the variable and what is wrong, never the password.
    public static func fromEnvironment(_ environment: [String: String]) throws -> DatabaseURL? {
        if let url = environment["CATALOG_DATABASE_URL"], !url.isEmpty {
            do {
                return try DatabaseURL(parsing: url)
            } catch let error as DatabaseURLError {
                throw DatabaseURLError("CATALOG_DATABASE_URL: \(error.message)")
            }
        }
        guard let host = environment["PGHOST"], !host.isEmpty else { return nil }
        let user = environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
        return try DatabaseURL(
            host: host, port: try environment["PGPORT"].map { try port($0) } ?? 5432, user: user,
            password: environment["PGPASSWORD"], database: environment["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? user,
            sslMode: environment["PGSSLMODE"], sslRootCertificate: environment["PGSSLROOTCERT"])
    }

    private init(host: String, port: Int, user: String, password: String?, database: String, sslMode: String?, sslRootCertificate: String?) throws {
        guard let mode = SSLMode(rawValue: sslMode ?? "prefer") else {
            throw DatabaseURLError("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...65535).contains(port) else { throw DatabaseURLError("the database port must be 1 to 65535") }
        (self.host, self.port, self.user, self.password, self.database) = (host, port, user, password, database)
        (self.sslMode, self.sslRootCertificate) = (mode, sslRootCertificate)
    }

    private static func port(_ text: String) throws -> Int {
        guard let port = Int(text) else { throw DatabaseURLError("the database port must be a number") }
        return port
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let hostPart = host.hasPrefix("/") ? "" : (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        var query = ["sslmode=\(sslMode.rawValue)"]
        if host.hasPrefix("/") { query.append("host=\(host)") }
        if let sslRootCertificate { query.append("sslrootcert=\(sslRootCertificate)") }
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(hostPart)/\(database)?\(query.joined(separator: "&"))"
    }

    /// How postgres-nio connects to it.
    func connectionConfiguration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if host.hasPrefix("/") {
            configuration = .init(
                unixSocketPath: (host as NSString).appendingPathComponent(".s.PGSQL.\(port)"),
                username: user, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: try tls())
        }
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
            + connectTimeout.components.attoseconds / 1_000_000_000)
        configuration.options.additionalStartupParameters = [("application_name", "catalog-server")]
        return configuration
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let sslRootCertificate { tls.trustRoots = .file(sslRootCertificate) }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw DatabaseURLError("cannot set up TLS for the database (sslrootcert \(sslRootCertificate ?? "none")): \(error)")
        }
        return sslMode == .allow || sslMode == .prefer ? .prefer(context) : .require(context)
    }
}

/// Why a database URL cannot be used; the message never contains the password.
public struct DatabaseURLError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let message: String
    init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
