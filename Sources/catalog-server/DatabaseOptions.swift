import ArgumentParser
import CatalogServer
import Foundation

/// `--database-url`: the PostgreSQL database several replicas share their state through.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL database for the managed sources, revisions and overlays, shared by every replica: postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=MODE (sslmode as libpq spells it; default prefer). Prefer the environment for the password. (env: CATALOG_DATABASE_URL; else libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE when PGHOST is set; default: files in the state directory)",
            valueName: "url"))
    var databaseURL: String?

    /// The database to use, or `nil` for the file stores.
    func url(environment: [String: String]) throws -> DatabaseURL? {
        do {
            if let databaseURL { return try DatabaseURL(parsing: databaseURL) }
            return try DatabaseURL.fromEnvironment(environment)
        } catch let error as DatabaseURLError {
            throw ValidationError("\(databaseURL == nil ? "" : "--database-url: ")\(error)")
        }
    }
}
